// The audit trail: events, their hash chain, the log file, delivery through a
// spool, and the proactive rules that need the history (volume, out of hours).
#include "ilinks/audit.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

#include <nlohmann/json.hpp>


namespace ilinks {

using nlohmann::json;

namespace {

const std::string kNoPreviousEvent(64, '0');

json content_of(const AuditEvent& e) {
  json alerts = json::array();
  for (const auto& a : e.alerts) alerts.push_back({{"rule", a.rule}, {"why", a.why}});
  return {{"sequence", e.sequence},       {"time", e.time.iso()},
          {"action", e.action},           {"user_id", e.user_id},
          {"user_name", e.user_name},     {"profile", e.profile},
          {"profile_name", e.profile_name}, {"organisation", e.organisation},
          {"device", e.device},           {"patient_nhs_number", e.patient_nhs_number},
          {"shown", e.shown},             {"basis", e.basis},
          {"basis_detail", e.basis_detail}, {"outcome", e.outcome},
          {"policy_version", e.policy_version}, {"policy_sha256", e.policy_sha256},
          {"alerts", alerts},             {"previous_hash", e.previous_hash}};
}

// Reads every line of a file (a missing file has none).
std::vector<std::string> lines_of(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path, std::ios::binary);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

bool append_line(const std::string& path, const std::string& line) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << line << '\n';
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace

// ---- Events -----------------------------------------------------------------

namespace {
// Words the host gave (a user's name, an override's reason) may hold bad
// UTF-8: replaced, so an event is always written.
std::string dump_text(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }
}  // namespace

std::string AuditEvent::compute_hash() const { return sha256_hex(previous_hash + "\n" + dump_text(content_of(*this))); }

std::string AuditEvent::to_json() const {
  json j = content_of(*this);
  j["hash"] = hash;
  return dump_text(j);
}

AuditEvent AuditEvent::from_json(const std::string& line) {
  json j;
  try {
    j = json::parse(line);
  } catch (const json::exception&) {  // parse_error, or out_of_range for a number too large to hold
    throw InputError("is not valid JSON");
  }
  if (!j.is_object()) throw InputError("is not a JSON object");
  auto text = [&](const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) throw InputError(std::string("has no text \"") + key + "\"");
    return it->get<std::string>();
  };
  AuditEvent e;
  auto seq = j.find("sequence");
  if (seq == j.end() || !seq->is_number_unsigned()) throw InputError("has no sequence number");
  e.sequence = seq->get<uint64_t>();
  auto time = Timestamp::parse(text("time"));
  if (!time) throw InputError("has a time that is not an ISO 8601 instant");
  e.time = *time;
  e.action = text("action");
  e.user_id = text("user_id");
  e.user_name = text("user_name");
  e.profile = text("profile");
  e.profile_name = text("profile_name");
  e.organisation = text("organisation");
  e.device = text("device");
  e.patient_nhs_number = text("patient_nhs_number");
  e.shown = text("shown");
  e.basis = text("basis");
  e.basis_detail = text("basis_detail");
  e.outcome = text("outcome");
  e.policy_version = text("policy_version");
  e.policy_sha256 = text("policy_sha256");
  e.previous_hash = text("previous_hash");
  e.hash = text("hash");
  auto alerts = j.find("alerts");
  if (alerts == j.end() || !alerts->is_array()) throw InputError("has no alerts list");
  for (const auto& a : *alerts) {
    if (!a.is_object() || !a.contains("rule") || !a["rule"].is_string() || !a.contains("why") || !a["why"].is_string())
      throw InputError("has an alert without rule and why");
    e.alerts.push_back({a["rule"].get<std::string>(), a["why"].get<std::string>()});
  }
  if (j.size() != content_of(e).size() + 1) throw InputError("has members an audit event does not have");
  return e;
}

// ---- FHIR -------------------------------------------------------------------

namespace {
json coding(const char* system, const std::string& code, const std::string& display = "") {
  json c = {{"system", system}, {"code", code}};
  if (!display.empty()) c["display"] = display;
  return c;
}
std::string fhir_id(const AuditEvent& e) { return "ilinks-" + std::to_string(e.sequence) + "-" + e.hash.substr(0, 16); }
const char* kNhsNumber = "https://fhir.nhs.uk/Id/nhs-number";
}  // namespace

std::string to_fhir_audit_event(const AuditEvent& e) {
  bool refused = e.action == "refusal";
  bool emergency = e.basis == "override";
  json purpose = emergency ? coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "BTG", "break the glass")
                           : coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "TREAT", "treatment");
  json user = {{"type", {{"coding", {coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient")}}}},
               {"role", {{{"coding", {coding("https://ilinks.nhs.uk/fhir/CodeSystem/role-profile", e.profile, e.profile_name)}}}}},
               {"who", {{"identifier", {{"system", "https://ilinks.nhs.uk/Id/user"}, {"value", e.user_id}}}, {"display", e.user_name}}},
               {"requestor", true},
               {"purposeOfUse", {{{"coding", {purpose}}}}}};
  json organisation = {{"type", {{"coding", {coding("http://terminology.hl7.org/CodeSystem/v3-RoleClass", "PROV", "healthcare provider")}}}},
                       {"who", {{"identifier", {{"system", "https://fhir.nhs.uk/Id/ods-organization-code"}, {"value", e.organisation}}}}},
                       {"requestor", false}};
  json device = {{"type", {{"coding", {coding("http://dicom.nema.org/resources/ontology/DCM", "110153", "Source Role ID")}}}},
                 {"who", {{"display", e.device.empty() ? "ilinks-viewer" : e.device}}},
                 {"requestor", false}};
  json details = json::array({{{"type", "segments shown"}, {"valueString", e.shown}},
                              {{"type", "basis"}, {"valueString", e.basis + (e.basis_detail.empty() ? "" : ": " + e.basis_detail)}},
                              {{"type", "policy"}, {"valueString", e.policy_version + " sha256:" + e.policy_sha256}},
                              {{"type", "chain"}, {"valueString", std::to_string(e.sequence) + " " + e.hash}}});
  json patient = {{"what", {{"identifier", {{"system", kNhsNumber}, {"value", e.patient_nhs_number}}}}},
                  {"type", coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person")},
                  {"role", coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient")},
                  {"detail", details}};
  std::string subtype = e.action == "view" ? "read" : e.action == "refusal" ? "read" : "update";
  json out = {{"resourceType", "AuditEvent"},
              {"id", fhir_id(e)},
              {"meta", {{"profile", {"https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead"}}}},
              {"type", coding("http://dicom.nema.org/resources/ontology/DCM", "110110", "Patient Record")},
              {"subtype", {coding("http://hl7.org/fhir/restful-interaction", subtype)}},
              {"action", e.action == "view" || e.action == "refusal" ? "R" : "U"},
              {"recorded", e.time.iso()},
              {"outcome", refused ? "4" : "0"},
              {"outcomeDesc", e.action + ": " + e.outcome},
              {"purposeOfEvent", {{{"coding", {purpose}}}}},
              {"agent", {user, organisation, device}},
              {"source", {{"observer", {{"display", "ilinks-viewer"}}},
                          {"type", {coding("http://terminology.hl7.org/CodeSystem/security-source-type", "1", "End-user display device")}}}},
              {"entity", {patient}}};
  return dump_text(out);
}

std::string to_fhir_alert(const AuditEvent& e) {
  if (e.alerts.empty()) return {};
  json payload = json::array(), reasons = json::array();
  for (const auto& a : e.alerts) {
    payload.push_back({{"contentString", a.why}});
    reasons.push_back({{"coding", {coding("https://ilinks.nhs.uk/fhir/CodeSystem/audit-alert", a.rule)}}, {"text", a.why}});
  }
  json out = {{"resourceType", "Communication"},
              {"id", fhir_id(e) + "-alert"},
              {"status", "completed"},
              {"category", {{{"text", "privacy officer alert"}}}},
              {"priority", "urgent"},
              {"subject", {{"identifier", {{"system", kNhsNumber}, {"value", e.patient_nhs_number}}}}},
              {"about", {{{"reference", "AuditEvent/" + fhir_id(e)}}}},
              {"sent", e.time.iso()},
              {"recipient", {{{"display", "Privacy officer"}}}},
              {"sender", {{"display", "ilinks-viewer audit"}}},
              {"reasonCode", reasons},
              {"payload", payload}};
  return dump_text(out);
}

// ---- Sinks ------------------------------------------------------------------

AuditSink audit_file_sink(const std::string& path) {
  return [path](const AuditEvent& e) { return append_line(path, e.to_json()); };
}

// ---- The proactive volume rules ----------------------------------------------

namespace {
bool in_hours(const Timestamp& t, const AlertThresholds& th) {
  int day = t.local_weekday(), minute = t.local_minute_of_day();
  bool working_day = std::find(th.working_days.begin(), th.working_days.end(), day) != th.working_days.end();
  return working_day && minute >= th.working_start_minute && minute < th.working_end_minute;
}
bool raised(const AuditEvent& e, const std::string& rule) {
  return std::any_of(e.alerts.begin(), e.alerts.end(), [&](const Alert& a) { return a.rule == rule; });
}
}  // namespace

int64_t volume_alert_window_seconds(const AlertThresholds& th) {
  return int64_t(std::max(th.patients_per_user_minutes, th.out_of_hours_minutes)) * 60;
}

std::vector<Alert> volume_alerts(const AuditEvent& e, const std::vector<AuditEvent>& earlier, const AlertThresholds& th) {
  std::vector<Alert> out;
  if (e.action != "view") return out;
  const int64_t now = e.time.utc_seconds;
  const int64_t people_since = now - int64_t(th.patients_per_user_minutes) * 60;
  const int64_t late_since = now - int64_t(th.out_of_hours_minutes) * 60;
  std::set<std::string> people{e.patient_nhs_number};
  bool people_raised = false, late_raised = false;
  int late = in_hours(e.time, th) ? 0 : 1;
  const int64_t window = volume_alert_window_seconds(th);
  for (const auto& v : earlier) {
    if (v.user_id != e.user_id || v.action != "view") continue;
    if (v.time.utc_seconds > now) {  // stamped later, kept first: only what it raised counts
      if (v.time.utc_seconds - now <= window) {
        people_raised = people_raised || raised(v, "many-patients");
        late_raised = late_raised || raised(v, "out-of-hours");
      }
      continue;
    }
    if (v.time.utc_seconds > people_since) {
      people.insert(v.patient_nhs_number);
      people_raised = people_raised || raised(v, "many-patients");
    }
    if (v.time.utc_seconds > late_since) {
      if (!in_hours(v.time, th)) ++late;
      late_raised = late_raised || raised(v, "out-of-hours");
    }
  }
  if (static_cast<int>(people.size()) > th.patients_per_user && !people_raised)
    out.push_back({"many-patients", std::to_string(people.size()) + " people's records viewed in " +
                                        std::to_string(th.patients_per_user_minutes) + " minutes"});
  if (late > 0 && !in_hours(e.time, th) && late > th.out_of_hours_views && !late_raised)
    out.push_back({"out-of-hours", std::to_string(late) + " views out of hours in " + std::to_string(th.out_of_hours_minutes) +
                                       " minutes"});
  return out;
}

// ---- The trail --------------------------------------------------------------

struct AuditTrail::State {
  std::mutex lock;
  AlertThresholds thresholds;
  std::string log_path, spool_path;
  AuditSink sink;
  uint64_t sequence = 0;
  std::string last_hash = kNoPreviousEvent;
  std::deque<AuditEvent> waiting;                                     // in the spool, oldest first
  std::shared_ptr<AuditLedger> ledger;
  std::deque<AuditEvent> recent_views;  // within the volume rules' window, oldest first

  // Volume and out-of-hours rules, over the views this trail has seen.
  void remember_and_check(AuditEvent& e) {
    if (e.action != "view") return;
    int64_t window = volume_alert_window_seconds(thresholds);
    // Kept in the order recorded: a view stamped earlier may arrive after a later one.
    recent_views.erase(std::remove_if(recent_views.begin(), recent_views.end(),
                                      [&](const AuditEvent& v) { return v.time.utc_seconds <= e.time.utc_seconds - 2 * window; }),
                       recent_views.end());
    std::vector<AuditEvent> earlier;
    for (const auto& v : recent_views)
      if (v.user_id == e.user_id) earlier.push_back(v);
    for (auto& a : volume_alerts(e, earlier, thresholds)) e.alerts.push_back(std::move(a));
    recent_views.push_back(e);
  }

  void save_spool() {
    if (spool_path.empty()) return;
    std::string temp = spool_path + ".new";
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      for (const auto& e : waiting) out << e.to_json() << '\n';
      if (!out) throw AuditError("audit spool " + spool_path + " cannot be written");
    }
    if (std::rename(temp.c_str(), spool_path.c_str()) != 0) throw AuditError("audit spool " + spool_path + " cannot be replaced");
  }

  // Delivers waiting events in order; stops at the first the sink refuses.
  void deliver_waiting() {
    if (!sink) return;
    size_t delivered = 0;
    while (!waiting.empty()) {
      bool ok = false;
      try {
        ok = sink(waiting.front());
      } catch (...) {
        ok = false;  // a sink that throws is a sink that is down
      }
      if (!ok) break;
      waiting.pop_front();
      ++delivered;
      save_spool();  // acknowledged events leave the spool at once: never sent twice
    }
    (void)delivered;
  }
};

AuditTrail::AuditTrail(const AlertThresholds& alerts, std::string log_path, AuditSink sink, std::string spool_path)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.thresholds = alerts;
  s.log_path = std::move(log_path);
  s.sink = std::move(sink);
  s.spool_path = std::move(spool_path);
  if (!s.log_path.empty()) {
    auto lines = lines_of(s.log_path);
    for (size_t i = 0; i < lines.size(); ++i) {
      AuditEvent e;
      try {
        e = AuditEvent::from_json(lines[i]);
      } catch (const InputError& err) {
        throw AuditError("audit log " + s.log_path + " line " + std::to_string(i + 1) + " " + err.what() +
                         "; nothing is appended to a damaged log (check it with ilinks-audit verify)");
      }
      s.sequence = e.sequence;
      s.last_hash = e.hash;
      s.remember_and_check(e);  // rebuild the history the alert rules need
    }
  }
  if (!s.spool_path.empty()) {
    auto lines = lines_of(s.spool_path);
    for (size_t i = 0; i < lines.size(); ++i) {
      try {
        s.waiting.push_back(AuditEvent::from_json(lines[i]));
      } catch (const InputError& err) {
        throw AuditError("audit spool " + s.spool_path + " line " + std::to_string(i + 1) + " " + err.what());
      }
    }
  }
}

AuditTrail::AuditTrail(const AlertThresholds& alerts, std::shared_ptr<AuditLedger> ledger) : state_(std::make_unique<State>()) {
  if (!ledger) throw AuditError("an audit trail over a ledger needs the ledger");
  state_->thresholds = alerts;
  state_->ledger = std::move(ledger);
}

AuditTrail::~AuditTrail() = default;

AuditEvent AuditTrail::record(AuditEvent event) {
  State& s = *state_;
  if (s.ledger) {
    AuditEvent kept = s.ledger->append(std::move(event), s.thresholds);  // the ledger serialises writers
    std::lock_guard<std::mutex> guard(s.lock);
    s.sequence = kept.sequence;
    s.last_hash = kept.hash;
    return kept;
  }
  std::lock_guard<std::mutex> guard(s.lock);
  event.sequence = s.sequence + 1;
  event.previous_hash = s.last_hash;
  s.remember_and_check(event);
  event.hash = event.compute_hash();
  if (s.sink && s.spool_path.empty()) {
    // A sink with no spool takes each event at once, or nothing is shown.
    bool kept = false;
    try {
      kept = s.sink(event);
    } catch (...) {
      kept = false;
    }
    if (!kept) throw AuditError("the audit event could not be delivered; nothing is shown without an audit record");
  }
  if (!s.log_path.empty() && !append_line(s.log_path, event.to_json()))
    throw AuditError("audit log " + s.log_path + " cannot be written; nothing is shown without an audit record");
  s.sequence = event.sequence;
  s.last_hash = event.hash;
  if (s.sink && !s.spool_path.empty()) {
    s.waiting.push_back(event);
    s.save_spool();  // on disk before the sink is tried: a crash loses nothing
    s.deliver_waiting();
  }
  return event;
}

size_t AuditTrail::flush() {
  std::lock_guard<std::mutex> guard(state_->lock);
  state_->deliver_waiting();
  return state_->waiting.size();
}

size_t AuditTrail::waiting() const { return state_->waiting.size(); }
uint64_t AuditTrail::last_sequence() const { return state_->sequence; }
const std::string& AuditTrail::last_hash() const { return state_->last_hash; }

// ---- Verification -------------------------------------------------------------

AuditVerification verify_audit_log(const std::string& path) {
  AuditVerification v;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    v.problem = path + ": cannot be opened for reading";
    return v;
  }
  std::string previous = kNoPreviousEvent;
  uint64_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    auto bad = [&](const std::string& why) {
      v.first_bad = line_number;
      v.problem = "event at line " + std::to_string(line_number) + " " + why;
      return v;
    };
    if (line.empty()) return bad("is an empty line (an event was removed or the file was edited)");
    AuditEvent e;
    try {
      e = AuditEvent::from_json(line);
    } catch (const InputError& err) {
      return bad(err.what());
    }
    if (e.sequence != v.events + 1)
      return bad("has sequence " + std::to_string(e.sequence) + " where " + std::to_string(v.events + 1) +
                 " was expected (events removed, inserted or reordered)");
    if (e.previous_hash != previous)
      return bad("does not follow the event before it: its previous_hash differs (events removed, inserted or reordered)");
    if (e.compute_hash() != e.hash) return bad("has been edited: its content does not match its hash");
    previous = e.hash;
    ++v.events;
  }
  v.intact = true;
  v.last_hash = previous;
  return v;
}

}  // namespace ilinks
