#include "second_half.h"

#include <atomic>
#include <system_error>
#include <utility>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ilinks::detail {
namespace {

std::atomic<uint64_t> halves_taken{0};
constexpr size_t kChunk = 256;  // ReadResources kept per allocation

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

template <class T> void SecondHalf::kept(T&& read) {
  if (read_.empty() || read_.back().size() == kChunk) read_.emplace_back().reserve(kChunk);
  read_.back().emplace_back(std::forward<T>(read));
}

void SecondHalf::start(std::string_view text, const EntrySplit& split) {
#if defined(ILINKS_TWO_THREADS)
  try {
    worker_ = std::thread([this, text, split] {
      try {
        IssueFn keep_issue = [this](const std::string& where, const std::string& what) { kept(Issue{where, what}); };
        KeepFn keep = [this](ReadResource&& r) { kept(std::move(r)); };
        after_ = stream_entries_after(
            text, split, [&](StreamedResource&& s) { read_streamed(std::move(s), keep_issue, keep); }, keep_issue);
      } catch (...) {
        after_.complete = false;  // out of memory: the first half's parse reads on, and meets it itself
      }
    });
  } catch (const std::system_error&) {
    // No thread to be had (a host at its limit): one thread reads it all.
  }
#else
  (void)text, (void)split;
#endif
}

std::optional<EntriesAfterSplit> SecondHalf::take(size_t entries_before, const IssueFn& report, const KeepFn& keep) {
  join();
  if (!after_.complete) return std::nullopt;
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
    // Freed as it goes, not all held twice. The worker's malloc arena, not
    // the caller's, holds what is freed, and the caller cannot reuse it: it
    // goes back to the system at once, or the peak would grow by it (measured:
    // 0.8x of the input with no trim at all, 0.1-0.3x trimming every 16 chunks).
    std::vector<Read>().swap(chunk);
    trim();
  }
  ++halves_taken;
  return after_;
}

void SecondHalf::trim() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

uint64_t SecondHalf::taken_so_far() { return halves_taken.load(); }

void SecondHalf::join() {
#if defined(ILINKS_TWO_THREADS)
  if (worker_.joinable()) worker_.join();
#endif
}

}  // namespace ilinks::detail
