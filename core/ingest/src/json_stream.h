// Streams FHIR resources out of JSON text without holding the whole document:
// a Bundle's entries are handed over one at a time and then dropped, so memory
// follows the largest entry, not the input. Also reads NDJSON (one resource per
// line) and a bare resource. Damage is reported and skipped, never fatal:
// invalid UTF-8 is replaced, over-deep nesting and over-long strings drop the
// entry or field they are in, and a truncated Bundle keeps its whole entries.
#pragma once
#include <functional>
#include <optional>
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

// ---- Two threads for a large Bundle (natively; issue 18) --------------------------
// The second half of a Bundle's entries can be read on a worker thread while
// the caller's parse reads the first. The worker starts at a split found by
// looking (find_entry_split), which is only a guess until the caller's parse
// reaches it and sees an entry end exactly there; then the worker's entries
// are handed over in order (SplitHandoff) and the parse goes on after them.
// Otherwise the worker's reading is thrown away and the parse reads on. The
// resources, issues and their order are the same either way.

// Between two entries of a Bundle's entry array: the '}' that ends one and the ',' after it.
struct EntrySplit {
  const char* close = nullptr;
  const char* comma = nullptr;
};
// The first place at or after byte `from` that looks like such a split
// ('}' ',' '{' "fullUrl" or "resource", with only whitespace between). NDJSON
// has such places inside its lines too: it is read line by line, never split.
std::optional<EntrySplit> find_entry_split(std::string_view text, size_t from);
// The last such place at or after byte `from`.
std::optional<EntrySplit> last_entry_split(std::string_view text, size_t from);

struct EntriesAfterSplit {
  bool complete = false;            // parsed, up to the ']' that ends the entry array (or to up_to_close)
  const char* array_end = nullptr;  // that ']'
  size_t entries = 0;               // entries seen, damaged ones too ("entry[N]" counts from 0 at the split)
  size_t resources = 0;             // handed to the sink
};
// Reads the entries after `split` as stream_fhir_json would, handing each to
// `sink`. Safe on another thread: it shares nothing but `text`. With
// `up_to_close` (a later split's '}'), reads only up to it, and is complete
// only if that '}' ends an entry; then array_end is null.
EntriesAfterSplit stream_entries_after(std::string_view text, const EntrySplit& split, const ResourceSink& sink,
                                       const IssueSink& issue, const JsonLimits& limits = {},
                                       const char* up_to_close = nullptr);

// Given to stream_fhir_json: when its parse is exactly at `split`, it calls
// `take` with the number of entries it has seen; `take` hands the entries
// after the split to the caller's own sink and returns them as read, or
// returns nothing, and the parse reads on past the split itself.
struct SplitHandoff {
  EntrySplit split;
  std::function<std::optional<EntriesAfterSplit>(size_t entries_before)> take;
};

// "entry[7] ..." read after a split, as it is in the whole Bundle: "entry[7 + entries_before] ...".
std::string where_in_whole(const std::string& where_after_split, size_t entries_before);

// One FHIR resource per line, as stream_fhir_json reads it.
bool looks_like_ndjson(std::string_view text);

// Reads `text` (FHIR JSON or NDJSON) and hands every resource found to `sink`.
// Returns false when nothing at all could be read (the caller says why via
// the issues already reported).
bool stream_fhir_json(std::string_view text, const ResourceSink& sink, const IssueSink& issue,
                      const JsonLimits& limits = {}, const SplitHandoff* handoff = nullptr);

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
