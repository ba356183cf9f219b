// ilinks/audit.h: every view, refusal, consent change and override, as an
// append-only, hash-chained trail that reaches its sink even when the sink is
// down (section 6.3 of the sharing framework).
//
// Each event carries the SHA-256 of the event before it, so editing, removing,
// inserting or reordering events is detected by verify_audit_log().
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ilinks/date.h"
#include "ilinks/errors.h"
#include "ilinks/sha256.h"

namespace ilinks {

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

// A concern for the privacy officer, raised by a proactive audit rule.
struct Alert {
  std::string rule;  // "override", "no-relationship", "many-patients", "out-of-hours", "own-record"
  std::string why;   // in words
};

struct AuditEvent {
  uint64_t sequence = 0;          // 1, 2, 3 ... within one log
  Timestamp time;
  std::string action;             // "view", "refusal", "consent", "override"
  // Who
  std::string user_id, user_name, profile, profile_name, organisation, device;
  // Whom
  std::string patient_nhs_number;
  // What was shown, and on what basis
  std::string shown;              // "S3 C2 D3 H3"; empty when nothing from the shared record
  std::string basis;              // "consent", "override", "consent-required", "opted-out", "none"
  std::string basis_detail;       // consent method and date, or the override reason code and text
  std::string outcome;            // "shown", "consent requested", "refused: ...", "recorded"
  std::string policy_version, policy_sha256;
  std::vector<Alert> alerts;
  // The chain
  std::string previous_hash;      // hex SHA-256 of the event before; 64 zeros for the first
  std::string hash;               // hex SHA-256 of previous_hash and this event's content

  // One line of JSON, with the hash (keys sorted: the form the hash is taken over).
  std::string to_json() const;
  // Reads one line; throws InputError saying what is wrong.
  static AuditEvent from_json(const std::string& line);
  // The hash this event should have, from its content and previous_hash.
  std::string compute_hash() const;
};

// FHIR R4 AuditEvent shaped like IHE Basic Audit Log Patterns "Patient read"
// (user, organisation and device agents; the patient as entity).
std::string to_fhir_audit_event(const AuditEvent& event);
// A FHIR R4 Communication to the privacy officer for each alert (overrides
// always raise one). Empty when the event raised none.
std::string to_fhir_alert(const AuditEvent& event);

// When the proactive audit rules raise an alert (policy.json "alerts"; the
// policy gives them to the trail: Policy::alerts()).
struct AlertThresholds {
  bool every_override = true;
  bool refusal_no_relationship = true;
  int patients_per_user = 30, patients_per_user_minutes = 60;   // more than N people in M minutes
  int working_start_minute = 8 * 60, working_end_minute = 18 * 60 + 30;
  std::vector<int> working_days{0, 1, 2, 3, 4};                 // 0 = Monday
  int out_of_hours_views = 5, out_of_hours_minutes = 30;       // more than N views out of hours in M minutes
  bool own_surname_and_address = true;
};

// The volume and out-of-hours rules for `event` (a view), given the same
// user's other views already kept (at least those within a window either
// side of its time; others are ignored). Views stamped before it are
// counted. An alert already raised for the same rule and user in the window,
// or by a view stamped up to a window later (its time was read before this
// one reached the chain: two requests at once), is not raised again: each
// concern reaches the privacy officer once. The trail runs this over the
// events it has kept; a shared ledger over every instance's events.
std::vector<Alert> volume_alerts(const AuditEvent& event, const std::vector<AuditEvent>& kept_views,
                                 const AlertThresholds& thresholds);
// How far back volume_alerts looks, in seconds.
int64_t volume_alert_window_seconds(const AlertThresholds& thresholds);

// ---------------------------------------------------------------------------
// Sinks: where events go
// ---------------------------------------------------------------------------

// Delivers one event; returns false when the sink is unreachable (the event is
// then kept in the spool and delivered later, in order).
using AuditSink = std::function<bool(const AuditEvent& event)>;

// Appends each event as a JSON line to a local file.
AuditSink audit_file_sink(const std::string& path);
// POSTs each event as a FHIR AuditEvent to `base_url`/AuditEvent (2xx is
// delivered). Not available in the WebAssembly build (the host's callback is).
AuditSink audit_http_sink(const std::string& base_url, const std::string& bearer_token = "", long timeout_ms = 5000);

// ---------------------------------------------------------------------------
// A ledger: one chain kept outside this process, shared by many
// ---------------------------------------------------------------------------

// Where the chain lives when several trails, processes or service instances
// write one chain (a sharing service's store). append() is the only way in.
class AuditLedger {
 public:
  virtual ~AuditLedger() = default;
  // Keeps `event` as the next link of the chain, durably, before returning it
  // as kept: sequence and previous_hash from the chain's head, alerts from
  // volume_alerts over the ledger's own history (added to any the event
  // carries), hash. Concurrent appends, from any writer, are serialised.
  // Throws AuditError when it cannot be kept: nothing may then be shown.
  virtual AuditEvent append(AuditEvent event, const AlertThresholds& thresholds) = 0;
};

// ---------------------------------------------------------------------------
// The trail
// ---------------------------------------------------------------------------

class AuditTrail {
 public:
  // `log_path`: the hash-chained log, appended to (continuing its chain; an
  // empty path keeps the chain in memory only). `spool_path`: where events
  // wait while the sink is down. A sink without a spool is synchronous: each
  // event is delivered before record() returns, or record() throws (a host
  // callback that keeps events itself; nothing is shown unless it does).
  // `alerts`: when the proactive rules raise an alert (Policy::alerts()).
  // Throws AuditError when the log exists but an event in it is unreadable.
  explicit AuditTrail(const AlertThresholds& alerts, std::string log_path = "", AuditSink sink = nullptr, std::string spool_path = "");
  // A trail whose chain is `ledger`'s: record() is ledger->append(). The
  // ledger is shared with whoever else writes to it.
  AuditTrail(const AlertThresholds& alerts, std::shared_ptr<AuditLedger> ledger);
  ~AuditTrail();
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;

  // Completes `event` (sequence, chain, policy, alerts), writes it to the log
  // and hands it to the sink (or the spool). Returns the event as written.
  // Throws AuditError when it cannot be written: the caller must then not show
  // anything (audit failure fails closed).
  AuditEvent record(AuditEvent event);

  // Tries again to deliver spooled events, oldest first. Returns how many
  // are still waiting.
  size_t flush();
  size_t waiting() const;
  uint64_t last_sequence() const;
  const std::string& last_hash() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ---------------------------------------------------------------------------
// Verifying a log
// ---------------------------------------------------------------------------

struct AuditVerification {
  bool intact = false;
  uint64_t events = 0;
  std::string last_hash;      // the head: compare with the sink's copy to detect a cut tail
  uint64_t first_bad = 0;     // line number of the first bad event (1-based)
  std::string problem;        // what is wrong with it
};
AuditVerification verify_audit_log(const std::string& path);

}  // namespace ilinks
