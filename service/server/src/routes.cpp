// The versioned JSON API (/v1/...). Each clinical route makes its answer
// through a Session over the shared store, so every View is the policy's and
// every view is audited before it is sent; the audit routes read the store
// and never the record. README "The sharing service" lists the routes with
// curl examples.
#include <algorithm>
#include <chrono>

#include "api.h"
#include "explanations.h"
#include "fhir_consent.h"
#include "ilinks/session.h"
#include "ilinks/view_wire.h"

namespace ilinks {
namespace {

using api::answer;
using api::Caller;
using api::fail;
using api::json;
using HttpRequest = httplib::Request;
using httplib::Response;

// Every route is timed and counted under its template, never its values.
httplib::Server::Handler timed(SharingService& s, const std::string& route,
                               std::function<void(const HttpRequest&, Response&)> handler) {
  return [&s, route, handler](const HttpRequest& req, Response& res) {
    auto start = std::chrono::steady_clock::now();
    handler(req, res);
    s.metrics().request(route, res.status, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  };
}

// A route for a clinical profile about the person in the token.
httplib::Server::Handler clinical(SharingService& s, const std::string& route,
                                  std::function<void(const HttpRequest&, Response&, const Caller&)> handler) {
  return timed(s, route, [&s, handler](const HttpRequest& req, Response& res) {
    auto caller = api::authenticate(s, req, res);
    if (!caller) return;
    if (!caller->profile)
      return fail(res, 403, "forbidden", "\"" + caller->token.viewer.profile + "\" is an audit role: it sees no record");
    if (caller->token.patient_nhs_number.empty())
      return fail(res, 400, "no-person", "the context token names no person (its \"patient\" claim): this route is about one");
    api::guarded(s, res, [&] { handler(req, res, *caller); });
  });
}

// A route for an audit role that may see `what` ("alerts", "audit", "own-access-log").
httplib::Server::Handler auditing(SharingService& s, const std::string& route, const std::string& what,
                                  std::function<void(const HttpRequest&, Response&, const Caller&)> handler) {
  bool about_person = what != "alerts";
  return timed(s, route, [&s, what, about_person, handler](const HttpRequest& req, Response& res) {
    auto caller = api::authenticate(s, req, res);
    if (!caller) return;
    if (!caller->audit_role || !caller->audit_role->sees.count(what))
      return fail(res, 403, "forbidden", "this needs an audit role that sees " + what + " (policy.json audit_roles)");
    if (about_person && caller->token.patient_nhs_number.empty())
      return fail(res, 400, "no-person", "the context token names no person (its \"patient\" claim): this route is about one");
    api::guarded(s, res, [&] { handler(req, res, *caller); });
  });
}

// A viewing session for the caller, over the person's record as the sources have it now.
struct CallerSession {
  CallerSession(SharingService& s, const Caller& c) : session(s.policy(), s.shared_store()) {
    session.set_audit_trail(s.shared_audit());
    session.load(s.records().record_of(c.token.patient_nhs_number));
    session.set_viewer(c.token.viewer, c.token.legitimate_relationship);
    session.set_host_patient(c.token.patient_nhs_number);
  }
  Session session;
};

// Sends the caller's View (audited by the policy as it is made), whole, as
// "ilinks-view/1" (ilinks/view_wire.h): what the viewer draws, nothing more.
void send_view(Session& session, Response& res, int status = 200) {
  std::optional<View> view = session.view();
  if (!view) return fail(res, 404, "no-record", "there is no record to show");
  api::answer_text(res, status, view_to_wire(*view), "application/json");
}

// {"reason_code": ..., "text": ...}: why an override or wider access is needed.
std::optional<std::pair<std::string, std::string>> reason_and_words(const HttpRequest& req, Response& res) {
  auto body = api::body_of(req, res);
  if (!body) return std::nullopt;
  auto reason = api::text_member(*body, "reason_code", res);
  auto text = reason ? api::text_member(*body, "text", res) : std::nullopt;
  if (!reason || !text) return std::nullopt;
  return std::make_pair(*reason, *text);
}

std::optional<OptOut> opt_out_of(const json& body, Response& res) {
  static const std::map<std::string, OptOut::Scope> kScopes = {
      {"whole-record", OptOut::Scope::whole_record}, {"segment", OptOut::Scope::segment},
      {"setting", OptOut::Scope::setting},           {"label", OptOut::Scope::security_label},
      {"organisation", OptOut::Scope::organisation}, {"entry", OptOut::Scope::item}};
  auto scope = api::text_member(body, "scope", res);
  if (!scope) return std::nullopt;
  auto it = kScopes.find(*scope);
  if (it == kScopes.end()) {
    fail(res, 400, "bad-member", "\"scope\" must be one of whole-record, segment, setting, label, organisation, entry");
    return std::nullopt;
  }
  auto value = api::text_member(body, "value", res, std::string());
  if (!value) return std::nullopt;
  return OptOut{it->second, *value};
}

json opt_out_json(const StoredOptOut& o) {
  static const char* kNames[] = {"whole-record", "segment", "setting", "label", "organisation", "entry"};
  json j = {{"id", o.id},
            {"scope", kNames[static_cast<int>(o.opt_out.scope)]},
            {"value", o.opt_out.value},
            {"recorded_by", {{"user", o.recorded_by.user_id}, {"name", o.recorded_by.user_name}, {"organisation", o.recorded_by.organisation_ods}}},
            {"recorded_at", o.recorded_at.iso()}};
  if (o.withdrawn_at) j["withdrawn_at"] = o.withdrawn_at->iso();
  return j;
}

json consent_json(const StoredConsent& c) {
  json j = {{"id", c.id},
            {"method", c.consent.method},
            {"given_by", c.consent.given_by},
            {"scope", consent_scope_id(c.consent.scope)},
            {"scope_value", c.consent.scope_value},
            {"recorded_by", {{"user", c.recorded_by.user_id}, {"name", c.recorded_by.user_name}, {"organisation", c.recorded_by.organisation_ods}}},
            {"recorded_at", c.consent.recorded_at.iso()}};
  if (c.consent.expires) j["expires"] = c.consent.expires->iso();
  if (c.withdrawn_at) j["withdrawn_at"] = c.withdrawn_at->iso();
  return j;
}

std::optional<Timestamp> time_param(const HttpRequest& req, const char* name, Response& res, bool& bad) {
  if (!req.has_param(name)) return std::nullopt;
  std::optional<Timestamp> t = Timestamp::parse(req.get_param_value(name));
  if (!t) {
    bad = true;
    fail(res, 400, "bad-parameter", std::string("\"") + name + "\" must be a date and time (2026-11-29T09:00:00Z)");
  }
  return t;
}

}  // namespace

void install_routes(httplib::Server& server, SharingService& s) {
  // ---- Health and metrics (no token: they say nothing about anyone) -----------------
  server.Get("/healthz", timed(s, "/healthz", [&s](const HttpRequest&, Response& res) {
    try {
      s.store().check();
      answer(res, 200, {{"status", "ok"}, {"store", s.store().kind()}, {"policy", s.policy().version()}});
    } catch (const StoreError&) {
      s.metrics().store_error();
      answer(res, 503, {{"status", "store-unavailable"}, {"store", s.store().kind()}});
    }
  }));
  server.Get("/metrics", timed(s, "/metrics", [&s](const HttpRequest&, Response& res) {
    api::answer_text(res, 200, s.metrics().prometheus_text(), "text/plain; version=0.0.4");
  }));

  // ---- The View --------------------------------------------------------------------------
  server.Get("/v1/view", clinical(s, "/v1/view", [&s](const HttpRequest&, Response& res, const Caller& c) {
    CallerSession cs(s, c);
    send_view(cs.session, res);
  }));

  // ---- Consent -----------------------------------------------------------------------------
  server.Post("/v1/consent", clinical(s, "/v1/consent", [&s](const HttpRequest& req, Response& res, const Caller& c) {
    auto body = api::body_of(req, res);
    if (!body) return;
    auto method = api::text_member(*body, "method", res);
    auto given_by = api::text_member(*body, "given_by", res, std::string("patient"));
    auto scope_id = api::text_member(*body, "scope", res, std::string("user"));
    if (!method || !given_by || !scope_id) return;
    Consent::Scope scope;
    if (!consent_scope_from_id(*scope_id, scope))
      return fail(res, 400, "bad-member", "\"scope\" must be one of user, organisation, team, all-participants");
    CallerSession cs(s, c);
    cs.session.record_consent(*method, *given_by, scope);
    send_view(cs.session, res, 201);
  }));
  server.Post("/v1/consent/withdraw", clinical(s, "/v1/consent/withdraw", [&s](const HttpRequest&, Response& res, const Caller& c) {
    CallerSession cs(s, c);
    cs.session.withdraw_consent();
    send_view(cs.session, res);
  }));
  server.Get("/v1/consents", clinical(s, "/v1/consents", [&s](const HttpRequest&, Response& res, const Caller& c) {
    if (!c.token.legitimate_relationship)
      return fail(res, 403, "refused", "no legitimate relationship with this person is recorded for you");
    json list = json::array();
    for (const auto& k : s.store().consents(c.token.patient_nhs_number, true)) list.push_back(consent_json(k));
    answer(res, 200, {{"consents", list}});
  }));
  // Consent and opt-outs as FHIR R4 Consent resources, out and in.
  server.Get("/v1/consents/fhir", clinical(s, "/v1/consents/fhir", [&s](const HttpRequest&, Response& res, const Caller& c) {
    if (!c.token.legitimate_relationship)
      return fail(res, 403, "refused", "no legitimate relationship with this person is recorded for you");
    api::answer_text(res, 200, consents_as_fhir(s.store(), c.token.patient_nhs_number), "application/fhir+json");
  }));
  server.Post("/v1/consents/fhir", clinical(s, "/v1/consents/fhir", [&s](const HttpRequest& req, Response& res, const Caller& c) {
    if (!c.token.legitimate_relationship)
      return fail(res, 403, "refused", "no legitimate relationship with this person is recorded for you");
    auto imported = import_fhir_consents(s, c, req.body);  // throws InputError naming the entry
    answer(res, 201, {{"consents", imported.consents}, {"opt_outs", imported.opt_outs}});
  }));

  // ---- Override and wider access -------------------------------------------------------------
  server.Post("/v1/override", clinical(s, "/v1/override", [&s](const HttpRequest& req, Response& res, const Caller& c) {
    auto why = reason_and_words(req, res);
    if (!why) return;
    CallerSession cs(s, c);
    cs.session.start_override(why->first, why->second);
    owe_explanation(s, c, *cs.session.record(), *s.store().override_for(c.token.patient_nhs_number, c.token.viewer));
    send_view(cs.session, res, 201);
  }));
  server.Post("/v1/case-access", clinical(s, "/v1/case-access", [&s](const HttpRequest& req, Response& res, const Caller& c) {
    auto why = reason_and_words(req, res);
    if (!why) return;
    CallerSession cs(s, c);
    cs.session.record_case_access(why->first, why->second);
    send_view(cs.session, res, 201);
  }));

  // ---- Opt-outs -----------------------------------------------------------------------------------
  server.Get("/v1/opt-outs", clinical(s, "/v1/opt-outs", [&s](const HttpRequest&, Response& res, const Caller& c) {
    if (!c.token.legitimate_relationship)
      return fail(res, 403, "refused", "no legitimate relationship with this person is recorded for you");
    json list = json::array();
    for (const auto& o : s.store().opt_outs_of(c.token.patient_nhs_number, true)) list.push_back(opt_out_json(o));
    answer(res, 200, {{"opt_outs", list}});
  }));
  server.Post("/v1/opt-outs", clinical(s, "/v1/opt-outs", [&s](const HttpRequest& req, Response& res, const Caller& c) {
    if (!c.token.legitimate_relationship)
      return fail(res, 403, "refused", "no legitimate relationship with this person is recorded for you");
    auto body = api::body_of(req, res);
    if (!body) return;
    auto opt_out = opt_out_of(*body, res);
    if (!opt_out) return;
    Timestamp now = Timestamp::now();
    s.policy().record_opt_out(c.token.viewer, c.person(), *opt_out, now, s.audit());  // Refused when empty; audited
    const Viewer& v = c.token.viewer;
    int64_t id = s.store().add_opt_out_by(c.token.patient_nhs_number, *opt_out, {v.user_id, v.user_name, v.organisation_ods}, now);
    answer(res, 201, {{"id", id}});
  }));
  server.Delete(R"(/v1/opt-outs/(\d{1,18}))", clinical(s, "/v1/opt-outs/{id}", [&s](const HttpRequest& req, Response& res, const Caller& c) {
    if (!c.token.legitimate_relationship)
      return fail(res, 403, "refused", "no legitimate relationship with this person is recorded for you");
    int64_t id = std::stoll(req.matches[1]);
    Timestamp now = Timestamp::now();
    auto in_force = s.store().opt_outs_of(c.token.patient_nhs_number, false);
    if (std::none_of(in_force.begin(), in_force.end(), [&](const StoredOptOut& o) { return o.id == id; }))
      return fail(res, 404, "not-found", "this person has no opt-out " + std::to_string(id) + " in force");
    // Audited before it takes effect: a withdrawal that cannot be audited does not happen.
    api::audit_service_event(s, &c, "consent", "recorded", "opt-out " + std::to_string(id) + " withdrawn", c.token.patient_nhs_number);
    if (!s.store().withdraw_opt_out(c.token.patient_nhs_number, id, c.token.viewer.user_id, now))
      return fail(res, 404, "not-found", "this person has no opt-out " + std::to_string(id) + " in force");
    answer(res, 200, {{"withdrawn", id}});
  }));

  // ---- The privacy officer ------------------------------------------------------------------------
  server.Get("/v1/alerts", auditing(s, "/v1/alerts", "alerts", [&s](const HttpRequest& req, Response& res, const Caller& c) {
    AlertQuery q;
    bool bad = false;
    q.from = time_param(req, "from", res, bad);
    if (bad) return;
    q.to = time_param(req, "to", res, bad);
    if (bad) return;
    q.user_id = req.get_param_value("user");
    q.organisation = req.get_param_value("organisation");
    q.unacknowledged_only = req.get_param_value("unacknowledged") == "true";
    api::audit_service_event(s, &c, "audit-read", "shown", "alerts");
    json list = json::array();
    for (const auto& a : s.store().alerts(q)) {
      json j = {{"id", a.id}, {"audit_sequence", a.audit_sequence}, {"time", a.time.iso()}, {"rule", a.rule}, {"why", a.why},
                {"user", a.user_id}, {"user_name", a.user_name}, {"organisation", a.organisation}, {"patient", a.patient_nhs_number}};
      if (a.acknowledged_at)
        j["acknowledged"] = {{"at", a.acknowledged_at->iso()}, {"by", a.acknowledged_by}, {"note", a.acknowledgement_note}};
      list.push_back(j);
    }
    answer(res, 200, {{"alerts", list}});
  }));
  server.Post(R"(/v1/alerts/(\d{1,18})/acknowledge)", auditing(s, "/v1/alerts/{id}/acknowledge", "alerts",
      [&s](const HttpRequest& req, Response& res, const Caller& c) {
    auto body = api::body_of(req, res);
    if (!body) return;
    auto note = api::text_member(*body, "note", res, std::string());
    if (!note) return;
    int64_t id = std::stoll(req.matches[1]);
    api::audit_service_event(s, &c, "audit-read", "recorded", "alert " + std::to_string(id) + " acknowledged");
    if (!s.store().acknowledge_alert(id, c.token.viewer.user_id, *note, Timestamp::now()))
      return fail(res, 404, "not-found", "there is no unacknowledged alert " + std::to_string(id));
    answer(res, 200, {{"acknowledged", id}});
  }));
  // A person's audit events, as IHE BALP-shaped FHIR AuditEvents, for the person in the token.
  server.Get("/v1/audit", auditing(s, "/v1/audit", "audit", [&s](const HttpRequest&, Response& res, const Caller& c) {
    api::audit_service_event(s, &c, "audit-read", "shown", "audit events about the person", c.token.patient_nhs_number);
    json entries = json::array();
    for (const auto& e : s.store().audit_events_about(c.token.patient_nhs_number, 5000))
      entries.push_back({{"resource", json::parse(to_fhir_audit_event(e))}});
    api::answer_text(res, 200, json{{"resourceType", "Bundle"}, {"type", "searchset"}, {"total", entries.size()}, {"entry", entries}}.dump(),
                     "application/fhir+json");
  }));

  // ---- The person: who has looked at my record ----------------------------------------------------------
  server.Get("/v1/access-log", auditing(s, "/v1/access-log", "own-access-log", [&s](const HttpRequest&, Response& res, const Caller& c) {
    api::audit_service_event(s, &c, "audit-read", "shown", "the person's own access log", c.token.patient_nhs_number);
    json list = json::array();
    for (const auto& e : s.store().audit_events_about(c.token.patient_nhs_number, 5000)) {
      if (e.action != "view" || e.outcome != "shown") continue;  // looks at the record, not requests refused
      list.push_back({{"when", e.time.iso()}, {"who", e.user_name.empty() ? e.user_id : e.user_name}, {"role", e.profile_name},
                      {"organisation", e.organisation}, {"basis", e.basis}});
    }
    answer(res, 200, {{"looked_at_your_record", list}});
  }));
}

}  // namespace ilinks
