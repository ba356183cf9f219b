// ilinks/policy.h: the sharing model, and the only way from a Record to a View.
//
//   Policy policy = Policy::builtin();             // North Mersey, February 2016
//   AuditTrail audit(policy.alerts(), "audit.jsonl");
//   Request request{viewer, patient_context, consent, now};
//   Decision d = policy.view_for(record, request, audit);
//   if (d.view) show(*d.view); else tell_user(d.refused);
//
// Every call to view_for writes exactly one audit event (a view or a refusal).
// When the event cannot be written, there is no view: audit failure fails closed.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ilinks/audit.h"
#include "ilinks/date.h"
#include "ilinks/errors.h"
#include "ilinks/exclusions.h"
#include "ilinks/record.h"
#include "ilinks/terminology.h"
#include "ilinks/view.h"

namespace ilinks {

// ---------------------------------------------------------------------------
// Who is looking (asserted by the host)
// ---------------------------------------------------------------------------

struct Viewer {
  std::string user_id;            // the host's user identifier (required)
  std::string user_name;          // as shown in audit reports
  std::string profile;            // table 6: "1a" ... "7" (required)
  std::string organisation_ods;   // the viewer's employing organisation (required)
  std::string organisation_name;
  std::string device;             // the host system, for audit ("EMIS Web at N84011")
  // For the "own record" alert: the viewer's family name and home postcode.
  std::string family_name;
  std::string postcode;
  // The named team the viewer works in, when the host says ("Southport A&E"):
  // a consent given for that team lets its members in.
  std::string team;
};

// ---------------------------------------------------------------------------
// What the person has agreed to
// ---------------------------------------------------------------------------

// An explicit consent to view the shared record, recorded at the point of care.
struct Consent {
  std::string recorded_by;            // user id of who recorded it
  Timestamp recorded_at;
  std::string method;                 // "verbal" or "written" (policy.json consent.methods)
  std::string given_by = "patient";   // "patient", or who consented on their behalf
  std::optional<Timestamp> expires;   // none: lapses after consent.lapses_after_days
  // Whom it lets in (section 5: consent is given for a service or a team,
  // "AED staff at Southport and Ormskirk"): the user who recorded it, their
  // organisation, their named team, or every participating organisation.
  enum class Scope { user, organisation, team, all_participants };
  Scope scope = Scope::user;
  std::string scope_value;            // organisation: its ODS code; team: its name; otherwise empty
};
const char* consent_scope_id(Consent::Scope scope);  // "user", "organisation", "team", "all-participants"
bool consent_scope_from_id(const std::string& id, Consent::Scope& out);

// A part of the record the person does not want shared. Always wins over access.
struct OptOut {
  enum class Scope { whole_record, segment, setting, security_label, organisation, item };
  Scope scope = Scope::whole_record;
  // segment: "S" "C" "D" "H"; setting: "mental_health", "social_care", ...;
  // security_label: an HL7 v3 code ("PSY"); organisation: an ODS code;
  // item: an Item key ("Condition/123").
  std::string value;
};

// An emergency override of the need for consent. Made by Policy::start_override.
struct Override {
  std::string reason_code;   // policy.json override.reasons: "emergency", "unconscious", ...
  std::string reason;        // its display text
  std::string text;          // the professional's own words
  std::string user_id;       // who declared it
  Timestamp started;
  Timestamp ends;
};

// Wider access to one person's record granted on an individual case basis
// (section 7.2: Community tier 3). Made by Policy::record_case_access.
struct CaseAccess {
  std::string reason_code;   // policy.json case_access.reasons: "extended-team", ...
  std::string reason;        // its display text
  std::string text;          // the professional's own words
  std::string user_id;       // who recorded it: it is theirs alone,
  std::string profile;       // in the role
  std::string organisation_ods;  // and organisation they recorded it in
  std::string nhs_number;    // the person it is for
  Timestamp started;
  Timestamp ends;
};

// ---------------------------------------------------------------------------
// One request to see one person's record
// ---------------------------------------------------------------------------

struct Request {
  Viewer viewer;
  // Who the host has open: its own identity for the person. Shown before
  // consent; the record must be about the same NHS number.
  Patient host_patient;
  // The host asserts a legitimate relationship with this person; without it
  // there is no view.
  bool legitimate_relationship = false;
  std::optional<Consent> consent;
  std::vector<OptOut> opt_outs;       // recorded by the host; FHIR Consent resources in the record add to these
  std::optional<Override> override_;  // an override in force
  std::optional<CaseAccess> case_access;  // wider access recorded for this person (Community tier 3)
  // Show items the viewer's organisation holds itself (none: the policy's default, hidden).
  std::optional<bool> include_own_organisation;
  Timestamp now = Timestamp::now();
};

// What view_for decided. Exactly one of view / refused is set.
struct Decision {
  std::optional<View> view;
  std::string refused;        // why there is no view, in words a clinician understands
  uint64_t audit_sequence = 0;
};

// ---------------------------------------------------------------------------
// The policy
// ---------------------------------------------------------------------------

struct Profile {
  std::string id;                  // "1a"
  std::string name;                // "Medical - hospital specialist"
  std::map<Segment, int> access;   // table 6: highest tier per segment; 0 is X
  bool may_override = false;
};

// A role that reads the audit and never the record (policy.json
// "audit_roles"): the privacy officer ("alerts", "audit"), the person asking
// who has looked at their record ("own-access-log").
struct AuditRole {
  std::string id, name;
  std::set<std::string> sees;
};

struct OverrideReason {
  std::string code, display;
};

// Where a policy's exclusion code lists may come from besides their files.
struct PolicySources {
  // A FHIR terminology server: every code list that names a ValueSet
  // ("valueset") is expanded there when the policy loads, and the expansion's
  // codes are added to the list's file (a server adds codes, never removes
  // one). When the server cannot be used the last cached expansion is, with a
  // load note; without one, the file alone. None: the files alone.
  std::optional<TerminologyServer> terminology;
};

class Policy {
 public:
  // core/data/policy.json and core/data/codelists/, built into the library.
  static const Policy& builtin();
  // The built-in policy with its code lists also expanded from `sources`.
  static Policy builtin(const PolicySources& sources);
  // A deployment's policy file. A file with "extends": "<built-in version>"
  // holds only what differs. Code list files it names are read relative to its
  // own directory (a name with no file there that is a built-in list, such as
  // "codelists/nhs-primary-care-refset-hiv_cod.csv", is the built-in copy, and
  // a load note says so); lists it inherits are the built-in ones. Throws
  // PolicyFileError naming the file, the place and the reason when anything is
  // wrong, a code list included: a policy is never half-applied.
  static Policy from_json(std::string_view text, const std::string& file_name, const PolicySources& sources = {});
  static Policy from_file(const std::string& path, const PolicySources& sources = {});

  const std::string& version() const;
  // Of the policy as resolved (canonical JSON), with every code list's codes in
  // it: a changed list, file or expansion, is a different policy.
  const std::string& sha256() const;
  // What the load noticed without refusing: codes a publisher marked damaged and
  // left out, an expansion taken from the cache, a built-in list used for a name.
  const std::vector<std::string>& load_notes() const;
  const std::vector<Profile>& profiles() const;
  // An audit role by id; null when none (a clinical profile is never one).
  const AuditRole* audit_role(const std::string& id) const;
  const Profile* profile(const std::string& id) const;
  // The tier a profile gets in a segment: the highest live tier not above the
  // profile's level; 0 when none.
  int effective_tier(const Profile& profile, Segment segment) const;
  const std::vector<OverrideReason>& override_reasons() const;
  // How consent may be recorded ("verbal", "written").
  const std::vector<std::string>& consent_methods() const;
  // The coded reasons for wider access on an individual case basis.
  const std::vector<OverrideReason>& case_access_reasons() const;
  const AlertThresholds& alerts() const;
  const std::string& notice() const;
  // The exclusion categories (policy.json "exclusions", every list resolved):
  // view_for marks a record's items with them, once per view.
  const Exclusions& exclusions() const;
  // The "exclusions" member as resolved (every list's codes written in), as JSON.
  std::string exclusions_json() const;

  // Declares an emergency override for `viewer` on `patient`: checks the
  // profile may override, the reason code is one the policy lists and the
  // text says enough; writes the override event (with its alert). Throws
  // Refused with the reason when it may not start.
  Override start_override(const Viewer& viewer, const Patient& patient, const std::string& reason_code,
                          const std::string& text, const Timestamp& now, AuditTrail& audit) const;

  // Records why `viewer` needs the wider community record of `patient`
  // (Community tier 3, "on an individual case basis"): checks the profile's
  // level reaches it, the reason is one the policy lists and the text says
  // enough; writes a case-access event (no alert: it is not an override).
  // Throws Refused with the reason when it may not be recorded.
  CaseAccess record_case_access(const Viewer& viewer, const Patient& patient, const std::string& reason_code,
                                const std::string& text, const Timestamp& now, AuditTrail& audit) const;

  // Consent changes, each written as one consent event. Throws Refused when
  // the change is not valid (an unknown method, an empty opt-out).
  void record_consent(const Viewer& viewer, const Patient& patient, const Consent& consent, AuditTrail& audit) const;
  void withdraw_consent(const Viewer& viewer, const Patient& patient, const Timestamp& now, AuditTrail& audit) const;
  void record_opt_out(const Viewer& viewer, const Patient& patient, const OptOut& opt_out, const Timestamp& now,
                      AuditTrail& audit) const;

  // The view before anything from a shared record may be shown: the person as
  // the host holds them, and a consent request. Reads no record, so it is not
  // audited (view_for is, and gives the same view when there is no consent).
  View consent_request(const Patient& host_patient) const;

  // The view this request may have of `record`, audited.
  Decision view_for(const Record& record, const Request& request, AuditTrail& audit) const;

  struct Data;

 private:
  explicit Policy(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace ilinks
