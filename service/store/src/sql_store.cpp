// The Store's one behaviour, over either database: every statement here is
// run by both backends, so SQLite and PostgreSQL keep and answer alike.
#include "sql_store.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "rows.h"
#include "schema.h"

namespace ilinks {

using sql::Connection;
using sql::Failure;
using sql::Params;
using sql::Rows;
using sql::Work;

namespace {

const std::string kNoPreviousEvent(64, '0');  // the first event's previous_hash (AuditEvent)
// A used token's id is kept this long after it expires, for instances whose clocks disagree.
const int64_t kUsedTokenGraceSeconds = 3600;
const size_t kExportPage = 1000;

// The consents that let a viewer in: $1 the person, $2 the user, $3 their
// organisation, $4 their team (an empty organisation or team lets no one in).
const char* const kConsentLetsViewerIn =
    "nhs_number = $1 AND withdrawn_at_utc IS NULL AND ("
    "(scope = 'user' AND by_user_id <> '' AND by_user_id = $2)"
    " OR (scope = 'organisation' AND scope_value <> '' AND scope_value = $3)"
    " OR (scope = 'team' AND scope_value <> '' AND scope_value = $4)"
    " OR scope = 'all-participants')";
Params consent_viewer_params(const std::string& nhs_number, const Viewer& v) {
  return Params() << nhs_number << v.user_id << v.organisation_ods << v.team;
}

// What a user recorded or was given: $1 the person, $2 user, $3 profile, $4 organisation.
const char* const kViewerKey = "nhs_number = $1 AND user_id = $2 AND profile = $3 AND organisation = $4";
Params viewer_key_params(const std::string& nhs_number, const Viewer& v) {
  return Params() << nhs_number << v.user_id << v.profile << v.organisation_ods;
}

int64_t returned_id(const Rows& rows) { return rows.empty() ? 0 : sql::Reader(rows[0]).integer(); }

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<sql::Database> db) : db_(std::move(db)) { sql::migrate(*db_); }

  // ---- BasisStore ---------------------------------------------------------------------
  std::optional<Consent> consent(const std::string& nhs_number, const Viewer& viewer) const override {
    std::optional<Consent> found;
    run(Work::read, "read the consent that lets a viewer in", [&](Connection& c) {
      Rows rows = c.run(std::string("SELECT ") + sql::kConsentColumns + " FROM consents WHERE " + kConsentLetsViewerIn +
                            " ORDER BY recorded_at_utc DESC, id DESC LIMIT 1",
                        consent_viewer_params(nhs_number, viewer));
      found = rows.empty() ? std::nullopt : std::optional<Consent>(sql::read_consent(rows[0]).consent);
    });
    return found;
  }

  void put_consent(const std::string& nhs_number, const Viewer& viewer, const Consent& consent) override {
    add_consent(nhs_number, consent, RecordedBy{viewer.user_id, viewer.user_name, viewer.organisation_ods});
  }

  void withdraw_consent(const std::string& nhs_number, const Viewer& viewer, const Timestamp& at) override {
    run(Work::write, "withdraw the consents that let a viewer in", [&](Connection& c) {
      c.run(std::string("UPDATE consents SET withdrawn_at_utc = $5, withdrawn_at_offset = $6, withdrawn_by = $7 WHERE ") +
                kConsentLetsViewerIn,
            consent_viewer_params(nhs_number, viewer) << at << viewer.user_id);
    });
  }

  std::vector<OptOut> opt_outs(const std::string& nhs_number) const override {
    std::vector<OptOut> out;
    for (auto& s : opt_outs_of(nhs_number, false)) out.push_back(std::move(s.opt_out));
    return out;
  }

  void add_opt_out(const std::string& nhs_number, const OptOut& opt_out) override {
    add_opt_out_by(nhs_number, opt_out, RecordedBy{}, Timestamp::now());
  }

  std::optional<Override> override_for(const std::string& nhs_number, const Viewer& viewer) const override {
    std::optional<Override> found;
    run(Work::read, "read an override", [&](Connection& c) {
      Rows rows = c.run(std::string("SELECT ") + sql::kOverrideColumns + " FROM overrides WHERE " + kViewerKey +
                            " ORDER BY id DESC LIMIT 1",
                        viewer_key_params(nhs_number, viewer));
      found = rows.empty() ? std::nullopt : std::optional<Override>(sql::read_override(rows[0]));
    });
    return found;
  }

  void put_override(const std::string& nhs_number, const Viewer& viewer, const Override& o) override {
    run(Work::write, "record an override", [&](Connection& c) {
      c.run("INSERT INTO overrides (nhs_number, user_id, profile, organisation, reason_code, reason, text, declared_by,"
            " started_utc, started_offset, ends_utc, ends_offset) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            viewer_key_params(nhs_number, viewer) << o.reason_code << o.reason << o.text << o.user_id << o.started << o.ends);
    });
  }

  std::optional<CaseAccess> case_access(const std::string& nhs_number, const Viewer& viewer) const override {
    std::optional<CaseAccess> found;
    run(Work::read, "read wider access", [&](Connection& c) {
      Rows rows = c.run(std::string("SELECT ") + sql::kCaseAccessColumns + " FROM case_access WHERE " + kViewerKey +
                            " ORDER BY id DESC LIMIT 1",
                        viewer_key_params(nhs_number, viewer));
      found = rows.empty() ? std::nullopt : std::optional<CaseAccess>(sql::read_case_access(rows[0]));
    });
    return found;
  }

  void put_case_access(const std::string& nhs_number, const Viewer& viewer, const CaseAccess& g) override {
    run(Work::write, "record wider access", [&](Connection& c) {
      c.run("INSERT INTO case_access (nhs_number, user_id, profile, organisation, reason_code, reason, text,"
            " grant_user_id, grant_profile, grant_organisation, grant_nhs_number, started_utc, started_offset, ends_utc,"
            " ends_offset) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            viewer_key_params(nhs_number, viewer) << g.reason_code << g.reason << g.text << g.user_id << g.profile
                                                  << g.organisation_ods << g.nhs_number << g.started << g.ends);
    });
  }

  // ---- AuditLedger ------------------------------------------------------------------------
  AuditEvent append(AuditEvent event, const AlertThresholds& thresholds) override {
    AuditEvent kept;
    run(Work::chain, "record the audit event", [&](Connection& c) {
      kept = event;  // afresh on each attempt
      Rows head = c.run("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1");
      if (head.empty()) {
        kept.sequence = 1;
        kept.previous_hash = kNoPreviousEvent;
      } else {
        sql::Reader r(head[0]);
        kept.sequence = static_cast<uint64_t>(r.integer()) + 1;
        kept.previous_hash = r.text();
      }
      if (kept.action == "view") {
        // The same user's views within the volume rules' window, from every
        // instance; and those stamped up to a window later that reached the
        // chain first (below).
        int64_t now = kept.time.utc_seconds, window = volume_alert_window_seconds(thresholds);
        Rows rows = c.run("SELECT sequence, line FROM audit_events WHERE user_id = $1 AND time_utc > $2 AND time_utc <= $3"
                          " AND action = 'view' ORDER BY time_utc, sequence",
                          Params() << kept.user_id << now - window << now + window);
        std::vector<AuditEvent> nearby;
        for (const auto& row : rows) {
          sql::Reader r(row);
          std::string sequence = r.text();
          nearby.push_back(sql::read_audit_line(r.text(), sequence));
        }
        // volume_alerts counts the earlier ones, and raises nothing a view
        // stamped a moment later (that reached the chain first) already carries.
        for (auto& a : volume_alerts(kept, nearby, thresholds)) kept.alerts.push_back(std::move(a));
      }
      kept.hash = kept.compute_hash();
      c.run("INSERT INTO audit_events (sequence, time_utc, time_offset, user_id, patient, action, hash, previous_hash, line)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            Params() << int64_t(kept.sequence) << kept.time << kept.user_id << kept.patient_nhs_number << kept.action
                     << kept.hash << kept.previous_hash << kept.to_json());
      for (const auto& a : kept.alerts)
        c.run("INSERT INTO alerts (audit_sequence, time_utc, time_offset, rule, why, user_id, user_name, organisation,"
              " patient) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
              Params() << int64_t(kept.sequence) << kept.time << a.rule << a.why << kept.user_id << kept.user_name
                       << kept.organisation << kept.patient_nhs_number);
    });
    return kept;
  }

  // ---- Consent and opt-outs -------------------------------------------------------------------
  int64_t add_consent(const std::string& nhs_number, const Consent& c, const RecordedBy& by) override {
    int64_t id = 0;
    run(Work::write, "record a consent", [&](Connection& conn) {
      id = returned_id(conn.run(
          "INSERT INTO consents (nhs_number, scope, scope_value, method, given_by, consent_recorded_by, recorded_at_utc,"
          " recorded_at_offset, expires_utc, expires_offset, by_user_id, by_user_name, by_organisation)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
          Params() << nhs_number << consent_scope_id(c.scope) << c.scope_value << c.method << c.given_by << c.recorded_by
                   << c.recorded_at << c.expires << by.user_id << by.user_name << by.organisation_ods));
    });
    return id;
  }

  std::vector<StoredConsent> consents(const std::string& nhs_number, bool include_withdrawn) const override {
    std::vector<StoredConsent> out;
    run(Work::read, "list a person's consents", [&](Connection& c) {
      out.clear();
      for (const auto& row : c.run(std::string("SELECT ") + sql::kConsentColumns + " FROM consents WHERE nhs_number = $1" +
                                       (include_withdrawn ? "" : " AND withdrawn_at_utc IS NULL") +
                                       " ORDER BY recorded_at_utc, id",
                                   Params() << nhs_number))
        out.push_back(sql::read_consent(row));
    });
    return out;
  }

  bool withdraw_consent_by_id(const std::string& nhs_number, int64_t id, const std::string& by_user,
                              const Timestamp& at) override {
    bool done = false;
    run(Work::write, "withdraw a consent", [&](Connection& c) {
      done = !c.run("UPDATE consents SET withdrawn_at_utc = $3, withdrawn_at_offset = $4, withdrawn_by = $5"
                    " WHERE id = $1 AND nhs_number = $2 AND withdrawn_at_utc IS NULL RETURNING id",
                    Params() << id << nhs_number << at << by_user)
                  .empty();
    });
    return done;
  }

  int64_t add_opt_out_by(const std::string& nhs_number, const OptOut& o, const RecordedBy& by, const Timestamp& at) override {
    int64_t id = 0;
    run(Work::write, "record an opt-out", [&](Connection& c) {
      id = returned_id(c.run("INSERT INTO opt_outs (nhs_number, scope, value, by_user_id, by_user_name, by_organisation,"
                             " recorded_at_utc, recorded_at_offset) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                             Params() << nhs_number << sql::opt_out_scope_id(o.scope) << o.value << by.user_id
                                      << by.user_name << by.organisation_ods << at));
    });
    return id;
  }

  std::vector<StoredOptOut> opt_outs_of(const std::string& nhs_number, bool include_withdrawn) const override {
    std::vector<StoredOptOut> out;
    run(Work::read, "list a person's opt-outs", [&](Connection& c) {
      out.clear();
      for (const auto& row : c.run(std::string("SELECT ") + sql::kOptOutColumns + " FROM opt_outs WHERE nhs_number = $1" +
                                       (include_withdrawn ? "" : " AND withdrawn_at_utc IS NULL") + " ORDER BY id",
                                   Params() << nhs_number))
        out.push_back(sql::read_opt_out(row));
    });
    return out;
  }

  bool withdraw_opt_out(const std::string& nhs_number, int64_t id, const std::string& by_user, const Timestamp& at) override {
    bool done = false;
    run(Work::write, "withdraw an opt-out", [&](Connection& c) {
      done = !c.run("UPDATE opt_outs SET withdrawn_at_utc = $3, withdrawn_at_offset = $4, withdrawn_by = $5"
                    " WHERE id = $1 AND nhs_number = $2 AND withdrawn_at_utc IS NULL RETURNING id",
                    Params() << id << nhs_number << at << by_user)
                  .empty();
    });
    return done;
  }

  // ---- Context tokens ---------------------------------------------------------------------
  bool use_token_once(const std::string& issuer, const std::string& jti, const Timestamp& expires) override {
    bool first = false;
    run(Work::write, "record a context token's use", [&](Connection& c) {
      c.run("DELETE FROM used_tokens WHERE expires_utc < $1", Params() << Timestamp::now().utc_seconds - kUsedTokenGraceSeconds);
      first = !c.run("INSERT INTO used_tokens (issuer, jti, expires_utc) VALUES ($1, $2, $3)"
                     " ON CONFLICT (issuer, jti) DO NOTHING RETURNING jti",
                     Params() << issuer << jti << expires.utc_seconds)
                   .empty();
    });
    return first;
  }

  // ---- The audit trail ----------------------------------------------------------------------
  uint64_t audit_head_sequence() const override {
    uint64_t head = 0;
    run(Work::read, "read the audit chain's head", [&](Connection& c) {
      Rows rows = c.run("SELECT COALESCE(MAX(sequence), 0) FROM audit_events");
      head = static_cast<uint64_t>(returned_id(rows));
    });
    return head;
  }

  std::vector<AuditEvent> audit_events(uint64_t from_sequence, size_t limit) const override {
    return events_where("read the audit trail", "sequence >= $1", Params() << int64_t(std::max<uint64_t>(from_sequence, 1)),
                        limit);
  }

  std::vector<AuditEvent> audit_events_about(const std::string& nhs_number, size_t limit) const override {
    return events_where("read a person's audit events", "patient = $1", Params() << nhs_number, limit);
  }

  void export_audit(const std::string& path) const override {
    const char* what = "export the audit trail";
    uint64_t head = audit_head_sequence();
    std::string partial = path + ".partial";
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) sql::fail(what, partial + " cannot be written");
    for (uint64_t next = 1; next <= head;) {
      Rows rows;
      run(Work::read, what, [&](Connection& c) {
        rows = c.run("SELECT line FROM audit_events WHERE sequence >= $1 AND sequence <= $2 ORDER BY sequence LIMIT $3",
                     Params() << int64_t(next) << int64_t(head) << int64_t(kExportPage));
      });
      if (rows.empty()) break;
      for (const auto& row : rows) out << sql::Reader(row).text() << '\n';
      next += rows.size();
    }
    out.close();
    if (!out) sql::fail(what, partial + " could not be written in full (is the disk full?)");
    if (std::rename(partial.c_str(), path.c_str()) != 0) sql::fail(what, partial + " could not be renamed to " + path);
  }

  // ---- Alerts ---------------------------------------------------------------------------------
  std::vector<StoredAlert> alerts(const AlertQuery& q) const override {
    std::string where = "1 = 1";
    Params params;
    int n = 0;
    auto next = [&] { return "$" + std::to_string(++n); };
    // Only the conditions asked for; their values are bound like any other.
    if (q.from) {
      where += " AND time_utc >= " + next();
      params << q.from->utc_seconds;
    }
    if (q.to) {
      where += " AND time_utc <= " + next();
      params << q.to->utc_seconds;
    }
    if (!q.user_id.empty()) {
      where += " AND user_id = " + next();
      params << q.user_id;
    }
    if (!q.organisation.empty()) {
      where += " AND organisation = " + next();
      params << q.organisation;
    }
    if (q.unacknowledged_only) where += " AND acknowledged_at_utc IS NULL";
    std::string statement = std::string("SELECT ") + sql::kAlertColumns + " FROM alerts WHERE " + where +
                            " ORDER BY time_utc DESC, id DESC LIMIT " + next();
    params << std::max(q.limit, 0);
    std::vector<StoredAlert> out;
    run(Work::read, "read the alerts", [&](Connection& c) {
      out.clear();
      for (const auto& row : c.run(statement, params)) out.push_back(sql::read_alert(row));
    });
    return out;
  }

  bool acknowledge_alert(int64_t id, const std::string& by_user, const std::string& note, const Timestamp& at) override {
    bool done = false;
    run(Work::write, "acknowledge an alert", [&](Connection& c) {
      done = !c.run("UPDATE alerts SET acknowledged_at_utc = $2, acknowledged_at_offset = $3, acknowledged_by = $4,"
                    " acknowledgement_note = $5 WHERE id = $1 AND acknowledged_at_utc IS NULL RETURNING id",
                    Params() << id << at << by_user << note)
                  .empty();
    });
    return done;
  }

  // ---- HL7 v2 ADT -----------------------------------------------------------------------------
  bool add_adt(const StoredAdt& m) override {
    bool added = false;
    run(Work::write, "keep an ADT message", [&](Connection& c) {
      added = !c.run("INSERT INTO adt_messages (nhs_number, sending_facility, control_id, message, received_utc,"
                     " received_offset) VALUES ($1, $2, $3, $4, $5, $6)"
                     " ON CONFLICT (sending_facility, control_id) DO NOTHING RETURNING id",
                     Params() << m.nhs_number << m.sending_facility << m.control_id << m.message << m.received)
                   .empty();
    });
    return added;
  }

  std::vector<StoredAdt> adt_for(const std::string& nhs_number) const override {
    std::vector<StoredAdt> out;
    run(Work::read, "read a person's ADT messages", [&](Connection& c) {
      out.clear();
      for (const auto& row : c.run(std::string("SELECT ") + sql::kAdtColumns +
                                       " FROM adt_messages WHERE nhs_number = $1 ORDER BY received_utc, id",
                                   Params() << nhs_number))
        out.push_back(sql::read_adt(row));
    });
    return out;
  }

  // ---- Override explanations ------------------------------------------------------------------
  int64_t add_explanation(const PendingExplanation& x) override {
    int64_t id = 0;
    run(Work::write, "keep an override explanation", [&](Connection& c) {
      id = returned_id(c.run("INSERT INTO explanations (nhs_number, practice_ods, resource_json, created_utc,"
                             " created_offset, attempts, last_error, last_attempt_utc, last_attempt_offset,"
                             " delivered_at_utc, delivered_at_offset)"
                             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                             Params() << x.nhs_number << x.practice_ods << x.resource_json << x.created << x.attempts
                                      << x.last_error << x.last_attempt << x.delivered_at));
    });
    return id;
  }

  std::vector<PendingExplanation> undelivered_explanations() const override {
    std::vector<PendingExplanation> out;
    run(Work::read, "read the override explanations still owed", [&](Connection& c) {
      out.clear();
      for (const auto& row : c.run(std::string("SELECT ") + sql::kExplanationColumns +
                                   " FROM explanations WHERE delivered_at_utc IS NULL ORDER BY id"))
        out.push_back(sql::read_explanation(row));
    });
    return out;
  }

  void explanation_attempted(int64_t id, const std::string& error, const Timestamp& at) override {
    run(Work::write, "record an explanation's delivery attempt", [&](Connection& c) {
      c.run("UPDATE explanations SET attempts = attempts + 1, last_error = $2, last_attempt_utc = $3,"
            " last_attempt_offset = $4 WHERE id = $1",
            Params() << id << error << at);
    });
  }

  void explanation_delivered(int64_t id, const Timestamp& at) override {
    run(Work::write, "record an explanation as delivered", [&](Connection& c) {
      c.run("UPDATE explanations SET delivered_at_utc = $2, delivered_at_offset = $3, last_attempt_utc = $2,"
            " last_attempt_offset = $3 WHERE id = $1",
            Params() << id << at);
    });
  }

  // ---- Health -----------------------------------------------------------------------------------
  void check() const override {
    // Reads a table, so a store file that cannot be read fails it (SELECT 1 alone touches nothing).
    run(Work::read, "answer a health check", [&](Connection& c) { c.run("SELECT count(*) FROM schema_version"); });
  }
  std::string kind() const override { return db_->kind(); }

 private:
  void run(Work work, const char* what, const std::function<void(Connection&)>& body) const {
    db_->transaction(work, what, body);
  }

  std::vector<AuditEvent> events_where(const char* what, const char* condition, Params params, size_t limit) const {
    params << int64_t(std::min<size_t>(limit, size_t(INT64_MAX)));
    std::string statement = std::string("SELECT sequence, line FROM audit_events WHERE ") + condition +
                            " ORDER BY sequence LIMIT $" + std::to_string(params.values().size());
    std::vector<AuditEvent> out;
    run(Work::read, what, [&](Connection& c) {
      out.clear();
      for (const auto& row : c.run(statement, params)) {
        sql::Reader r(row);
        std::string sequence = r.text();
        out.push_back(sql::read_audit_line(r.text(), sequence));
      }
    });
    return out;
  }

  std::unique_ptr<sql::Database> db_;
};

}  // namespace

std::shared_ptr<Store> make_sql_store(std::unique_ptr<sql::Database> db) { return std::make_shared<SqlStore>(std::move(db)); }

}  // namespace ilinks
