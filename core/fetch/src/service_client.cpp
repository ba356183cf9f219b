// The sharing service's client (ilinks/service_client.h): one request per
// call, each with a fresh token; a token refused as expired is replaced once.
#include "ilinks/service_client.h"

#include <nlohmann/json.hpp>

#include "http_get.h"

namespace ilinks {

namespace {

const char* kService = "the sharing service";

// The service's own words from its {"error": ..., "message": ...} answer.
std::string said(const http::Response& r) {
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  if (doc.is_object() && doc.contains("message") && doc["message"].is_string()) return doc["message"].get<std::string>();
  return "";
}

bool refused_as_expired(const http::Response& r) { return r.status == 401 && said(r).find("has expired") != std::string::npos; }

}  // namespace

ServiceClient::ServiceClient(ServiceSettings settings, TokenSource tokens) : settings_(std::move(settings)), tokens_(std::move(tokens)) {}

std::string ServiceClient::exchange(const std::string& method, const std::string& route, const std::string& body) {
  http::Exchange x;
  x.method = method;
  x.url = http::join_url(settings_.base_url, "v1/" + route);
  x.body = body;
  x.accept = "application/json";
  http::Response r;
  for (bool expired = false;; expired = true) {
    http::Settings s;
    s.timeout_ms = settings_.timeout_ms;
    s.bearer_token = tokens_ ? tokens_(expired) : "";
    if (s.bearer_token.empty())
      throw Refused(std::string("the host gave no context token for ") + kService + " (its token provider answered nothing)");
    r = http::exchange_once(s, x);
    if (!refused_as_expired(r) || expired) break;  // one more try, with a token made now
  }
  const std::string where = std::string(kService) + " at " + settings_.base_url;
  if (r.timed_out) throw Unavailable(where + " did not answer within " + std::to_string(settings_.timeout_ms / 1000) + " s");
  if (!r.transport_error.empty()) throw Unavailable(where + " could not be reached: " + r.transport_words);
  if (r.ok()) return r.body;
  std::string words = said(r);
  std::string why = words.empty() ? "it answered " + std::to_string(r.status) : words + " (" + std::to_string(r.status) + ")";
  if (r.status >= 500) throw Unavailable(where + " cannot answer now: " + why);
  throw Refused(std::string(kService) + " refused: " + why);
}

ServiceView ServiceClient::view() { return ServiceView::read(exchange("GET", "view", ""), kService); }

ServiceView ServiceClient::post_for_view(const std::string& route, const std::string& json_body) {
  return ServiceView::read(exchange("POST", route, json_body), kService);
}

void ServiceClient::post(const std::string& route, const std::string& json_body) { (void)exchange("POST", route, json_body); }

}  // namespace ilinks
