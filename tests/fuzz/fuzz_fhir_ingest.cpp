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

#include "../tools/record_digest.h"
#include "fuzz_record.h"

namespace {

std::string read_as_text(std::string_view bytes, size_t two_threads_from) {
  ilinks::RecordBuilder builder;
  builder.add(bytes, {"fuzz.json", "", two_threads_from});
  return ilinks::test::record_digest(builder.build());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fuzz::ingest_and_view(bytes, "fuzz.json");
  if (read_as_text(bytes, std::numeric_limits<size_t>::max()) != read_as_text(bytes, 0)) {
    std::fprintf(stderr, "two threads read this input differently from one\n");
    std::abort();
  }
  return 0;
}
