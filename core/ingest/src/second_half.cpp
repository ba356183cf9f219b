#include "second_half.h"

#include <atomic>
#include <system_error>

namespace ilinks::detail {
namespace {
std::atomic<uint64_t> halves_taken{0};
}  // namespace

void SecondHalf::start(std::string_view text, const EntrySplit& split) {
#if defined(ILINKS_TWO_THREADS)
  try {
    worker_ = std::thread([this, text, split] {
      try {
        after_ = read_.read(text, split, 0);
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
  read_.hand_over(entries_before, report, keep);
  ++halves_taken;
  return after_;
}

uint64_t SecondHalf::taken_so_far() { return halves_taken.load(); }

void SecondHalf::join() {
#if defined(ILINKS_TWO_THREADS)
  if (worker_.joinable()) worker_.join();
#endif
}

}  // namespace ilinks::detail
