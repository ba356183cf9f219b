// What the store keeps, read back from its rows.
#include "rows.h"

namespace ilinks::sql {

namespace {
const OptOut::Scope kOptOutScopes[] = {OptOut::Scope::whole_record, OptOut::Scope::segment,
                                       OptOut::Scope::setting,      OptOut::Scope::security_label,
                                       OptOut::Scope::organisation, OptOut::Scope::item};
}  // namespace

const char* opt_out_scope_id(OptOut::Scope scope) {
  switch (scope) {
    case OptOut::Scope::whole_record: return "whole-record";
    case OptOut::Scope::segment: return "segment";
    case OptOut::Scope::setting: return "setting";
    case OptOut::Scope::security_label: return "security-label";
    case OptOut::Scope::organisation: return "organisation";
    case OptOut::Scope::item: return "item";
  }
  return "whole-record";
}

OptOut::Scope opt_out_scope_from_id(const std::string& id) {
  for (auto s : kOptOutScopes)
    if (id == opt_out_scope_id(s)) return s;
  throw Failure{"an opt-out kept has a scope this service does not know"};
}

Consent::Scope consent_scope_from(const std::string& id) {
  Consent::Scope scope = Consent::Scope::user;
  if (!consent_scope_from_id(id, scope)) throw Failure{"a consent kept has a scope this service does not know"};
  return scope;
}

const char* const kConsentColumns =
    "id, nhs_number, scope, scope_value, method, given_by, consent_recorded_by, recorded_at_utc, recorded_at_offset,"
    " expires_utc, expires_offset, by_user_id, by_user_name, by_organisation, withdrawn_at_utc, withdrawn_at_offset,"
    " withdrawn_by";

StoredConsent read_consent(const Row& row) {
  Reader r(row);
  StoredConsent s;
  s.id = r.integer();
  s.nhs_number = r.text();
  s.consent.scope = consent_scope_from(r.text());
  s.consent.scope_value = r.text();
  s.consent.method = r.text();
  s.consent.given_by = r.text();
  s.consent.recorded_by = r.text();
  s.consent.recorded_at = r.time();
  s.consent.expires = r.maybe_time();
  s.recorded_by.user_id = r.text();
  s.recorded_by.user_name = r.text();
  s.recorded_by.organisation_ods = r.text();
  s.withdrawn_at = r.maybe_time();
  s.withdrawn_by = r.text();
  return s;
}

const char* const kOptOutColumns =
    "id, nhs_number, scope, value, by_user_id, by_user_name, by_organisation, recorded_at_utc, recorded_at_offset,"
    " withdrawn_at_utc, withdrawn_at_offset, withdrawn_by";

StoredOptOut read_opt_out(const Row& row) {
  Reader r(row);
  StoredOptOut s;
  s.id = r.integer();
  s.nhs_number = r.text();
  s.opt_out.scope = opt_out_scope_from_id(r.text());
  s.opt_out.value = r.text();
  s.recorded_by.user_id = r.text();
  s.recorded_by.user_name = r.text();
  s.recorded_by.organisation_ods = r.text();
  s.recorded_at = r.time();
  s.withdrawn_at = r.maybe_time();
  s.withdrawn_by = r.text();
  return s;
}

const char* const kOverrideColumns =
    "reason_code, reason, text, declared_by, started_utc, started_offset, ends_utc, ends_offset";

Override read_override(const Row& row) {
  Reader r(row);
  Override o;
  o.reason_code = r.text();
  o.reason = r.text();
  o.text = r.text();
  o.user_id = r.text();
  o.started = r.time();
  o.ends = r.time();
  return o;
}

const char* const kCaseAccessColumns =
    "reason_code, reason, text, grant_user_id, grant_profile, grant_organisation, grant_nhs_number, started_utc,"
    " started_offset, ends_utc, ends_offset";

CaseAccess read_case_access(const Row& row) {
  Reader r(row);
  CaseAccess g;
  g.reason_code = r.text();
  g.reason = r.text();
  g.text = r.text();
  g.user_id = r.text();
  g.profile = r.text();
  g.organisation_ods = r.text();
  g.nhs_number = r.text();
  g.started = r.time();
  g.ends = r.time();
  return g;
}

AuditEvent read_audit_line(const std::string& line, const std::string& sequence) {
  try {
    return AuditEvent::from_json(line);
  } catch (const InputError& e) {
    throw Failure{"the audit event kept at sequence " + sequence + " cannot be read: it " + e.what()};
  }
}

const char* const kAlertColumns =
    "id, audit_sequence, time_utc, time_offset, rule, why, user_id, user_name, organisation, patient,"
    " acknowledged_at_utc, acknowledged_at_offset, acknowledged_by, acknowledgement_note";

StoredAlert read_alert(const Row& row) {
  Reader r(row);
  StoredAlert a;
  a.id = r.integer();
  a.audit_sequence = static_cast<uint64_t>(r.integer());
  a.time = r.time();
  a.rule = r.text();
  a.why = r.text();
  a.user_id = r.text();
  a.user_name = r.text();
  a.organisation = r.text();
  a.patient_nhs_number = r.text();
  a.acknowledged_at = r.maybe_time();
  a.acknowledged_by = r.text();
  a.acknowledgement_note = r.text();
  return a;
}

const char* const kAdtColumns = "id, nhs_number, sending_facility, control_id, message, received_utc, received_offset";

StoredAdt read_adt(const Row& row) {
  Reader r(row);
  StoredAdt m;
  m.id = r.integer();
  m.nhs_number = r.text();
  m.sending_facility = r.text();
  m.control_id = r.text();
  m.message = r.text();
  m.received = r.time();
  return m;
}

const char* const kExplanationColumns =
    "id, nhs_number, practice_ods, resource_json, created_utc, created_offset, attempts, last_error,"
    " last_attempt_utc, last_attempt_offset, delivered_at_utc, delivered_at_offset";

PendingExplanation read_explanation(const Row& row) {
  Reader r(row);
  PendingExplanation x;
  x.id = r.integer();
  x.nhs_number = r.text();
  x.practice_ods = r.text();
  x.resource_json = r.text();
  x.created = r.time();
  x.attempts = static_cast<int>(r.integer());
  x.last_error = r.text();
  x.last_attempt = r.maybe_time();
  x.delivered_at = r.maybe_time();
  return x;
}

}  // namespace ilinks::sql
