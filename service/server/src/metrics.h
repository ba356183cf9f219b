// What the service counts, for GET /metrics (Prometheus text format 0.0.4):
// requests and their latency by route and status class, source fetches that
// failed by organisation, store errors, and the override explanations still
// owed (the audit's only backlog: audit events are written before a View is
// sent, or the View is not sent).
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace ilinks {

class Metrics {
 public:
  void request(const std::string& route, int status, double seconds);
  void source_failure(const std::string& organisation_ods);
  void store_error();
  void set_explanations_owed(int64_t count);
  // The whole exposition, one family after another.
  std::string prometheus_text() const;

 private:
  struct Latency {
    uint64_t count = 0;
    double sum = 0;
    std::map<double, uint64_t> buckets;  // upper bound (s) -> observations at or below it
  };
  mutable std::mutex lock_;
  std::map<std::pair<std::string, std::string>, uint64_t> requests_;  // (route, "2xx") -> count
  std::map<std::string, Latency> latency_;                            // route
  std::map<std::string, uint64_t> source_failures_;                   // ODS code
  uint64_t store_errors_ = 0;
  int64_t explanations_owed_ = 0;
};

}  // namespace ilinks
