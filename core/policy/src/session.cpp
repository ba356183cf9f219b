// One person's viewing session: the record, who is looking, at whom, on what
// basis, and the View the policy makes of it (ilinks/session.h).
#include "ilinks/session.h"

#include <algorithm>

namespace ilinks {

// ---- MemoryBasisStore ------------------------------------------------------------

namespace {
std::string key_of(const std::string& nhs_number, const Viewer& v) {
  return nhs_number + "|" + v.user_id + "|" + v.profile + "|" + v.organisation_ods;
}
template <typename Held>
auto find_held(Held& list, const std::string& key) {
  return std::find_if(list.begin(), list.end(), [&](const auto& h) { return h.key == key; });
}
template <typename Held, typename T>
void put_held(Held& list, const std::string& key, const T& value) {
  auto it = find_held(list, key);
  if (it != list.end()) it->value = value;
  else list.push_back({key, value});
}
template <typename T, typename Held>
std::optional<T> get_held(const Held& list, const std::string& key) {
  auto it = std::find_if(list.begin(), list.end(), [&](const auto& h) { return h.key == key; });
  return it == list.end() ? std::nullopt : std::optional<T>(it->value);
}
}  // namespace

std::optional<Consent> MemoryBasisStore::consent(const std::string& nhs, const Viewer& v) const {
  return get_held<Consent>(consents_, key_of(nhs, v));
}
void MemoryBasisStore::put_consent(const std::string& nhs, const Viewer& v, const Consent& c) { put_held(consents_, key_of(nhs, v), c); }
void MemoryBasisStore::withdraw_consent(const std::string& nhs, const Viewer& v, const Timestamp&) {
  auto it = find_held(consents_, key_of(nhs, v));
  if (it != consents_.end()) consents_.erase(it);
}
std::vector<OptOut> MemoryBasisStore::opt_outs(const std::string& nhs) const {
  std::vector<OptOut> out;
  for (const auto& h : opt_outs_)
    if (h.key == nhs) out.push_back(h.value);
  return out;
}
void MemoryBasisStore::add_opt_out(const std::string& nhs, const OptOut& o) { opt_outs_.push_back({nhs, o}); }
std::optional<Override> MemoryBasisStore::override_for(const std::string& nhs, const Viewer& v) const {
  return get_held<Override>(overrides_, key_of(nhs, v));
}
void MemoryBasisStore::put_override(const std::string& nhs, const Viewer& v, const Override& o) { put_held(overrides_, key_of(nhs, v), o); }
std::optional<CaseAccess> MemoryBasisStore::case_access(const std::string& nhs, const Viewer& v) const {
  return get_held<CaseAccess>(case_access_, key_of(nhs, v));
}
void MemoryBasisStore::put_case_access(const std::string& nhs, const Viewer& v, const CaseAccess& g) {
  put_held(case_access_, key_of(nhs, v), g);
}
void MemoryBasisStore::session_moved_on(bool person_too) {
  // Consent, an override and wider access are one user's, for one person;
  // opt-outs are the person's, whoever looks.
  consents_.clear();
  overrides_.clear();
  case_access_.clear();
  if (person_too) opt_outs_.clear();
}

// ---- Session ----------------------------------------------------------------------

Session::Session(const Policy& policy, std::shared_ptr<BasisStore> store)
    : policy_(&policy),
      store_(store ? std::move(store) : std::make_shared<MemoryBasisStore>()),
      audit_(std::make_shared<AuditTrail>(policy.alerts())),
      clock_([] { return Timestamp::now(); }) {}

void Session::set_audit_trail(std::shared_ptr<AuditTrail> trail) {
  audit_ = trail ? std::move(trail) : std::make_shared<AuditTrail>(policy_->alerts());
}

void Session::load(Record record) {
  record_ = std::move(record);
  store_->session_moved_on(true);
}

void Session::clear() {
  record_.reset();
  store_->session_moved_on(true);
}

void Session::set_viewer(const Viewer& viewer, bool legitimate_relationship) {
  if (!policy_->profile(viewer.profile))
    throw Refused("\"" + viewer.profile + "\" is not a role profile of policy " + policy_->version());
  bool same_user = viewer_ && viewer_->user_id == viewer.user_id && viewer_->profile == viewer.profile &&
                   viewer_->organisation_ods == viewer.organisation_ods;
  if (!same_user) store_->session_moved_on(false);  // consent was given to, an override made by, the user before
  viewer_ = viewer;
  relationship_ = legitimate_relationship;
}

void Session::set_host_patient(const std::string& nhs_number) {
  if (nhs_number != host_nhs_number_) store_->session_moved_on(true);  // another person: theirs is theirs
  host_nhs_number_ = nhs_number;
}

std::string Session::person() const {
  if (!host_nhs_number_.empty()) return host_nhs_number_;
  return record_ ? record_->patient().nhs_number : std::string();
}

Patient Session::host_patient() const {
  Patient p = record_ ? record_->patient() : Patient{};
  if (!host_nhs_number_.empty()) p.nhs_number = host_nhs_number_;  // the policy refuses a mismatch
  return p;
}

void Session::need_context(const char* what) const {
  if (!record_ || !viewer_) throw Refused(std::string("no record and viewer context to ") + what);
}

void Session::record_consent(const std::string& method, const std::string& given_by, Consent::Scope scope) {
  need_context("record consent for");
  Consent c{viewer_->user_id, clock_(), method, given_by, std::nullopt, scope, ""};
  if (scope == Consent::Scope::organisation) c.scope_value = viewer_->organisation_ods;
  if (scope == Consent::Scope::team) {
    if (viewer_->team.empty()) throw Refused("consent for a team needs the team you work in; your system did not say");
    c.scope_value = viewer_->team;
  }
  policy_->record_consent(*viewer_, record_->patient(), c, *audit_);
  store_->put_consent(person(), *viewer_, c);
}

void Session::withdraw_consent() {
  need_context("withdraw consent for");
  policy_->withdraw_consent(*viewer_, record_->patient(), clock_(), *audit_);
  store_->withdraw_consent(person(), *viewer_, clock_());
}

void Session::start_override(const std::string& reason_code, const std::string& text) {
  need_context("override for");
  Override o = policy_->start_override(*viewer_, record_->patient(), reason_code, text, clock_(), *audit_);
  store_->put_override(person(), *viewer_, o);
}

void Session::record_case_access(const std::string& reason_code, const std::string& text) {
  need_context("record wider access for");
  // The grant is for the person open in the host.
  CaseAccess grant = policy_->record_case_access(*viewer_, host_patient(), reason_code, text, clock_(), *audit_);
  store_->put_case_access(person(), *viewer_, grant);
}

void Session::record_opt_out(const OptOut& opt_out) {
  need_context("record an opt-out for");
  policy_->record_opt_out(*viewer_, record_->patient(), opt_out, clock_(), *audit_);
  store_->add_opt_out(person(), opt_out);
}

std::optional<View> Session::view() {
  if (!record_) return std::nullopt;
  if (!host_nhs_number_.empty() && record_->patient().nhs_number != host_nhs_number_)
    throw Refused("the record loaded is about a different person (NHS number) from the one open in your system; it is not shown");
  if (!viewer_) return policy_->consent_request(record_->patient());  // identity and a consent request, unaudited
  Request req;
  req.viewer = *viewer_;
  req.host_patient = host_patient();
  req.legitimate_relationship = relationship_;
  std::string who = person();
  req.consent = store_->consent(who, *viewer_);
  req.override_ = store_->override_for(who, *viewer_);
  req.case_access = store_->case_access(who, *viewer_);
  req.opt_outs = store_->opt_outs(who);
  req.include_own_organisation = include_own_;
  req.now = clock_();
  Decision d = policy_->view_for(*record_, req, *audit_);  // AuditError: nothing is shown
  if (!d.view) throw Refused(d.refused);
  return std::move(*d.view);
}

}  // namespace ilinks
