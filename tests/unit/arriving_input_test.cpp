// Reading a record while it arrives (ArrivingInput): whatever the input and
// however its bytes are cut, the record, its load issues and the View are
// exactly those of reading all the bytes at once; and entries read ahead are
// taken only where the runs really fall between entries of the Bundle.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../tools/consented_view.h"
#include "../tools/record_digest.h"
#include "ilinks/record_builder.h"
#include "ilinks/view_export.h"
#include "record_helpers.h"
#include "test_data.h"

namespace {

constexpr size_t kNever = std::numeric_limits<size_t>::max();

// The record as one text (tests/tools/record_digest.h), and the View a
// consented doctor gets of it.
std::string digest(const ilinks::Record& r) {
  std::string out = ilinks::test::record_digest(r);
  auto now = *ilinks::Timestamp::parse("2026-11-22T10:30:00+00:00");
  if (auto view = ilinks::test::consented_view(r, "u1", now)) out += ilinks::view_as_json(*view, now.local_date());
  return out;
}

// All the bytes at once, on one thread.
std::string read_at_once(const std::string& bytes) {
  ilinks::RecordBuilder builder;
  builder.add(bytes, {"in.json", "", kNever});
  return digest(builder.build());
}

struct Arrived {
  std::string record;
  uint64_t read_ahead = 0;  // entries read while the bytes arrived, and taken
};

// The bytes given `piece` at a time, entries read each `every` bytes.
Arrived read_arriving(const std::string& bytes, size_t piece, size_t every) {
  ilinks::InputOptions options{"in.json", "", kNever};
  options.read_ahead_every = every;
  uint64_t before = ilinks::ArrivingInput::entries_read_while_arriving();
  ilinks::ArrivingInput input(options, bytes.size());
  for (size_t at = 0; at < bytes.size(); at += piece) input.append(std::string_view(bytes).substr(at, piece));
  CHECK(input.size() == bytes.size());
  ilinks::RecordBuilder builder;
  builder.add(std::move(input));
  Arrived arrived{digest(builder.build()), 0};
  arrived.read_ahead = ilinks::ArrivingInput::entries_read_while_arriving() - before;
  return arrived;
}

// Joe and `count` observations, each its own entry (minified, as test::bundle writes).
std::vector<std::string> observations(int count) {
  std::vector<std::string> out{test::patient()};
  for (int i = 0; i < count; ++i)
    out.push_back(R"({"resourceType":"Observation","id":"obs)" + std::to_string(i) +
                  R"(","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},"subject":{"reference":"Patient/joe"},"effectiveDateTime":"2024-02-)" +
                  (i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1) + R"(","valueQuantity":{"value":)" +
                  std::to_string(60 + i % 40) + R"(,"unit":"/min"}})");
  return out;
}

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_SUITE("reading a record while it arrives") {
  TEST_CASE("real Synthea people arriving in pieces give the same record, load issues and View as read at once") {
    for (const char* file : {"synthea/4b86befa-fa7e-9285-615f-e081dab3f93c.json", "synthea/fee04478-ddcd-4fe8-02c4-d15fe97bbce3.json"}) {
      CAPTURE(file);
      std::string bytes = slurp(shared_data(file));
      Arrived arrived = read_arriving(bytes, 64 * 1024, 256 * 1024);
      CHECK(arrived.record.size() > 10000);
      CHECK(arrived.record == read_at_once(bytes));
      // Nearly all of it was read before the last byte came: all but the last run.
      CHECK(arrived.read_ahead > count_of(bytes, "\"fullUrl\"") * 9 / 10);
    }
  }

  TEST_CASE("a Bundle arriving a byte at a time, read at every entry, is the same record") {
    std::string bytes = test::bundle(observations(40));
    Arrived arrived = read_arriving(bytes, 1, 1);
    CHECK(arrived.record == read_at_once(bytes));
    CHECK(arrived.read_ahead >= 38);  // all but the first entry (read by the parse) and the last (once whole)
    CHECK(arrived.record.find("Observation/obs39|") != std::string::npos);
  }

  TEST_CASE("pretty-printed, with whitespace between entries, it is read ahead just the same") {
    std::string bytes = test::bundle(observations(60));
    for (size_t at = 0; (at = bytes.find("},{\"resource\"", at)) != std::string::npos; at += 8) bytes.replace(at, 3, "}\n  ,\n  {");
    Arrived arrived = read_arriving(bytes, 300, 1000);
    CHECK(arrived.record == read_at_once(bytes));
    CHECK(arrived.read_ahead > 40);
  }

  TEST_CASE("damaged entries, duplicates and id clashes across runs are reported at their place in the whole Bundle") {
    std::vector<std::string> resources = observations(120);
    std::string deep = "1";
    for (int i = 0; i < 70; ++i) deep = "[" + deep + "]";
    resources[30] = R"({"resourceType":"Observation","id":"deep","extension":)" + deep + "}";
    resources[70] = R"({"id":"no-type"})";
    resources[100] = resources[5];  // obs4, the same, sent again
    resources[110] = resources[6];  // obs5
    resources[110].replace(resources[110].find("\"final\""), 7, "\"amended\"");  // same id, other content
    std::string bytes = test::bundle(resources);
    Arrived arrived = read_arriving(bytes, 1000, 2000);
    CHECK(arrived.read_ahead > 100);
    CHECK(arrived.record == read_at_once(bytes));
    CHECK(arrived.record.find("issue in.json entry[30]") != std::string::npos);
    CHECK(arrived.record.find("issue in.json entry[70].resource | has no resourceType") != std::string::npos);
    CHECK(arrived.record.find("issue in.json entry[110] | uses the id of another Observation (Observation/obs5)") != std::string::npos);
  }

  TEST_CASE("a syntax error half way: the same error at the same line and column, and the entries before it") {
    std::string bytes = test::bundle(observations(120));
    size_t at = bytes.find("\"id\":\"obs70\"");
    bytes.replace(at, 5, "\"id\" \"");  // a missing ':'
    Arrived arrived = read_arriving(bytes, 500, 1000);
    std::string at_once = read_at_once(bytes);
    CHECK(arrived.record == at_once);
    CHECK(at_once.find("the 71 entries before it were read") != std::string::npos);
    CHECK(arrived.read_ahead == 0);  // what was read ahead of the error is not taken: the parse reads it all
  }

  TEST_CASE("a download that breaks off: the same issue as the cut bytes read at once") {
    std::string bytes = test::bundle(observations(120));
    bytes.resize(bytes.find("\"id\":\"obs90\"") + 20);
    Arrived arrived = read_arriving(bytes, 700, 1500);
    CHECK(arrived.record == read_at_once(bytes));
    CHECK(arrived.record.find("the 91 entries before it were read") != std::string::npos);
  }

  TEST_CASE("what looks like an entry boundary deeper in an entry ends the reading ahead; the rest is read once whole") {
    std::vector<std::string> resources = observations(60);
    resources[40] = R"({"resourceType":"Condition","id":"c","subject":{"reference":"Patient/joe"},"note":[{"text":"a"},{"resource":"not an entry"}]})";
    std::string bytes = test::bundle(resources);
    Arrived arrived = read_arriving(bytes, 1, 1);  // a run is tried at that place as soon as it is in
    CHECK(arrived.record == read_at_once(bytes));
    CHECK(arrived.read_ahead > 30);
    CHECK(arrived.read_ahead < 40);  // the runs stopped there
    CHECK(arrived.record.find("Observation/obs59|") != std::string::npos);
  }

  TEST_CASE("a first boundary that was only a guess (deeper in the person's own entry) is not taken, and the record is the same") {
    std::vector<std::string> resources = observations(60);
    resources[0].insert(resources[0].size() - 1, R"(,"x-note":[{"a":1},{"fullUrl":"not an entry"}])");
    std::string bytes = test::bundle(resources);
    Arrived arrived = read_arriving(bytes, 200, 500);
    CHECK(arrived.read_ahead == 0);
    CHECK(arrived.record == read_at_once(bytes));
    CHECK(arrived.record.find("Observation/obs59|") != std::string::npos);
  }

  TEST_CASE("invalid UTF-8 half way is repaired and reported as for the whole input") {
    std::string bytes = test::bundle(observations(80));
    bytes.replace(bytes.find("Heart rate", bytes.size() / 2), 1, "\xC3\x28");
    Arrived arrived = read_arriving(bytes, 400, 800);
    std::string at_once = read_at_once(bytes);
    CHECK(arrived.record == at_once);
    CHECK(at_once.find("is not valid UTF-8") != std::string::npos);
  }

  TEST_CASE("an entry larger than a run is read whole, and the runs go on after it") {
    std::vector<std::string> resources = observations(60);
    resources[20] = R"({"resourceType":"DocumentReference","id":"letter","status":"current","subject":{"reference":"Patient/joe"},"content":[{"attachment":{"contentType":"text/plain","data":")" +
                    std::string(300000, 'A') + R"("}}]})";
    std::string bytes = test::bundle(resources);
    Arrived arrived = read_arriving(bytes, 1024, 4096);
    CHECK(arrived.record == read_at_once(bytes));
    CHECK(arrived.read_ahead > 50);
  }

  TEST_CASE("NDJSON, HL7 v2, a bare resource and an empty input arriving are read as they would be at once") {
    std::string ndjson;
    for (const auto& r : observations(50)) ndjson += r + "\n";
    std::string hl7 = slurp(shared_data("hl7v2-adt/ADT-A01-01.hl7"));
    for (const std::string& bytes : {ndjson, hl7, test::patient(), std::string("  \n")}) {
      Arrived arrived = read_arriving(bytes, 37, 100);
      CHECK(arrived.record == read_at_once(bytes));
      CHECK(arrived.read_ahead == 0);
    }
  }

  TEST_CASE("with reading ahead off, the input is read once whole, to the same record") {
    std::string bytes = test::bundle(observations(50));
    Arrived arrived = read_arriving(bytes, 100, kNever);
    CHECK(arrived.read_ahead == 0);
    CHECK(arrived.record == read_at_once(bytes));
  }

  TEST_CASE("an input moved away adds nothing; the one it moved to reads as usual") {
    std::string bytes = test::bundle(observations(5));
    ilinks::ArrivingInput input({"in.json", "", kNever});
    input.append(bytes);
    ilinks::ArrivingInput moved = std::move(input);
    ilinks::RecordBuilder empty, full;
    empty.add(std::move(input));  // NOLINT: moved from on purpose
    CHECK(empty.build().items().empty());
    full.add(std::move(moved));
    ilinks::Record record = full.build();
    CHECK(record.items().size() == 5);
    CHECK(record.identity_known());
  }
}
