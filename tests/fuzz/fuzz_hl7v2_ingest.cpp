// libFuzzer target: HL7 v2 ADT messages -> record -> policy -> View. Every
// input is made to start with an MSH segment, so the fuzzer stays in the HL7
// v2 reader instead of wandering into JSON.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (text.rfind("MSH", 0) != 0) text.insert(0, "MSH|^~\\&|");
  fuzz::ingest_and_view(text, "fuzz.hl7");
  return 0;
}
