// ilinks/two_threads.h: a pass over many independent things split between
// the caller's thread and one worker.
//
// Natively a large record's build passes and its View's marking and copying
// touch each entry or item alone, so two cores halve them (issue 18: the 60 MB
// record's build 0.18 -> 0.10 s). Only the parts built with ILINKS_TWO_THREADS
// (ingest and policy, natively) use a worker; elsewhere, and in WebAssembly
// here (no threads), the caller does all.
#pragma once
#include <cstddef>
#include <exception>
#include <memory>
#include <utility>
#if defined(ILINKS_TWO_THREADS)
#include <system_error>
#include <thread>
#endif

namespace ilinks::detail {

// Calls work(half, begin, end): half 0 over [0, n/2) on a worker and half 1
// over [n/2, n) here, when `two` and a thread can be had; otherwise
// work(0, 0, n) here. Returns when both are done. An exception in either is
// rethrown here, the worker's first.
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

// Frees what it is given on a worker while the caller goes on (freeing a
// large record's reading took a fifth of its build), or at once where there
// are no threads. Waits for the worker before it is itself destroyed.
class FreedElsewhere {
 public:
  FreedElsewhere() = default;
  FreedElsewhere(const FreedElsewhere&) = delete;
  FreedElsewhere& operator=(const FreedElsewhere&) = delete;
  ~FreedElsewhere() { wait(); }

  template <class T>
  void free(std::unique_ptr<T> spent) {
    wait();
#if defined(ILINKS_TWO_THREADS)
    try {
      worker_ = std::thread([doomed = std::move(spent)]() mutable { doomed.reset(); });
    } catch (const std::system_error&) {
      // no thread to be had: what was moved into the thread's function is freed here
    }
#endif
  }

  void wait() {
#if defined(ILINKS_TWO_THREADS)
    if (worker_.joinable()) worker_.join();
#endif
  }

 private:
#if defined(ILINKS_TWO_THREADS)
  std::thread worker_;
#endif
};

}  // namespace ilinks::detail
