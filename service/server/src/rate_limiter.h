// Requests per user per minute, counted by one instance (a user spread over
// N instances behind a balancer gets at most N times the limit; the store's
// proactive audit sees all of them regardless).
#pragma once
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace ilinks {

class RateLimiter {
 public:
  explicit RateLimiter(int per_minute = 120) : per_minute_(per_minute) {}
  void set_limit(int per_minute) { per_minute_ = per_minute; }
  // False when `who` has used up the last minute's requests.
  bool allow(const std::string& who) {
    auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> g(lock_);
    auto& seen = seen_[who];
    while (!seen.empty() && now - seen.front() >= std::chrono::minutes(1)) seen.pop_front();
    if (static_cast<int>(seen.size()) >= per_minute_) return false;
    seen.push_back(now);
    if (seen_.size() > 100000) seen_.clear();  // a bound on memory; at worst a minute's grace for everyone
    return true;
  }

 private:
  int per_minute_;
  std::mutex lock_;
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> seen_;
};

}  // namespace ilinks
