#include "read_entries.h"

#include <utility>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ilinks::detail {
namespace {

constexpr size_t kChunk = 256;  // reads kept per allocation

void renumber(ReadResource& r, size_t entries_before) {
  r.where = where_in_whole(r.where, entries_before);
  for (auto& c : r.contained) renumber(c, entries_before);
}

}  // namespace

void read_streamed(StreamedResource&& s, const IssueFn& report, const KeepFn& keep, int depth) {
  const JsonNode& body = *s.body;
  const JsonNode* type = body.find("resourceType");
  if (!type || !type->is_string()) {
    report(s.where + ".resource", "has no resourceType; skipped");
    return;
  }
  if (type->text() == "Bundle") {  // a Bundle inside a Bundle (a document in a searchset)
    const JsonNode* entries_in = body.find("entry");
    if (depth > 3 || !entries_in || !entries_in->is_array()) return;
    size_t i = 0;
    for (const JsonNode& entry : *entries_in) {
      size_t at = i++;
      const JsonNode* resource = entry.find("resource");
      if (!resource) continue;
      const JsonNode* url = entry.find("fullUrl");
      StreamedResource inner{resource, url && url->is_string() ? std::string(url->text()) : std::string(),
                             s.where + " entry[" + std::to_string(at) + "]", {}};
      read_streamed(std::move(inner), report, keep, depth + 1);
    }
    return;
  }
  ReadResource r = read_resource(body, s.where, report, s.content_hash.empty());
  if (!s.content_hash.empty()) r.content_hash = std::move(s.content_hash);
  r.full_url = s.full_url;
  keep(std::move(r));
}

template <class T> void ReadEntries::kept(T&& read) {
  if (read_.empty() || read_.back().size() == kChunk) read_.emplace_back().reserve(kChunk);
  read_.back().emplace_back(std::forward<T>(read));
}

EntriesAfterSplit ReadEntries::read(std::string_view text, const EntrySplit& split, size_t first_entry,
                                    const char* up_to_close) {
  TextPool::Use interning(words_);
  size_t chunks = read_.size(), in_last = read_.empty() ? 0 : read_.back().size();
  IssueFn keep_issue = [&](const std::string& where, const std::string& what) {
    kept(Issue{where_in_whole(where, first_entry), what});
  };
  KeepFn keep = [&](ReadResource&& r) {
    if (first_entry) renumber(r, first_entry);
    kept(std::move(r));
  };
  EntriesAfterSplit after = stream_entries_after(
      text, split, [&](StreamedResource&& s) { read_streamed(std::move(s), keep_issue, keep); }, keep_issue, {},
      up_to_close);
  if (!after.complete) forget_after(chunks, in_last);
  return after;
}

void ReadEntries::forget_after(size_t chunks, size_t in_last) {
  read_.resize(chunks);
  if (!read_.empty()) read_.back().erase(read_.back().begin() + static_cast<std::ptrdiff_t>(in_last), read_.back().end());
}

void ReadEntries::hand_over(size_t entries_before, const IssueFn& report, const KeepFn& keep) {
  for (auto& chunk : read_) {
    for (auto& read : chunk) {
      if (auto* issue = std::get_if<Issue>(&read)) {
        report(where_in_whole(issue->where, entries_before), issue->what);
      } else {
        ReadResource& r = std::get<ReadResource>(read);
        renumber(r, entries_before);
        keep(std::move(r));
      }
    }
    // Freed as it goes, not all held twice. A worker's malloc arena, not the
    // caller's, holds what it read, and the caller cannot reuse that memory
    // once freed: it goes back to the system at once, or the peak would grow
    // by it (measured: 0.8x of the input with no trim at all, 0.1-0.3x
    // trimming every 16 chunks).
    std::vector<Read>().swap(chunk);
    trim();
  }
  read_.clear();
}

void ReadEntries::trim() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace ilinks::detail
