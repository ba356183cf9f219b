// ilinks/two_threads.h: a pass over many independent things split between
// the caller's thread and one worker.
//
// Natively a large record's build passes and its View's marking and copying
// touch each entry or item alone, so two cores halve them (issue 18: the 60 MB
// record's build 0.17 -> 0.10 s). Only the parts built with ILINKS_TWO_THREADS
// (ilinks_ingest and ilinks_policy, natively) use a worker; in WebAssembly here
// (no threads) the caller does all. A detail of those parts, not an API.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <utility>
#if defined(ILINKS_TWO_THREADS)
#include <system_error>
#include <thread>
#endif

namespace ilinks::detail {

// How many halves a worker has run in this process (for tests, which cannot
// tell otherwise: the results are the same either way).
inline std::atomic<uint64_t>& halves_run_by_a_worker() {
  static std::atomic<uint64_t> count{0};
  return count;
}

// Calls work(half, begin, end): half 0 over [0, n/2) on a worker and half 1
// over [n/2, n) here, when `two` and a thread can be had; otherwise
// work(0, 0, n) here. Returns when both are done; an exception in either is
// then rethrown here (this thread's, if both threw).
template <class Work>
void in_two_halves(size_t n, bool two, Work&& work) {
#if defined(ILINKS_TWO_THREADS)
  if (two && n >= 2) {
    const size_t middle = n / 2;
    std::exception_ptr worker_failed;
    std::thread worker;
    try {
      worker = std::thread([&] {
        try {
          work(0, size_t{0}, middle);
          ++halves_run_by_a_worker();
        } catch (...) {
          worker_failed = std::current_exception();
        }
      });
    } catch (const std::system_error&) {
      work(0, size_t{0}, n);  // no thread to be had (a host at its limit)
      return;
    }
    try {
      work(1, middle, n);
    } catch (...) {
      worker.join();
      throw;
    }
    worker.join();
    if (worker_failed) std::rethrow_exception(worker_failed);
    return;
  }
#endif
  (void)two;
  work(0, size_t{0}, n);
}

}  // namespace ilinks::detail
