// ilinks/store.h: the sharing service's store. What the people and the users
// decided, and everything that happened, kept for every viewer and every
// instance of the service: consent, opt-outs, overrides, wider access, the
// one audit chain and its alerts, HL7 v2 ADT messages, and the override
// explanations still owed to a GP practice.
//
//   auto store = open_store(StoreSettings{StoreSettings::Kind::sqlite, "/var/lib/ilinks/store.db"});
//   Session session(policy, store);                     // a BasisStore
//   session.set_audit_trail(std::make_shared<AuditTrail>(policy.alerts(), store));  // an AuditLedger
//
// Two backends, one behaviour (tests/service/store_test.cpp runs on both):
// SQLite, one file, for one instance (the demo); PostgreSQL (libpq), for more
// than one instance. Every call is thread-safe. Every failure throws
// StoreError saying what could not be done and why; a caller that cannot
// read the store shows nothing (503: fail closed).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ilinks/audit.h"
#include "ilinks/errors.h"
#include "ilinks/policy.h"
#include "ilinks/session.h"

namespace ilinks {

// The store could not be read or written (down, full, refused the query).
// Its words never hold clinical data or a query's parameters.
class StoreError : public AuditError {
 public:
  using AuditError::AuditError;
};

// ---------------------------------------------------------------------------
// What is kept
// ---------------------------------------------------------------------------

// Who recorded something, as the context token said.
struct RecordedBy {
  std::string user_id, user_name, organisation_ods;
};

struct StoredConsent {
  int64_t id = 0;
  std::string nhs_number;
  Consent consent;                        // scope, method, given by, recorded at, expiry
  RecordedBy recorded_by;
  std::optional<Timestamp> withdrawn_at;
  std::string withdrawn_by;               // user id
};

struct StoredOptOut {
  int64_t id = 0;
  std::string nhs_number;
  OptOut opt_out;
  RecordedBy recorded_by;
  Timestamp recorded_at;
  std::optional<Timestamp> withdrawn_at;
  std::string withdrawn_by;
};

// An alert a proactive rule raised, for the privacy officer.
struct StoredAlert {
  int64_t id = 0;
  uint64_t audit_sequence = 0;            // the event that raised it
  Timestamp time;
  std::string rule, why;
  std::string user_id, user_name, organisation, patient_nhs_number;
  std::optional<Timestamp> acknowledged_at;
  std::string acknowledged_by, acknowledgement_note;
};

struct AlertQuery {
  std::optional<Timestamp> from, to;      // by the event's time, inclusive
  std::string user_id, organisation;      // empty: any
  bool unacknowledged_only = false;
  int limit = 500;
};

// An HL7 v2 message received over MLLP, kept as it came.
struct StoredAdt {
  int64_t id = 0;
  std::string nhs_number;                 // from PID-3 (empty when the message named none)
  std::string sending_facility;           // MSH-4
  std::string control_id;                 // MSH-10
  std::string message;                    // the whole message, segments separated by '\r'
  Timestamp received;
};

// An override's explanation owed to the person's registered GP practice
// (section 6.2: recorded "in the individual's record"), kept until delivered.
struct PendingExplanation {
  int64_t id = 0;
  std::string nhs_number;
  std::string practice_ods;               // where it goes
  std::string resource_json;              // the FHIR resource to deliver
  Timestamp created;
  int attempts = 0;
  std::string last_error;
  std::optional<Timestamp> delivered_at;
  std::optional<Timestamp> last_attempt;  // when delivery was last tried (explanation_attempted)
};

// ---------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------

class Store : public BasisStore, public AuditLedger {
 public:
  // ---- BasisStore (what Session reads and writes) -----------------------------------
  // consent(): the latest consent not withdrawn whose scope takes the viewer
  // in (user: they recorded it; organisation: their organisation; team: their
  // team; all-participants: anyone). opt_outs(): those not withdrawn.
  // override_for(), case_access(): the latest for that user, profile and
  // organisation (the policy checks whether it is still in force).
  // put_consent() keeps the viewer as recorded_by; add_opt_out() keeps no
  // recorder (add_opt_out_by() does); session_moved_on() does nothing.

  // ---- AuditLedger ------------------------------------------------------------------
  // append(): one chain for every instance; writers serialised by the store
  // (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level advisory lock),
  // committed before it returns. Alerts the event carries or volume_alerts()
  // raises are kept as StoredAlerts in the same transaction.

  // ---- Consent and opt-outs, for the API -----------------------------------------------
  virtual int64_t add_consent(const std::string& nhs_number, const Consent& consent, const RecordedBy& by) = 0;
  virtual std::vector<StoredConsent> consents(const std::string& nhs_number, bool include_withdrawn) const = 0;
  // False when there is no such consent for that person, or it was already withdrawn.
  virtual bool withdraw_consent_by_id(const std::string& nhs_number, int64_t id, const std::string& by_user,
                                      const Timestamp& at) = 0;
  virtual int64_t add_opt_out_by(const std::string& nhs_number, const OptOut& opt_out, const RecordedBy& by,
                                 const Timestamp& at) = 0;
  virtual std::vector<StoredOptOut> opt_outs_of(const std::string& nhs_number, bool include_withdrawn) const = 0;
  virtual bool withdraw_opt_out(const std::string& nhs_number, int64_t id, const std::string& by_user,
                                const Timestamp& at) = 0;

  // ---- Context tokens ---------------------------------------------------------------
  // Records a token's unique id (jti) until it expires (kept an hour longer,
  // for instances whose clocks disagree). False when it was already used: a
  // replay, from whichever instance saw it first.
  virtual bool use_token_once(const std::string& issuer, const std::string& jti, const Timestamp& expires) = 0;

  // ---- The audit trail ------------------------------------------------------------------
  virtual uint64_t audit_head_sequence() const = 0;
  // Events in chain order, from `from_sequence` (1-based), at most `limit`.
  virtual std::vector<AuditEvent> audit_events(uint64_t from_sequence, size_t limit) const = 0;
  // One person's events, oldest first (at most `limit`).
  virtual std::vector<AuditEvent> audit_events_about(const std::string& nhs_number, size_t limit) const = 0;
  // Writes the whole chain as JSON lines to `path` (what ilinks-audit verify
  // reads), each line as it was kept; through `path`.partial, renamed when complete.
  virtual void export_audit(const std::string& path) const = 0;

  // ---- Alerts ---------------------------------------------------------------------------
  // Newest first (by the event's time), at most query.limit.
  virtual std::vector<StoredAlert> alerts(const AlertQuery& query) const = 0;
  // False when there is no such alert or it was already acknowledged.
  virtual bool acknowledge_alert(int64_t id, const std::string& by_user, const std::string& note, const Timestamp& at) = 0;

  // ---- HL7 v2 ADT -------------------------------------------------------------------------
  // False when a message with the same sending facility and control id is
  // already kept (a resend: acknowledged again, kept once).
  virtual bool add_adt(const StoredAdt& message) = 0;
  virtual std::vector<StoredAdt> adt_for(const std::string& nhs_number) const = 0;

  // ---- Override explanations owed to GP practices ----------------------------------------
  virtual int64_t add_explanation(const PendingExplanation& explanation) = 0;
  virtual std::vector<PendingExplanation> undelivered_explanations() const = 0;
  virtual void explanation_attempted(int64_t id, const std::string& error, const Timestamp& at) = 0;
  virtual void explanation_delivered(int64_t id, const Timestamp& at) = 0;

  // ---- Health -------------------------------------------------------------------------------
  // Throws StoreError when the store cannot be reached now.
  virtual void check() const = 0;
  virtual std::string kind() const = 0;   // "sqlite", "postgresql"
};

struct StoreSettings {
  enum class Kind { sqlite, postgresql };
  Kind kind = Kind::sqlite;
  // sqlite: the database file (created with its tables when missing).
  // postgresql: a libpq connection string ("host=/tmp/pg port=5433 dbname=ilinks user=ilinks").
  std::string location;
  int connections = 4;                    // postgresql: the pool's size
  int busy_timeout_ms = 5000;             // how long a call waits for a lock or a connection
};

// Opens (and creates or migrates the tables of) a store. Throws StoreError.
std::shared_ptr<Store> open_store(const StoreSettings& settings);

}  // namespace ilinks
