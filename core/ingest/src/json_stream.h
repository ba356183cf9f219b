// Streams FHIR resources out of JSON text without holding the whole document:
// a Bundle's entries are handed over one at a time and then dropped, so memory
// follows the largest entry, not the input. Also reads NDJSON (one resource per
// line) and a bare resource. Damage is reported and skipped, never fatal:
// invalid UTF-8 is replaced, over-deep nesting and over-long strings drop the
// entry or field they are in, and a truncated Bundle keeps its whole entries.
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "json_tree.h"

namespace ilinks::detail {

struct JsonLimits {
  size_t max_depth = 64;                    // FHIR resources nest ~15 deep; deeper is hostile or broken
  size_t max_string_bytes = 8 * 1024 * 1024;  // larger values (e.g. huge attachments) are left out
};

// Valid only while the sink is called: the memory is reused for the next.
struct StreamedResource {
  const JsonNode* body = nullptr;  // the resource itself
  std::string full_url;  // Bundle.entry.fullUrl, when in a Bundle
  std::string where;     // "entry[12]", "line 7", or "" for a bare resource
  // A hash of the resource's text as written (its events in order), for
  // finding the same resource sent twice without writing it out again; empty
  // when not streamed from a Bundle entry (the reader then hashes the body).
  std::string content_hash;
};

using ResourceSink = std::function<void(StreamedResource&&)>;
using IssueSink = std::function<void(const std::string& where, const std::string& what)>;

// Reads `text` (FHIR JSON or NDJSON) and hands every resource found to `sink`.
// Returns false when nothing at all could be read (the caller says why via
// the issues already reported).
bool stream_fhir_json(std::string_view text, const ResourceSink& sink, const IssueSink& issue,
                      const JsonLimits& limits = {});

// "line 3, column 14" for a byte offset into `text`.
std::string line_and_column(std::string_view text, size_t byte);

// Replaces invalid UTF-8 sequences with U+FFFD. Returns how many were replaced
// and the first one's byte offset; leaves `text` alone when it is valid.
struct Utf8Repair {
  size_t replaced = 0;
  size_t first_offset = 0;
};
Utf8Repair repair_utf8(std::string& text);
bool is_valid_utf8(std::string_view text, size_t* first_bad = nullptr);
// At most `max_bytes` of `text`, never cutting a UTF-8 character in two (for
// quoting input in an issue: a cut character would make the issue unwritable as JSON).
std::string utf8_prefix(std::string_view text, size_t max_bytes);

}  // namespace ilinks::detail
