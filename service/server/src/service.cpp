#include "service.h"

#include <chrono>
#include <vector>

#include <httplib.h>

#include "api.h"
#include "compression.h"
#include "ilinks/nhs_number.h"
#include "ilinks/sources.h"

namespace ilinks {

namespace {

std::unique_ptr<Policy> load_policy(const std::string& choice) {
  if (choice == "builtin") return std::make_unique<Policy>(Policy::builtin());
  if (choice.rfind("deployment:", 0) == 0)
    return std::make_unique<Policy>(Policy::from_file(std::string(ILINKS_DEPLOYMENTS_DIR) + "/" + choice.substr(11) + ".json"));
  if (choice.rfind("file:", 0) == 0) return std::make_unique<Policy>(Policy::from_file(choice.substr(5)));
  throw PolicyFileError("the service's policy \"" + choice + "\" is not builtin, deployment:<name> or file:<path>");
}

std::vector<std::string> split(const std::string& text, char by) {
  std::vector<std::string> out(1);
  for (char c : text) {
    if (c == by) out.emplace_back();
    else out.back().push_back(c);
  }
  return out;
}

// One segment's fields, by its name ("MSH", "PID"); empty when absent.
std::vector<std::string> segment_of(const std::string& message, const std::string& name) {
  for (const auto& segment : split(message, '\r'))
    if (segment.compare(0, name.size() + 1, name + "|") == 0) return split(segment, '|');
  return {};
}

// MSH-n: the field separator is MSH-1, so MSH-n is the (n-1)th piece.
std::string msh_field(const std::string& message, size_t n) {
  auto fields = segment_of(message, "MSH");
  return n >= 2 && n - 1 < fields.size() ? fields[n - 1] : "";
}

// The NHS number among PID-3's identifiers, when one is valid.
std::string nhs_number_of(const std::string& message) {
  auto fields = segment_of(message, "PID");
  if (fields.size() <= 3) return "";
  for (const auto& repetition : split(fields[3], '~')) {
    std::string id = split(repetition, '^')[0];
    if (is_valid_nhs_number(id)) return id;
  }
  return "";
}

}  // namespace

SharingService::SharingService(ServiceConfig config)
    : config_(std::move(config)), rate_limiter_(config_.limits.requests_per_user_per_minute) {
  policy_ = load_policy(config_.policy);
  store_ = open_store(config_.store);
  audit_ = std::make_shared<AuditTrail>(policy_->alerts(), std::static_pointer_cast<AuditLedger>(store_));
  records_ = std::make_unique<PersonRecords>(config_.organisations, *store_, metrics_, config_.limits.fetch_deadline_ms,
                                             config_.limits.record_cache_seconds);
}

SharingService::~SharingService() { stop(); }

int SharingService::mllp_port() const { return mllp_ ? mllp_->port() : 0; }

void SharingService::start() {
  if (!config_.tls_certificate_path.empty())
    http_ = std::make_unique<httplib::SSLServer>(config_.tls_certificate_path.c_str(), config_.tls_private_key_path.c_str());
  else
    http_ = std::make_unique<httplib::Server>();
  if (!http_->is_valid()) throw InputError("the TLS certificate or key in " + config_.file + " could not be used");
  int workers = config_.limits.max_concurrent_requests;
  http_->new_task_queue = [workers] { return new httplib::ThreadPool(static_cast<size_t>(workers)); };
  http_->set_payload_max_length(config_.limits.max_body_bytes);
  time_t timeout_s = static_cast<time_t>((config_.limits.request_timeout_ms + 999) / 1000);
  http_->set_read_timeout(timeout_s);
  http_->set_write_timeout(timeout_s);
  http_->set_keep_alive_timeout(2);  // also how long stop() may wait on an idle connection
  http_->set_tcp_nodelay(true);       // small JSON answers on kept-alive connections go at once, not after ~40 ms
  size_t max_header = config_.limits.max_header_bytes;
  const ServiceConfig& config = config_;
  http_->set_pre_routing_handler([max_header, &config](const httplib::Request& req, httplib::Response& res) {
    size_t bytes = req.target.size();
    for (const auto& h : req.headers) bytes += h.first.size() + h.second.size() + 4;
    if (bytes > max_header) {
      api::fail(res, 431, "headers-too-large", "the request's headers are larger than this service accepts");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (api::answer_preflight(config, req, res)) return httplib::Server::HandlerResponse::Handled;
    api::take_accept_encoding(req);
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // After every answer, the routes' and the error handler's alike.
  http_->set_post_routing_handler([&config](const httplib::Request& req, httplib::Response& res) {
    api::allow_origin(config, req, res);
    api::compress_answer(req, res);
  });
  http_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;  // a route's own answer
    if (res.status == 404) api::fail(res, 404, "not-found", "there is no such route; the API is under /v1/ (README)");
    else if (res.status == 413) api::fail(res, 413, "too-large", "the request's body is larger than this service accepts");
    else if (res.status == 400) api::fail(res, 400, "bad-request", "the request could not be read as HTTP");
    else api::fail(res, res.status, "error", "the request could not be answered");
  });
  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    api::fail(res, 500, "internal", "the service failed unexpectedly; nothing is shown");
  });
  install_routes(*http_, *this);

  // MLLP first: a port that cannot be bound stops start() before anything listens.
  if (!config_.mllp_address.empty()) {
    mllp_ = std::make_unique<MllpListener>(config_.mllp_address, config_.mllp_port, [this](const std::string& message) {
      StoredAdt adt;
      adt.message = message;
      adt.nhs_number = nhs_number_of(message);
      adt.sending_facility = msh_field(message, 4);
      adt.control_id = msh_field(message, 10);
      adt.received = Timestamp::now();
      if (adt.control_id.empty()) return MllpVerdict{"MSH-10 (message control id) is empty", true};
      if (adt.nhs_number.empty()) return MllpVerdict{"PID-3 holds no valid NHS number; the message is not kept", false};
      try {
        store_->add_adt(adt);  // a resend is acknowledged again and kept once
      } catch (const StoreError&) {
        metrics_.store_error();
        return MllpVerdict{"the store is unavailable; send again later", false};
      }
      records_->forget(adt.nhs_number);
      return MllpVerdict{};
    });
    mllp_->start();
  }
  if (config_.listen_port == 0) port_ = http_->bind_to_any_port(config_.listen_address);
  else port_ = http_->bind_to_port(config_.listen_address, config_.listen_port) ? config_.listen_port : -1;
  if (port_ <= 0)
    throw InputError("cannot listen on " + config_.listen_address + ":" + std::to_string(config_.listen_port) +
                     " (in use, or not this machine's address)");
  http_thread_ = std::thread([this] { http_->listen_after_bind(); });
  // Until it runs, stop() could not stop it: wait (briefly) for it to start.
  for (int i = 0; i < 200 && !http_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  delivery_thread_ = std::thread([this] {
    while (!stopping_) {
      deliver_explanations();
      for (int i = 0; i < 50 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
}

void SharingService::stop() {
  stopping_ = true;
  if (http_) http_->stop();
  if (http_thread_.joinable()) http_thread_.join();
  if (mllp_) mllp_->stop();
  if (delivery_thread_.joinable()) delivery_thread_.join();
}

}  // namespace ilinks
