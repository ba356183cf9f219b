// The single-input entry points of ilinks/fhir.h, on top of RecordBuilder.
#include "ilinks/fhir.h"

#include <fstream>
#include <sstream>

#include "ilinks/record_builder.h"

namespace ilinks {

namespace {

// The person the builder read, or an InputError saying why there is none.
Record one_person(RecordBuilder& builder, const std::string& source_name) {
  Record record = builder.build();
  if (!record.identity_known()) {
    // Say why in the words of the first problem that concerns the whole input.
    std::string why = "holds no Patient resource; a record must say whose it is";
    for (const auto& issue : record.load_issues())
      if (issue.whole_input) {
        why = issue.where.substr(issue.where.find(' ') == std::string::npos ? issue.where.size() : issue.where.find(' ') + 1);
        why = (why.empty() ? "" : why + ": ") + issue.what;
        break;
      }
    throw InputError(source_name + ": " + why);
  }
  // One input for one viewer: guessing which of several people is meant is
  // not safe, so it is refused (RecordBuilder::choose_person says whom).
  if (record.other_people_left_out() > 0)
    throw InputError(source_name + ": holds " + std::to_string(record.other_people_left_out() + 1) +
                     " different people; a record is one person's");
  return record;
}

}  // namespace

Record read_fhir_json(std::string_view json_text, const std::string& source_name) {
  RecordBuilder builder;
  builder.add(json_text, {source_name, {}});
  return one_person(builder, source_name);
}

Record read_fhir_json(ArrivingInput&& arrived) {
  RecordBuilder builder;
  std::string source_name = arrived.name();
  builder.add(std::move(arrived));
  return one_person(builder, source_name);
}

Record read_fhir_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot be opened for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.empty()) throw InputError(path + ": is empty");
  return read_fhir_json(text, path);
}

}  // namespace ilinks
