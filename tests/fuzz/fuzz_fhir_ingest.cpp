// libFuzzer target: FHIR R4 JSON (Bundle, resource, NDJSON) -> record -> policy -> View.
// Seeds: ../shared/data and the demo patients (scripts/fuzz).
//
// Also a differential check: the same bytes read with the Bundle split
// between two threads (forced, whatever their size) must give exactly the
// record one thread reads: the same items and the same load issues, in order.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "fuzz_record.h"

namespace {

std::string record_digest(std::string_view bytes, size_t two_threads_from) {
  ilinks::RecordBuilder builder;
  builder.add(bytes, {"fuzz.json", "", two_threads_from});
  ilinks::Record record = builder.build();
  std::string out = record.patient().nhs_number + "\n";
  for (const auto& issue : record.load_issues()) out += "issue " + issue.where + " | " + issue.what + "\n";
  for (const auto& item : record.items())
    out += item.key + "|" + item.display + "|" + item.text + "|" + item.source.name + "|" + item.value.text + "|" +
           std::to_string(static_cast<int>(item.segment)) + std::to_string(item.tier) + "|" + std::to_string(item.links.size()) + "\n";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fuzz::ingest_and_view(bytes, "fuzz.json");
  if (record_digest(bytes, std::numeric_limits<size_t>::max()) != record_digest(bytes, 0)) {
    std::fprintf(stderr, "two threads read this input differently from one\n");
    std::abort();
  }
  return 0;
}
