// libFuzzer target: FHIR R4 JSON (Bundle, resource, NDJSON) -> record -> policy -> View.
// Seeds: ../shared/data and the demo patients (scripts/fuzz).
#include <cstddef>
#include <cstdint>

#include "fuzz_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::ingest_and_view({reinterpret_cast<const char*>(data), size}, "fuzz.json");
  return 0;
}
