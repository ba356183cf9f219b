#include "api.h"

#include <cstdio>

namespace ilinks::api {

void answer(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void answer_text(httplib::Response& res, int status, const std::string& body, const std::string& content_type) {
  res.status = status;
  res.set_content(body, content_type.c_str());
}

void fail(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  answer(res, status, {{"error", code}, {"message", message}});
}

std::optional<json> body_of(const httplib::Request& req, httplib::Response& res) {
  std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    fail(res, 415, "unsupported-media-type", "the body must be JSON, sent as Content-Type: application/json");
    return std::nullopt;
  }
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    fail(res, 400, "bad-json", "the body is not valid JSON");
    return std::nullopt;
  }
  if (!body.is_object()) {
    fail(res, 400, "bad-json", "the body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

std::optional<std::string> text_member(const json& body, const char* name, httplib::Response& res,
                                       const std::optional<std::string>& fallback) {
  auto it = body.find(name);
  if (it == body.end()) {
    if (fallback) return fallback;
    fail(res, 400, "missing-member", std::string("the body has no \"") + name + "\"");
    return std::nullopt;
  }
  if (!it->is_string()) {
    fail(res, 400, "bad-member", std::string("\"") + name + "\" must be text");
    return std::nullopt;
  }
  return it->get<std::string>();
}

Patient Caller::person() const {
  Patient p;
  p.nhs_number = token.patient_nhs_number;
  return p;
}

void audit_service_event(SharingService& service, const Caller* caller, const std::string& action, const std::string& outcome,
                         const std::string& detail, const std::string& patient) {
  AuditEvent e;
  e.time = Timestamp::now();
  e.action = action;
  if (caller) {
    const Viewer& v = caller->token.viewer;
    e.user_id = v.user_id;
    e.user_name = v.user_name;
    e.profile = v.profile;
    e.profile_name = caller->profile ? caller->profile->name : caller->audit_role ? caller->audit_role->name : "";
    e.organisation = v.organisation_ods;
    e.device = v.device;
  } else {
    e.user_id = "(not proven)";
  }
  e.patient_nhs_number = patient;
  e.basis = "none";
  e.basis_detail = detail;
  e.outcome = outcome;
  e.policy_version = service.policy().version();
  e.policy_sha256 = service.policy().sha256();
  service.audit().record(std::move(e));
}

namespace {
// A refusal of the caller's token, audited; the answer says why in words.
void refuse_token(SharingService& service, httplib::Response& res, int status, const std::string& why, const Caller* proven) {
  try {
    audit_service_event(service, proven, "refusal", "refused: " + why, "context token",
                        proven ? proven->token.patient_nhs_number : "");
  } catch (const AuditError&) {
    service.metrics().store_error();
    fail(res, 503, "store-unavailable", "the service cannot keep its audit trail just now; nothing is shown");
    return;
  }
  fail(res, status, status == 401 ? "unauthorised" : "forbidden", why);
  if (status == 401) res.set_header("WWW-Authenticate", "Bearer");
}
}  // namespace

std::optional<Caller> authenticate(SharingService& service, const httplib::Request& req, httplib::Response& res) {
  std::string header = req.get_header_value("Authorization");
  if (header.rfind("Bearer ", 0) != 0) {
    refuse_token(service, res, 401, "no context token: send Authorization: Bearer <token signed by your EPR>", nullptr);
    return std::nullopt;
  }
  Caller caller;
  try {
    caller.token = verify_context_token(header.substr(7), service.config().tokens, Timestamp::now());
  } catch (const TokenRefused& refused) {
    refuse_token(service, res, refused.status(), refused.what(), nullptr);
    return std::nullopt;
  }
  const std::string& profile = caller.token.viewer.profile;
  caller.profile = service.policy().profile(profile);
  caller.audit_role = service.policy().audit_role(profile);
  try {
    if (!service.store().use_token_once(caller.token.issuer, caller.token.jti, caller.token.expires)) {
      refuse_token(service, res, 401, "this context token was already used: ask your EPR for a new one for each request", &caller);
      return std::nullopt;
    }
  } catch (const StoreError&) {
    service.metrics().store_error();
    fail(res, 503, "store-unavailable", "the service's store cannot be reached just now; nothing is shown");
    return std::nullopt;
  }
  if (!caller.profile && !caller.audit_role) {
    refuse_token(service, res, 403, "\"" + profile + "\" is not a role profile or audit role of policy " + service.policy().version(),
                 &caller);
    return std::nullopt;
  }
  if (!service.rate_limiter().allow(caller.token.issuer + "|" + caller.token.viewer.user_id)) {
    fail(res, 429, "too-many-requests", "more requests than this service allows one user in a minute; wait and try again");
    res.set_header("Retry-After", "60");
    return std::nullopt;
  }
  return caller;
}

namespace {
bool listed_origin(const ServiceConfig& config, const std::string& origin) {
  for (const auto& o : config.browser_origins)
    if (o == origin) return true;
  return false;
}
}  // namespace

bool answer_preflight(const ServiceConfig& config, const httplib::Request& req, httplib::Response& res) {
  if (req.method != "OPTIONS" || req.path.rfind("/v1/", 0) != 0) return false;
  std::string origin = req.get_header_value("Origin");
  if (!listed_origin(config, origin)) {
    // The origin is the browser's, not a secret; naming it tells whoever
    // reads the network log which entry browser_origins lacks.
    fail(res, 403, "origin-not-allowed",
         (origin.empty() ? std::string("a request with no Origin") : "the origin " + origin) +
             " is not one of this service's browser_origins: its pages may not call the API");
    return true;
  }
  res.status = 204;
  res.set_header("Access-Control-Allow-Methods", "GET, POST, DELETE");
  res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
  res.set_header("Access-Control-Max-Age", "600");
  return true;
}

void allow_origin(const ServiceConfig& config, const httplib::Request& req, httplib::Response& res) {
  if (config.browser_origins.empty()) return;
  // Answers differ by Origin: a cache must not hand one page's answer to another.
  res.set_header("Vary", "Origin");
  std::string origin = req.get_header_value("Origin");
  if (!listed_origin(config, origin)) return;
  res.set_header("Access-Control-Allow-Origin", origin);
  res.set_header("Access-Control-Expose-Headers", "WWW-Authenticate, Retry-After");
}

void guarded(SharingService& service, httplib::Response& res, const std::function<void()>& work) {
  try {
    work();
  } catch (const StoreError&) {
    service.metrics().store_error();
    fail(res, 503, "store-unavailable", "the service's store cannot be reached just now; nothing is shown");
  } catch (const AuditError&) {
    service.metrics().store_error();
    fail(res, 503, "audit-unavailable", "the view could not be audited, so nothing is shown; try again shortly");
  } catch (const Refused& refused) {
    fail(res, 403, "refused", refused.what());
  } catch (const InputError& bad) {
    fail(res, 400, "bad-request", bad.what());
  } catch (const std::exception&) {
    // The words of an unexpected failure may hold anything: they are not sent.
    std::fprintf(stderr, "ilinks-service: an unexpected failure answered 500\n");
    fail(res, 500, "internal", "the service failed unexpectedly; nothing is shown; the failure is logged");
  }
}

}  // namespace ilinks::api
