// libFuzzer target: FHIR R4 JSON (Bundle, resource, NDJSON) -> record -> policy -> View.
// Seeds: ../shared/data and the demo patients (scripts/fuzz).
//
// Also a differential check: the same bytes read with the Bundle split
// between two threads (forced, whatever their size; the record then built and
// viewed with two as well) must give exactly the record one thread reads: the
// same items and the same load issues, in order, and the same View; and so
// must the same bytes arriving in pieces (ArrivingInput), cut at sizes taken
// from the input itself and read ahead at every split.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "../tools/record_digest.h"
#include "fuzz_record.h"

namespace {

// The record as text, and the View a consented doctor gets of it.
std::string as_text(ilinks::Record record) {
  std::string out = ilinks::test::record_digest(record);
  ilinks::Timestamp now = *ilinks::Timestamp::parse("2026-11-22T10:30:00+00:00");
  if (auto view = ilinks::test::consented_view(std::move(record), "fuzz", now)) out += ilinks::view_as_json(*view, now.local_date());
  return out;
}

std::string read_as_text(std::string_view bytes, size_t two_threads_from) {
  ilinks::RecordBuilder builder;
  builder.add(bytes, {"fuzz.json", "", two_threads_from});
  return as_text(builder.build());
}

// The bytes given in pieces of 1 to 64 bytes (the sizes follow from the
// bytes, so that a crash replays), entries read at every chance.
std::string read_arriving_as_text(std::string_view bytes) {
  ilinks::InputOptions options{"fuzz.json", "", std::numeric_limits<size_t>::max()};
  options.read_ahead_every = 1;
  ilinks::ArrivingInput input(options);
  for (size_t at = 0; at < bytes.size();) {
    size_t piece = 1 + static_cast<unsigned char>(bytes[at]) % 64;
    input.append(bytes.substr(at, piece));
    at += piece;
  }
  ilinks::RecordBuilder builder;
  builder.add(std::move(input));
  return as_text(builder.build());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fuzz::ingest_and_view(bytes, "fuzz.json");
  std::string one_thread = read_as_text(bytes, std::numeric_limits<size_t>::max());
  if (one_thread != read_as_text(bytes, 0)) {
    std::fprintf(stderr, "two threads read this input differently from one\n");
    std::abort();
  }
  if (one_thread != read_arriving_as_text(bytes)) {
    std::fprintf(stderr, "this input read as it arrived differs from it read at once\n");
    std::abort();
  }
  return 0;
}
