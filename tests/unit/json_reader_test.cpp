// The streaming FHIR reader's own JSON reader (core/ingest/src/json_reader.h)
// reads JSON exactly as nlohmann's sax_parse does: the same events, the same
// refusals, at the same character, in the same words. nlohmann is the oracle:
// every record in the shared data, damaged copies of one, and hand-made
// corner cases, read at once and in stretches.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../tools/json_events.h"
#include "test_data.h"

using ilinks::test::nlohmann_events;
using ilinks::test::reader_events;

namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every JSON file in the shared data and the demo patients.
std::vector<std::filesystem::path> json_files() {
  std::vector<std::filesystem::path> out;
  for (const std::string& dir : {shared_data("synthea"), shared_data("hl7-fhir-r4-examples"),
                                 shared_data("nhs-england-examples"), std::string(ILINKS_DEMO_PATIENTS)})
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir))
      if (f.is_regular_file() && (f.path().extension() == ".json" || f.path().extension() == ".ndjson")) out.push_back(f.path());
  return out;
}

// A small record with something of everything: escapes, other alphabets,
// numbers of each kind, nesting, empty containers.
const char* const kSample = R"({"resourceType": "Bundle", "type": "collection", "total": 3, "entry": [
  {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient", "name": [{"family": "O'Brien-Nguy\u1ec5n", "given": ["S\u00e9amus", "Zo\u00eb"]}],
   "text": {"div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">Line\none\ttab \\ back \/ slash \ud83d\ude00</div>"}}},
  {"fullUrl": "urn:uuid:2", "resource": {"resourceType": "Observation", "valueQuantity": {"value": -12.50e-1, "unit": "mmol/L"},
   "component": [{"valueInteger": -42}, {"valueInteger": 18446744073709551615}, {"valueDecimal": 0.0}, {"valueBoolean": false}],
   "note": [], "extension": [{}], "x": null, "y": true, "name": "Ærøskøbing — 東京 — Привет"}}
]})";

}  // namespace

TEST_SUITE("reading JSON as nlohmann reads it") {
  TEST_CASE("every record in the shared data and the demo patients gives nlohmann's events") {
    auto files = json_files();
    REQUIRE(files.size() > 20);
    for (const auto& f : files) {
      std::string text = slurp(f);
      std::string expected = nlohmann_events(text);
      CHECK_MESSAGE(reader_events(text) == expected, f.string());
    }
  }

  TEST_CASE("a record read in stretches gives the events it gives when read at once") {
    std::string expected = nlohmann_events(kSample);
    REQUIRE(expected.size() > 100);
    REQUIRE(expected.find("read\n") != std::string::npos);
    for (size_t stretch = 1; stretch <= 40; ++stretch) CHECK_MESSAGE(reader_events(kSample, stretch) == expected, stretch);
  }

  TEST_CASE("strings without escapes are handed over where they are in the text; escaped ones decoded") {
    ilinks::test::JsonEventLog events;
    reader_events(R"({"plain": "no escapes here", "escaped": "a \"quoted\" word", "other alphabets": "Zoë"})", 0, &events);
    CHECK(events.strings_in_text == 5);  // three keys, and two of the three values
    CHECK(events.strings_decoded == 1);
    CHECK(events.log.find("string 15 a \"quoted\" word") != std::string::npos);
  }

  TEST_CASE("damaged JSON is refused at the same character, in the same words") {
    const std::vector<std::string> damaged = {
        "", " ", "{", "[", "]", "}", "{]", "[}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "[1 2]", "{1:2}",
        "tru", "truE", "nul", "fals", "True", "[t]", "-", "-a", "01", "1.", "1.e5", "1e", "1e+", "1E-x", "--1", "+1", ".5",
        "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"", "\"\\udc00\"",
        "\"tab\there\"", std::string("\"nul\0here\"", 10), "\"\x01\"", "\"\x1f\"", "\"\x80\"", "\"\xc0\xaf\"", "\"\xc3\"",
        "\"\xe0\x80\x80\"", "\"\xed\xa0\x80\"", "\"\xf0\x80\x80\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xf5\"", "\"\xff\"",
        "\"\xe2\x82\"", "\"\xf0\x9f\x98\"", "\xef\xbb\xbf{}", "\xef\xbb{}", "\xef{}", "{}\xef\xbb\xbf", "{} x", "{} {}",
        "[1e400]", "[-1e400]", "1e309", std::string("{}\0garbage", 10), std::string("\0", 1), "[[[[[[]]]]]", "{\"a\":[}",
        "[18446744073709551616, -9223372036854775808, -9223372036854775809, -0, 0e0, 1E+2]", "\"\\/\\b\\f\\n\\r\\t\""};
    for (const auto& text : damaged) CHECK_MESSAGE(reader_events(text) == nlohmann_events(text), text);
  }

  TEST_CASE("every truncation and many single-byte changes of a record are refused as nlohmann refuses them") {
    std::string sample = kSample;
    for (size_t cut = 0; cut <= sample.size(); ++cut) {
      std::string text = sample.substr(0, cut);
      REQUIRE_MESSAGE(reader_events(text) == nlohmann_events(text), cut);
      REQUIRE_MESSAGE(reader_events(text, 3) == nlohmann_events(text), cut);
    }
    for (size_t at = 0; at < sample.size(); ++at)
      for (char c : {'"', '\\', ',', '}', ']', '0', '-', '\n', '\x01', '\x80', '\xe2', 'u', 'e'}) {
        std::string text = sample;
        text[at] = c;
        REQUIRE_MESSAGE(reader_events(text) == nlohmann_events(text), at << " " << static_cast<int>(c));
        REQUIRE_MESSAGE(reader_events(text, 5) == nlohmann_events(text), at << " " << static_cast<int>(c));
      }
  }
}
