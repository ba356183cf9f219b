// The sharing service: the policy enforced where the data lives. One
// instance serves the versioned JSON API (routes.cpp) over HTTP(S); any
// number of instances share one store. Views leave it; records never do.
//
//   SharingService service(read_service_config("service.json"));
//   service.start();              // listens; returns once bound
//   ... service.port() ...
//   service.stop();
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "ilinks/audit.h"
#include "ilinks/policy.h"
#include "ilinks/service_config.h"
#include "ilinks/store.h"
#include "metrics.h"
#include "person_records.h"
#include "rate_limiter.h"

namespace httplib {
class Server;
}

namespace ilinks {

class SharingService {
 public:
  // Loads the policy and opens the store; throws PolicyFileError or
  // StoreError saying why (nothing listens then).
  explicit SharingService(ServiceConfig config);
  ~SharingService();
  SharingService(const SharingService&) = delete;
  SharingService& operator=(const SharingService&) = delete;

  // Binds the API (and the MLLP listener, when configured) and serves on
  // threads of its own. Throws InputError when a port cannot be bound.
  void start();
  // Stops accepting, finishes the requests in flight, joins.
  void stop();
  int port() const { return port_; }
  int mllp_port() const;

  // ---- For the routes (routes.cpp) ---------------------------------------------------
  const ServiceConfig& config() const { return config_; }
  const Policy& policy() const { return *policy_; }
  Store& store() { return *store_; }
  std::shared_ptr<Store> shared_store() { return store_; }
  AuditTrail& audit() { return *audit_; }
  std::shared_ptr<AuditTrail> shared_audit() { return audit_; }
  PersonRecords& records() { return *records_; }
  Metrics& metrics() { return metrics_; }
  RateLimiter& rate_limiter() { return rate_limiter_; }

  // Tries once to deliver every override explanation still owed to a GP
  // practice (the background loop calls this; tests may too).
  void deliver_explanations();

 private:
  void serve_mllp();
  ServiceConfig config_;
  std::unique_ptr<Policy> policy_;
  std::shared_ptr<Store> store_;
  std::shared_ptr<AuditTrail> audit_;
  std::unique_ptr<PersonRecords> records_;
  Metrics metrics_;
  RateLimiter rate_limiter_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<class MllpListener> mllp_;
  std::thread http_thread_, delivery_thread_;
  std::atomic<bool> stopping_{false};
  std::mutex delivery_lock_;  // one delivery round at a time in this instance
  int port_ = 0;
};

// The routes of the API, installed on `server` (routes.cpp).
void install_routes(httplib::Server& server, SharingService& service);

}  // namespace ilinks
