// ilinks/session.h: one person's viewing session, the one way every front end
// (the C ABI, ilinks-render, a sharing service) turns a record into a View.
//
//   Session session(Policy::builtin());
//   session.load(read_fhir_file("joe.json"));
//   session.set_viewer(viewer, /*relationship=*/true);
//   session.set_host_patient("9434765919");
//   session.record_consent("verbal", "patient");
//   std::optional<View> view = session.view();   // audited; throws Refused or AuditError
//
// What the person said (consent, opt-outs) and what a user recorded (an
// override, wider access) are kept in a BasisStore the owner supplies: the
// default, in memory, lasts as long as the session and forgets them when the
// person or the user changes; a server supplies one that outlives sessions.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ilinks/audit.h"
#include "ilinks/errors.h"
#include "ilinks/policy.h"
#include "ilinks/record.h"
#include "ilinks/view.h"

namespace ilinks {

// ---------------------------------------------------------------------------
// Where consent, opt-outs, overrides and wider access are kept
// ---------------------------------------------------------------------------

// Keyed by the person (NHS number) and, for what a user recorded or was
// given, by that user (Viewer::user_id, profile and organisation). The
// session checks each grant against the policy (Policy::view_for) on every
// view, so a store never widens access by itself.
class BasisStore {
 public:
  virtual ~BasisStore() = default;
  virtual std::optional<Consent> consent(const std::string& nhs_number, const Viewer& viewer) const = 0;
  // The consent that lets `viewer` in: the latest not withdrawn whose scope
  // takes them in (the policy checks its expiry).
  virtual void put_consent(const std::string& nhs_number, const Viewer& viewer, const Consent& consent) = 0;
  // Withdraws every consent for the person that lets `viewer` in.
  virtual void withdraw_consent(const std::string& nhs_number, const Viewer& viewer, const Timestamp& at) = 0;
  virtual std::vector<OptOut> opt_outs(const std::string& nhs_number) const = 0;
  virtual void add_opt_out(const std::string& nhs_number, const OptOut& opt_out) = 0;
  virtual std::optional<Override> override_for(const std::string& nhs_number, const Viewer& viewer) const = 0;
  virtual void put_override(const std::string& nhs_number, const Viewer& viewer, const Override& o) = 0;
  virtual std::optional<CaseAccess> case_access(const std::string& nhs_number, const Viewer& viewer) const = 0;
  virtual void put_case_access(const std::string& nhs_number, const Viewer& viewer, const CaseAccess& grant) = 0;

  // The session moved on: another record or person (`person_too`), or another
  // user. A store that lives only as long as one session forgets here what no
  // longer applies; a lasting store keeps everything (its keys already tell
  // one person and one user from another).
  virtual void session_moved_on(bool person_too) { (void)person_too; }
};

// Today's behaviour for one widget: everything in memory, for this session.
// Not thread-safe: one per session. A store that sessions on several threads
// share must guard itself (a session itself is used from one thread at a time;
// the AuditTrail they may share is thread-safe).
class MemoryBasisStore : public BasisStore {
 public:
  std::optional<Consent> consent(const std::string& nhs_number, const Viewer& viewer) const override;
  void put_consent(const std::string& nhs_number, const Viewer& viewer, const Consent& consent) override;
  void withdraw_consent(const std::string& nhs_number, const Viewer& viewer, const Timestamp& at) override;
  std::vector<OptOut> opt_outs(const std::string& nhs_number) const override;
  void add_opt_out(const std::string& nhs_number, const OptOut& opt_out) override;
  std::optional<Override> override_for(const std::string& nhs_number, const Viewer& viewer) const override;
  void put_override(const std::string& nhs_number, const Viewer& viewer, const Override& o) override;
  std::optional<CaseAccess> case_access(const std::string& nhs_number, const Viewer& viewer) const override;
  void put_case_access(const std::string& nhs_number, const Viewer& viewer, const CaseAccess& grant) override;
  void session_moved_on(bool person_too) override;

 private:
  template <typename T>
  struct Held {
    std::string key;  // person and user
    T value;
  };
  std::vector<Held<Consent>> consents_;
  std::vector<Held<Override>> overrides_;
  std::vector<Held<CaseAccess>> case_access_;
  std::vector<Held<OptOut>> opt_outs_;  // key: the person only
};

// ---------------------------------------------------------------------------
// The session
// ---------------------------------------------------------------------------

class Session {
 public:
  // `policy` must outlive the session. `store`: none is a MemoryBasisStore.
  explicit Session(const Policy& policy, std::shared_ptr<BasisStore> store = nullptr);

  const Policy& policy() const { return *policy_; }

  // ---- The audit trail (default: in memory, no sink) ------------------------------
  // Events go to `trail`, which may be shared by many sessions.
  void set_audit_trail(std::shared_ptr<AuditTrail> trail);
  AuditTrail& audit_trail() { return *audit_; }

  // ---- The record ------------------------------------------------------------------
  // Another record: what the person said in this session is forgotten with
  // the last one (in a MemoryBasisStore).
  void load(Record record);
  void clear();
  const Record* record() const { return record_ ? &*record_ : nullptr; }

  // ---- Who is looking, at whom --------------------------------------------------------
  // The viewer, as the host asserts them, and whether the host says they have
  // a legitimate relationship with the person. Throws Refused when the
  // profile is not one of the policy's.
  void set_viewer(const Viewer& viewer, bool legitimate_relationship);
  const std::optional<Viewer>& viewer() const { return viewer_; }
  // The person open in the host (ten digits; empty: the record's own person
  // stands in). A record about someone else is never shown.
  void set_host_patient(const std::string& nhs_number);
  // Show items the viewer's own organisation holds (none: the policy's default).
  void set_include_own_organisation(std::optional<bool> include) { include_own_ = include; }
  // The clock the policy decides by (default: the machine's).
  void set_clock(std::function<Timestamp()> clock) { clock_ = std::move(clock); }

  // ---- What the viewer records (each audited; then view() shows the result) -----------
  // Throws Refused with the policy's reason, AuditError when the event could
  // not be written (then nothing is granted).
  // `scope`: whom the consent lets in (organisation and team: the viewer's own).
  void record_consent(const std::string& method, const std::string& given_by,
                      Consent::Scope scope = Consent::Scope::user);
  void withdraw_consent();
  void start_override(const std::string& reason_code, const std::string& text);
  void record_case_access(const std::string& reason_code, const std::string& text);
  void record_opt_out(const OptOut& opt_out);

  // ---- The View -----------------------------------------------------------------------
  // What the policy lets this viewer see now. Nothing when no record is
  // loaded; with no viewer yet, the person's identity and a consent request
  // (not audited: nothing from the shared record). Otherwise audited, one
  // event per call; throws Refused (the policy's reason) or AuditError.
  std::optional<View> view();

 private:
  // The person the session is about: the host's, else the record's own.
  std::string person() const;
  Patient host_patient() const;
  void need_context(const char* what) const;

  const Policy* policy_;
  std::shared_ptr<BasisStore> store_;
  std::shared_ptr<AuditTrail> audit_;
  std::optional<Record> record_;
  std::optional<Viewer> viewer_;
  bool relationship_ = false;
  std::string host_nhs_number_;
  std::optional<bool> include_own_;
  std::function<Timestamp()> clock_;
};

}  // namespace ilinks
