// The worker thread that reads the second half of a large Bundle's entries
// while the caller's parse reads the first (json_stream.h, "Two threads for a
// large Bundle").
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#if defined(ILINKS_TWO_THREADS)
#include <thread>
#endif

#include "read_entries.h"

namespace ilinks::detail {

// What the worker read is kept until the first half's parse reaches the split
// and takes it; if that never happens it is thrown away with this object
// (which waits for the worker), and the parse reads on by itself.
class SecondHalf {
 public:
#if defined(ILINKS_TWO_THREADS)
  static constexpr bool kAvailable = true;
#else
  static constexpr bool kAvailable = false;  // WebAssembly here has no threads
#endif
  SecondHalf() = default;
  SecondHalf(const SecondHalf&) = delete;
  SecondHalf& operator=(const SecondHalf&) = delete;
  ~SecondHalf() { join(); }

  // Starts the worker on the entries after `split`; `text` must outlive this
  // object. Without a thread to be had, nothing starts and take() says so.
  void start(std::string_view text, const EntrySplit& split);

  // Waits for the worker, then hands what it read to `report` and `keep` as
  // if read in place (entry numbers follow the first half's `entries_before`),
  // or returns nothing when the worker did not read up to the entry array's end.
  std::optional<EntriesAfterSplit> take(size_t entries_before, const IssueFn& report, const KeepFn& keep);

  // How many second halves have been taken in this process (for tests and benchmarks).
  static uint64_t taken_so_far();

 private:
  void join();

#if defined(ILINKS_TWO_THREADS)
  std::thread worker_;
#endif
  ReadEntries read_;
  EntriesAfterSplit after_;
};

}  // namespace ilinks::detail
