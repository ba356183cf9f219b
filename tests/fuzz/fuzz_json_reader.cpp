// libFuzzer target: any bytes read as JSON by the streaming FHIR reader's own
// reader (core/ingest/src/json_reader.h) and by nlohmann, the oracle: the same
// events, the same refusal at the same character in the same words; and the
// same again when the reader reads the bytes in stretches (as it does across
// a Bundle's split, json_stream.h), of 1 to 16 bytes, the size taken from the
// first byte so that a crash replays. A difference aborts.
// Seeds: ../shared/data and the demo patients (scripts/fuzz).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "../tools/json_events.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string expected = ilinks::test::nlohmann_events(text);
  size_t stretch = size ? 1 + data[0] % 16 : 1;
  for (size_t each : {size_t{0}, stretch}) {
    std::string got = ilinks::test::reader_events(text, each);
    if (got != expected) {
      std::fprintf(stderr, "json_reader (stretch %zu) differs from nlohmann:\n--- nlohmann\n%s--- reader\n%s", each,
                   expected.c_str(), got.c_str());
      std::abort();
    }
  }
  return 0;
}
