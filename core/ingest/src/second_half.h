// Reading a streamed resource into ReadResources, and the worker thread that
// reads the second half of a large Bundle's entries while the caller's parse
// reads the first (json_stream.h, "Two threads for a large Bundle").
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>
#if defined(ILINKS_TWO_THREADS)
#include <thread>
#endif

#include "fhir_resource.h"
#include "json_stream.h"

namespace ilinks::detail {

using KeepFn = std::function<void(ReadResource&&)>;

// What a streamed resource holds, read and handed to `keep` (a Bundle inside
// a Bundle gives several, `depth` deep). Shares nothing: a worker runs it too.
void read_streamed(StreamedResource&& s, const IssueFn& report, const KeepFn& keep, int depth = 0);

// The second half of a large Bundle's entries, read on a worker thread: what
// it read (resources and load issues, in order) is kept until the first
// half's parse reaches the split and takes it; if that never happens it is
// thrown away with this object (which waits for the worker), and the parse
// reads on by itself.
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
  struct Issue { std::string where, what; };
  using Read = std::variant<ReadResource, Issue>;
  template <class T> void kept(T&& read);
  static void trim();  // gives freed memory back to the system (glibc)
  void join();

#if defined(ILINKS_TWO_THREADS)
  std::thread worker_;
#endif
  // In chunks of their own, each one allocation: freed after taking, they
  // leave whole pages free for malloc_trim (a ReadResource apiece would leave
  // holes among the strings the entries keep).
  std::vector<std::vector<Read>> read_;
  EntriesAfterSplit after_;
};

}  // namespace ilinks::detail
