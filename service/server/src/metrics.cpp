#include "metrics.h"

#include <cstdio>
#include <sstream>

namespace ilinks {
namespace {
const double kBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

// Label values are route templates and ODS codes; escaped all the same.
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
}  // namespace

void Metrics::request(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> g(lock_);
  ++requests_[{route, std::to_string(status / 100) + "xx"}];
  Latency& l = latency_[route];
  ++l.count;
  l.sum += seconds;
  for (double b : kBuckets)
    if (seconds <= b) ++l.buckets[b];
}

void Metrics::source_failure(const std::string& ods) {
  std::lock_guard<std::mutex> g(lock_);
  ++source_failures_[ods];
}

void Metrics::store_error() {
  std::lock_guard<std::mutex> g(lock_);
  ++store_errors_;
}

void Metrics::set_explanations_owed(int64_t count) {
  std::lock_guard<std::mutex> g(lock_);
  explanations_owed_ = count;
}

std::string Metrics::prometheus_text() const {
  std::lock_guard<std::mutex> g(lock_);
  std::ostringstream out;
  out << "# HELP ilinks_requests_total API requests answered, by route and status class.\n"
         "# TYPE ilinks_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out << "ilinks_requests_total{route=\"" << label(key.first) << "\",status=\"" << key.second << "\"} " << n << "\n";
  out << "# HELP ilinks_request_seconds Time to answer an API request, by route.\n"
         "# TYPE ilinks_request_seconds histogram\n";
  for (const auto& [route, l] : latency_) {
    for (double b : kBuckets) {
      auto it = l.buckets.find(b);
      out << "ilinks_request_seconds_bucket{route=\"" << label(route) << "\",le=\"" << number(b) << "\"} "
          << (it == l.buckets.end() ? 0 : it->second) << "\n";
    }
    out << "ilinks_request_seconds_bucket{route=\"" << label(route) << "\",le=\"+Inf\"} " << l.count << "\n";
    out << "ilinks_request_seconds_sum{route=\"" << label(route) << "\"} " << number(l.sum) << "\n";
    out << "ilinks_request_seconds_count{route=\"" << label(route) << "\"} " << l.count << "\n";
  }
  out << "# HELP ilinks_source_fetch_failures_total Record fetches an organisation's endpoint did not answer.\n"
         "# TYPE ilinks_source_fetch_failures_total counter\n";
  for (const auto& [ods, n] : source_failures_)
    out << "ilinks_source_fetch_failures_total{organisation=\"" << label(ods) << "\"} " << n << "\n";
  out << "# HELP ilinks_store_errors_total Calls the store could not answer (each one refused with 503).\n"
         "# TYPE ilinks_store_errors_total counter\n"
      << "ilinks_store_errors_total " << store_errors_ << "\n";
  out << "# HELP ilinks_override_explanations_owed Override explanations not yet delivered to the GP practice.\n"
         "# TYPE ilinks_override_explanations_owed gauge\n"
      << "ilinks_override_explanations_owed " << explanations_owed_ << "\n";
  return out.str();
}

}  // namespace ilinks
