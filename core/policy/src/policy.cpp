// The sharing model applied: who may see which part of one person's record, on
// what basis, and the audit event that says so (SHARING-MODEL.md).
#include "ilinks/policy.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "ilinks/audit.h"
#include "ilinks/errors.h"
#include "ilinks/key_index.h"
#include "ilinks/two_threads.h"
#include "policy_data.h"

namespace ilinks {
namespace {

std::string upper_no_spaces(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// ODS codes name the same organisation when equal, or when one is a trust
// (three characters) and the other one of its sites (five: RVY01 is RVY's).
bool same_organisation(const std::string& a_raw, const std::string& b_raw) {
  std::string a = upper_no_spaces(a_raw), b = upper_no_spaces(b_raw);
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  if (a.size() == 3 && b.size() == 5) return b.compare(0, 3, a) == 0;
  if (b.size() == 3 && a.size() == 5) return a.compare(0, 3, b) == 0;
  return false;
}

std::string local_time(const Timestamp& t) {
  int m = t.local_minute_of_day();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
  return buf;
}

std::string when(const Timestamp& t) { return format_date(t.local_date()) + " " + local_time(t); }

std::string lower_first(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

bool date_covers(const std::optional<Date>& start, const std::optional<Date>& end, const Date& today) {
  auto key = [](const Date& d) { return d.year * 10000 + d.month * 100 + d.day; };
  if (start && key(*start) > key(today)) return false;
  if (end && key(*end) < key(today)) return false;
  return true;
}

const char* scope_name(OptOut::Scope s) {
  switch (s) {
    case OptOut::Scope::whole_record: return "the whole record";
    case OptOut::Scope::segment: return "segment";
    case OptOut::Scope::setting: return "care setting";
    case OptOut::Scope::security_label: return "security label";
    case OptOut::Scope::organisation: return "organisation";
    case OptOut::Scope::item: return "item";
  }
  return "";
}

bool opted_out(const Item& item, const OptOut& o) {
  switch (o.scope) {
    case OptOut::Scope::whole_record: return true;
    case OptOut::Scope::segment: return o.value == segment_letter(item.segment);
    case OptOut::Scope::setting: return o.value == care_setting_id(item.source.setting);
    case OptOut::Scope::security_label:
      return std::any_of(item.security_labels.begin(), item.security_labels.end(), [&](const Coding& c) { return c.code == o.value; });
    case OptOut::Scope::organisation:
      return same_organisation(item.source.ods_code, o.value) ||
             (!o.value.empty() && upper_no_spaces(item.source.name) == upper_no_spaces(o.value));
    case OptOut::Scope::item: return item.key == o.value || item.source_id == o.value;
  }
  return false;
}

// A consent a source holds: an active FHIR Consent (scope patient-privacy)
// that permits sharing, was given under an agreement the policy names, and
// says when it was given. The latest wins; it lapses as any consent does.
std::optional<Consent> consent_from_sources(const Record& record, const Policy::Data& d, const Timestamp& now) {
  std::optional<Consent> found;
  if (d.consent_source_policies.empty()) return found;
  Date today = now.local_date();
  for (const auto& item : record.items()) {
    if (!item.directive || item.status != "active" || item.directive->base_deny) continue;
    const ConsentDirective& c = *item.directive;
    bool named = std::any_of(c.policy_uris.begin(), c.policy_uris.end(), [&](const std::string& uri) {
      return std::find(d.consent_source_policies.begin(), d.consent_source_policies.end(), uri) != d.consent_source_policies.end();
    });
    std::optional<Timestamp> given = Timestamp::parse(item.date_time);
    if (!named || !given || !date_covers(c.start, c.end, today)) continue;
    if (found && given->utc_seconds <= found->recorded_at.utc_seconds) continue;
    Consent k;
    k.recorded_by = item.source.name.empty() ? (item.source.ods_code.empty() ? "a source of the record" : item.source.ods_code)
                                             : item.source.name;
    k.recorded_at = *given;
    k.method = "written";
    k.given_by = "patient";
    k.scope = Consent::Scope::all_participants;
    found = k;
  }
  return found;
}

// The person's opt-outs: the host's, and those of active FHIR Consent
// directives in the record. `unreadable` is set when a directive restricts in
// a way this viewer cannot apply: then nothing is shown.
std::vector<OptOut> opt_outs_of(const Record& record, const Request& req, bool& unreadable) {
  std::vector<OptOut> out = req.opt_outs;
  Date today = req.now.local_date();
  for (const auto& item : record.items()) {
    if (!item.directive || item.status != "active" || !date_covers(item.directive->start, item.directive->end, today)) continue;
    const ConsentDirective& d = *item.directive;
    if (d.base_deny) {
      out.push_back({OptOut::Scope::whole_record, {}});
      continue;
    }
    for (const auto& part : d.parts) {
      if (!part.deny) continue;
      if (part.unreadable) unreadable = true;
      for (const auto& ods : part.organisations) out.push_back({OptOut::Scope::organisation, ods});
      for (const auto& key : part.items) out.push_back({OptOut::Scope::item, key});
      for (const auto& label : part.security_labels) out.push_back({OptOut::Scope::security_label, label});
    }
  }
  return out;
}

AuditEvent event_for(const Viewer& viewer, const Profile* profile, const std::string& nhs_number, const Timestamp& now,
                     const std::string& action) {
  AuditEvent e;
  e.time = now;
  e.action = action;
  e.user_id = viewer.user_id;
  e.user_name = viewer.user_name;
  e.profile = viewer.profile;
  e.profile_name = profile ? profile->name : "";
  e.organisation = viewer.organisation_ods;
  e.device = viewer.device;
  e.patient_nhs_number = nhs_number;
  e.basis = "none";
  return e;
}

// What the widget's dialogs may offer a viewer of `profile` (none: no viewer yet).
ConsentOptions options_for(const Policy::Data& d, const Profile* profile) {
  ConsentOptions o;
  o.methods = d.consent_methods;
  o.may_override = profile && profile->may_override;
  for (const auto& r : d.override_reasons) o.override_reasons.push_back({r.code, r.display});
  o.override_text_min_characters = d.override_text_min;
  if (d.case_access) {
    for (const auto& r : d.case_access->reasons) o.case_access_reasons.push_back({r.code, r.display});
    o.case_access_text_min_characters = d.case_access->text_min;
  }
  return o;
}

}  // namespace

// ---- Consent changes and overrides ------------------------------------------

namespace {
// The reason of `reasons` coded `code`, or null; `known` then lists the codes.
const OverrideReason* coded_reason(const std::vector<OverrideReason>& reasons, const std::string& code, std::string& known) {
  for (const auto& r : reasons) {
    if (r.code == code) return &r;
    known += (known.empty() ? "" : ", ") + r.code;
  }
  return nullptr;
}

// How much a professional wrote, not counting spaces.
size_t non_space_characters(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return !std::isspace(static_cast<unsigned char>(c)); }));
}

void write_consent_event(const Policy& policy, const Viewer& viewer, const Patient& patient, const Timestamp& now,
                         const std::string& detail, AuditTrail& audit) {
  AuditEvent e = event_for(viewer, policy.profile(viewer.profile), patient.nhs_number, now, "consent");
  e.basis_detail = detail;
  e.outcome = "recorded";
  e.policy_version = policy.version();
  e.policy_sha256 = policy.sha256();
  audit.record(std::move(e));
}
}  // namespace

void Policy::record_consent(const Viewer& viewer, const Patient& patient, const Consent& consent, AuditTrail& audit) const {
  const auto& methods = data_->consent_methods;
  if (std::find(methods.begin(), methods.end(), consent.method) == methods.end())
    throw Refused("consent: method \"" + consent.method + "\" is not one the policy knows (verbal, written)");
  if (consent.recorded_by.empty()) throw Refused("consent: who recorded it is missing");
  if ((consent.scope == Consent::Scope::organisation || consent.scope == Consent::Scope::team) && consent.scope_value.empty())
    throw Refused(std::string("consent: a consent for ") + (consent.scope == Consent::Scope::team ? "a team" : "an organisation") +
                  " must say which one");
  std::string detail = consent.method + " consent given by " + consent.given_by + ", recorded by " + consent.recorded_by + " at " +
                       consent.recorded_at.iso() + (consent.expires ? ", expires " + consent.expires->iso() : "") + ", for " +
                       consent_scope_id(consent.scope) + (consent.scope_value.empty() ? "" : " " + consent.scope_value);
  write_consent_event(*this, viewer, patient, consent.recorded_at, detail, audit);
}

const char* consent_scope_id(Consent::Scope scope) {
  switch (scope) {
    case Consent::Scope::user: return "user";
    case Consent::Scope::organisation: return "organisation";
    case Consent::Scope::team: return "team";
    case Consent::Scope::all_participants: return "all-participants";
  }
  return "user";
}

bool consent_scope_from_id(const std::string& id, Consent::Scope& out) {
  for (auto s : {Consent::Scope::user, Consent::Scope::organisation, Consent::Scope::team, Consent::Scope::all_participants})
    if (id == consent_scope_id(s)) return out = s, true;
  return false;
}

void Policy::withdraw_consent(const Viewer& viewer, const Patient& patient, const Timestamp& now, AuditTrail& audit) const {
  write_consent_event(*this, viewer, patient, now, "consent withdrawn", audit);
}

void Policy::record_opt_out(const Viewer& viewer, const Patient& patient, const OptOut& opt_out, const Timestamp& now,
                            AuditTrail& audit) const {
  if (opt_out.scope != OptOut::Scope::whole_record && opt_out.value.empty())
    throw Refused(std::string("opt-out: a ") + scope_name(opt_out.scope) + " opt-out must say which one");
  std::string detail = std::string("opt-out of ") + scope_name(opt_out.scope) + (opt_out.value.empty() ? "" : " " + opt_out.value);
  write_consent_event(*this, viewer, patient, now, detail, audit);
}

Override Policy::start_override(const Viewer& viewer, const Patient& patient, const std::string& reason_code,
                                const std::string& text, const Timestamp& now, AuditTrail& audit) const {
  const Profile* profile = this->profile(viewer.profile);
  AuditEvent e = event_for(viewer, profile, patient.nhs_number, now, "override");
  e.policy_version = version();
  e.policy_sha256 = sha256();
  e.basis = "override";
  e.basis_detail = reason_code + ": " + text;
  auto refuse = [&](const std::string& why) {
    e.action = "refusal";
    e.outcome = "refused: " + why;
    if (data_->alerts.every_override) e.alerts.push_back({"override", "an emergency override was attempted and refused: " + why});
    audit.record(e);
    throw Refused("override: " + why);
  };
  if (!profile) refuse("\"" + viewer.profile + "\" is not a role profile");
  if (!profile->may_override) refuse("the " + profile->name + " profile may not override the need for consent");
  std::string codes;
  const OverrideReason* reason = coded_reason(data_->override_reasons, reason_code, codes);
  if (!reason) refuse("\"" + reason_code + "\" is not an override reason (" + codes + ")");
  if (non_space_characters(text) < static_cast<size_t>(data_->override_text_min))
    refuse("the reason must be explained in at least " + std::to_string(data_->override_text_min) + " characters");

  Override o{reason_code, reason->display, text, viewer.user_id, now, now.plus_minutes(data_->override_minutes)};
  e.outcome = "override started; ends " + o.ends.iso();
  if (data_->alerts.every_override) e.alerts.push_back({"override", "emergency override by " + viewer.user_id + ": " + reason->display});
  audit.record(std::move(e));
  return o;
}

CaseAccess Policy::record_case_access(const Viewer& viewer, const Patient& patient, const std::string& reason_code,
                                      const std::string& text, const Timestamp& now, AuditTrail& audit) const {
  const Profile* profile = this->profile(viewer.profile);
  AuditEvent e = event_for(viewer, profile, patient.nhs_number, now, "case-access");
  e.policy_version = version();
  e.policy_sha256 = sha256();
  e.basis_detail = reason_code + ": " + text;
  auto refuse = [&](const std::string& why) {
    e.action = "refusal";
    e.outcome = "refused: " + why;
    audit.record(e);
    throw Refused("wider access: " + why);
  };
  const auto& rule = data_->case_access;
  if (!rule) refuse("policy " + version() + " holds back no tier for individual cases");
  if (!profile) refuse("\"" + viewer.profile + "\" is not a role profile");
  auto level = profile->access.find(rule->segment);
  if (level == profile->access.end() || level->second < rule->tier || effective_tier(*profile, rule->segment) < rule->tier)
    refuse("the " + profile->name + " profile does not reach " + segment_name(rule->segment) + " tier " + std::to_string(rule->tier));
  if (patient.nhs_number.empty()) refuse("the host did not say which person is open (NHS number)");
  std::string codes;
  const OverrideReason* reason = coded_reason(rule->reasons, reason_code, codes);
  if (!reason) refuse("\"" + reason_code + "\" is not a reason for wider access (" + codes + ")");
  if (non_space_characters(text) < static_cast<size_t>(rule->text_min))
    refuse("the need must be explained in at least " + std::to_string(rule->text_min) + " characters");
  CaseAccess grant{reason_code,          reason->display, text, viewer.user_id, viewer.profile, viewer.organisation_ods,
                   patient.nhs_number,   now,             now.plus_minutes(rule->minutes)};
  e.outcome = "wider access recorded; ends " + grant.ends.iso();
  audit.record(std::move(e));
  return grant;
}

// ---- The view ---------------------------------------------------------------

View Policy::consent_request(const Patient& host_patient) const {
  View view;
  view.patient_ = host_patient;
  view.notice_ = data_->notice;
  view.policy_version_ = data_->version;
  view.consent_options_ = options_for(*data_, nullptr);
  return view;
}

Decision Policy::view_for(const Record& record, const Request& req, AuditTrail& audit) const {
  const Data& d = *data_;
  const Viewer& viewer = req.viewer;
  const Profile* profile = this->profile(viewer.profile);
  AuditEvent event = event_for(viewer, profile, req.host_patient.nhs_number, req.now, "view");
  event.policy_version = d.version;
  event.policy_sha256 = d.sha256;

  auto refuse = [&](const std::string& why) {
    event.action = "refusal";
    event.outcome = "refused: " + why;
    Decision decision;
    decision.refused = why;
    decision.audit_sequence = audit.record(event).sequence;
    return decision;
  };
  if (viewer.user_id.empty()) return refuse("the host did not say who is viewing (user id)");
  if (!profile) return refuse("\"" + viewer.profile + "\" is not a role profile of policy " + d.version);
  if (viewer.organisation_ods.empty()) return refuse("the host did not say which organisation the viewer works for (ODS code)");
  if (req.host_patient.nhs_number.empty()) return refuse("the host did not say which person is open (NHS number)");
  if (!req.legitimate_relationship) {
    if (d.alerts.refusal_no_relationship)
      event.alerts.push_back({"no-relationship", "access attempted without a legitimate relationship"});
    return refuse("no legitimate relationship with this person is recorded for you; the shared record is not shown");
  }
  if (!record.identity_known()) return refuse("the record does not say whose it is; it is not shown");
  if (record.patient().nhs_number != req.host_patient.nhs_number)
    return refuse("the record loaded is about a different person (NHS number) from the one open in your system; it is not shown");

  const Patient& person = record.patient();
  if (d.alerts.own_surname_and_address && !viewer.family_name.empty() && !viewer.postcode.empty() && person.address &&
      upper_no_spaces(viewer.family_name) == upper_no_spaces(person.name.family) &&
      upper_no_spaces(viewer.postcode) == upper_no_spaces(person.address->postal_code))
    event.alerts.push_back({"own-record", "the viewer's own surname and postcode match the person's"});

  View view;
  view.patient_ = req.host_patient;
  view.incomplete_ = std::any_of(record.load_issues().begin(), record.load_issues().end(), [](const LoadIssue& i) { return i.damage; });
  for (const auto& source : record.unavailable_sources())
    view.unavailable_sources_.push_back(source.organisation + " did not answer (" + source.why + "): its entries are not shown.");
  view.profile_id_ = profile->id;
  view.profile_name_ = profile->name;
  view.consent_options_ = options_for(d, profile);
  view.notice_ = d.notice;
  view.policy_version_ = d.version;
  for (Segment s : {Segment::summary, Segment::community, Segment::diagnostics, Segment::hospital})
    view.tiers_[static_cast<size_t>(s)] = effective_tier(*profile, s);
  // A tier held back for individual cases is seen only with wider access
  // recorded by this user for this person, and still in force.
  if (const auto& rule = d.case_access; rule && view.tier(rule->segment) >= rule->tier) {
    const auto& grant = req.case_access;
    bool in_force = grant && grant->user_id == viewer.user_id && grant->profile == viewer.profile &&
                    grant->organisation_ods == viewer.organisation_ods && grant->nhs_number == req.host_patient.nhs_number &&
                    grant->started <= req.now && req.now < grant->ends;
    if (in_force) {
      view.case_access_text_ = "Wider " + lower_first(segment_name(rule->segment)) + " record for this person: " + grant->reason + " (" +
                               grant->text + "), recorded by " + grant->user_id + ". Ends " + when(grant->ends) + ".";
    } else {
      view.tiers_[static_cast<size_t>(rule->segment)] = rule->tier - 1;
      view.case_access_available_ = true;
    }
  }

  // The basis: an override in force, else a consent on record.
  bool override_in_force = req.override_ && profile->may_override && req.override_->user_id == viewer.user_id &&
                           req.override_->started <= req.now && req.now < req.override_->ends;
  const auto& methods = d.consent_methods;
  auto valid = [&](const std::optional<Consent>& c) {
    if (!c || std::find(methods.begin(), methods.end(), c->method) == methods.end()) return false;
    Timestamp lapses = c->expires ? *c->expires : c->recorded_at.plus_minutes(int64_t(d.consent_lapses_after_days) * 24 * 60);
    return c->recorded_at <= req.now && req.now < lapses;
  };
  // Consent recorded at the point of care, else one a source holds as a FHIR
  // Consent given under the programme's agreement (policy.json consent.from_sources).
  std::optional<Consent> consent = req.consent;
  if (!valid(consent)) consent = consent_from_sources(record, d, req.now);
  bool consent_valid = valid(consent);
  bool unreadable_directive = false;
  std::vector<OptOut> opt_outs = opt_outs_of(record, req, unreadable_directive);
  bool whole_opt_out = unreadable_directive ||
                       std::any_of(opt_outs.begin(), opt_outs.end(), [](const OptOut& o) { return o.scope == OptOut::Scope::whole_record; });
  if (!opt_outs.empty() || unreadable_directive)
    view.opt_out_notice_ = unreadable_directive ? "The person's consent record restricts sharing in a way this viewer cannot apply, so nothing is shown."
                                                : "The person has asked that some or all of their record is not shared.";

  if (override_in_force) {
    view.basis_ = Basis::override_;
    view.override_ends_ = req.override_->ends;
    view.override_reason_ = req.override_->reason;
    view.basis_text_ = "Emergency override by " + req.override_->user_id + ": " + req.override_->reason + " (" +
                       req.override_->text + "). Ends " + when(req.override_->ends) + ".";
    event.basis = "override";
    event.basis_detail = req.override_->reason_code + ": " + req.override_->text;
  } else if (consent_valid) {
    view.basis_ = Basis::consent;
    view.basis_text_ = "Consent (" + consent->method + ") given by " + consent->given_by + ", recorded " +
                       format_date(consent->recorded_at.local_date()) + " by " + consent->recorded_by + ".";
    event.basis = "consent";
    event.basis_detail = consent->method + " consent recorded " + consent->recorded_at.iso() + " by " + consent->recorded_by;
  } else {
    view.basis_ = Basis::consent_required;
    event.basis = "consent-required";
    event.outcome = "consent requested";
  }
  if (view.shows_record() && whole_opt_out) {
    view.basis_ = Basis::opted_out;
    event.basis_detail += event.basis_detail.empty() ? "person opted out" : "; person opted out";
    event.basis = "opted-out";
    event.outcome = "nothing shown: opted out";
  }
  if (!view.shows_record()) {
    event.shown.clear();
    event.sequence = audit.record(event).sequence;
    return Decision{std::move(view), {}, event.sequence};
  }

  // The shared record: the person as it says, then what this viewer may see.
  view.patient_ = person;
  const auto& items = record.items();
  Exclusions::Links links = Exclusions::links_of(items);  // found once for the three propagations below
  // the one place exclusions are marked
  Exclusions::Marks marks = d.exclusions->marks_of(items, links, record.two_threads());
  std::vector<bool> excluded(items.size()), withheld_by_opt_out(items.size()), withheld_from_everyone(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    excluded[i] = marks[i].has_value();
    marks[i].reset();
    for (const auto& o : opt_outs)
      if (opted_out(items[i], o)) marks[i] = ExclusionMark{"opt-out", scope_name(o.scope), {}};
  }
  Exclusions::propagate(items, links, marks);  // what only makes sense through an opted-out item goes with it
  for (size_t i = 0; i < items.size(); ++i) withheld_by_opt_out[i] = marks[i].has_value();
  // What its source restricted is withheld from everyone, D3 included: looked
  // for in every label of every item (an item marked first for another
  // category may be restricted too), then carried to what depends on it.
  if (!d.withheld_from_everyone.empty()) {
    for (size_t i = 0; i < items.size(); ++i) {
      marks[i].reset();
      for (const auto& category : d.exclusions->label_categories(items[i]))
        if (d.withheld_from_everyone.count(category)) marks[i] = ExclusionMark{category, "restricted by the source", {}};
    }
    Exclusions::propagate(items, links, marks);
    for (size_t i = 0; i < items.size(); ++i) withheld_from_everyone[i] = marks[i].has_value();
  }

  bool include_own = req.include_own_organisation.value_or(d.own_shown_by_default);
  std::vector<size_t> shown;  // which items, first; then each copied once into its place
  for (size_t i = 0; i < items.size(); ++i) {
    const Item& item = items[i];
    if (item.segment == Segment::none || item.tier < 1) continue;
    int tier = view.tier(item.segment);
    if (item.tier > tier || withheld_by_opt_out[i] || withheld_from_everyone[i] || d.withheld_placements.count(item.rule)) continue;
    bool exempt = std::any_of(d.no_exclusions.begin(), d.no_exclusions.end(),
                              [&](const Data::SegmentTier& st) { return st.segment == item.segment && tier >= st.tier; });
    if (excluded[i] && !exempt) continue;
    if (!item.sensitive_test.empty() && view.tier(d.sensitive_segment) < d.sensitive_from_tier) continue;
    if (!include_own && same_organisation(item.source.ods_code, viewer.organisation_ods)) {
      ++view.own_hidden_;
      continue;
    }
    shown.push_back(i);
  }
  detail::KeyIndex shown_keys;  // views the record's keys
  shown_keys.reserve(shown.size());
  for (size_t i : shown) shown_keys.emplace(items[i].key, i);
  // Natively a long record's copies are made in two halves at once, each
  // writing only its own places.
  view.items_.resize(shown.size());
  detail::in_two_halves(shown.size(), record.two_threads(), [&](int, size_t begin, size_t end) {
    for (size_t j = begin; j < end; ++j) {
      Item& copy = view.items_[j] = items[shown[j]];
      copy.exclusion.reset();  // a View never says why something might have been withheld
      copy.sensitive_test.clear();
      copy.rule.clear();
      copy.directive.reset();
      // no dangling references to what is not shown
      copy.links.erase(std::remove_if(copy.links.begin(), copy.links.end(), [&](const Link& l) { return !shown_keys.contains(l.target); }),
                       copy.links.end());
    }
  });

  event.shown = view.tiers_shown();
  event.outcome = "shown";
  event.sequence = audit.record(event).sequence;
  return Decision{std::move(view), {}, event.sequence};
}

}  // namespace ilinks
