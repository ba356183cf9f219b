// What every route shares: answers as JSON with words, who is calling
// (proven by a context token, used once), per-user rate limits, and the
// refusals written to the audit trail.
#pragma once
#include <optional>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "ilinks/context_token.h"
#include "service.h"

namespace ilinks::api {

using nlohmann::json;

// {"error": "<code>", "message": "<words>"}: the words say what, where and why.
void fail(httplib::Response& res, int status, const std::string& code, const std::string& message);
void answer(httplib::Response& res, int status, const json& body);
void answer_text(httplib::Response& res, int status, const std::string& body, const std::string& content_type);

// The request's JSON object body; answers 415 or 400 and returns nothing
// when it is not one.
std::optional<json> body_of(const httplib::Request& req, httplib::Response& res);
// A member that must be a string (400 when missing or not text); `fallback` when absent and optional.
std::optional<std::string> text_member(const json& body, const char* name, httplib::Response& res,
                                       const std::optional<std::string>& fallback = std::nullopt);

// Who is calling, proven.
struct Caller {
  ContextToken token;
  const Profile* profile = nullptr;        // a clinical role profile, or
  const AuditRole* audit_role = nullptr;   // an audit role
  Patient person() const;                  // the person open in the host (NHS number only)
};

// Checks the Authorization: Bearer context token (signature, times,
// audience, used once, a profile or audit role of the policy) and the
// caller's rate. On refusal answers 401/403/429 (or 503 when the store is
// down), audits the refusal, and returns nothing.
std::optional<Caller> authenticate(SharingService& service, const httplib::Request& req, httplib::Response& res);

// Writes an audit event for something the service itself did or refused
// (not a View: the policy writes those). Throws AuditError.
void audit_service_event(SharingService& service, const Caller* caller, const std::string& action, const std::string& outcome,
                         const std::string& detail, const std::string& patient = "");

// Calls `work`; turns what it throws into an answer: Refused 403, InputError
// 400, AuditError/StoreError 503 (fail closed: nothing shown), anything else 500
// with no details (they are logged without clinical data).
void guarded(SharingService& service, httplib::Response& res, const std::function<void()>& work);

// CORS, for web EPR pages whose widget calls the API from their own origin
// (config "browser_origins", compared exactly; never "*"). A preflight
// (OPTIONS /v1/...) is answered here: true when `req` was one. Its answer
// allows GET, POST and DELETE with Authorization and Content-Type for a
// listed origin, and is 403 in words for any other.
bool answer_preflight(const ServiceConfig& config, const httplib::Request& req, httplib::Response& res);
// Every answer (a View, an error) to a listed origin names it in
// Access-Control-Allow-Origin, so the page can read the service's words;
// an origin not listed gets no CORS header and the browser withholds the answer.
void allow_origin(const ServiceConfig& config, const httplib::Request& req, httplib::Response& res);

}  // namespace ilinks::api
