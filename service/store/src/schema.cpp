// The store's tables. Each migration is a list of statements in the SQL both
// backends understand; "{id}" is the backend's generated row id. A Timestamp
// is two columns, <name>_utc (seconds since 1970, for ordering and ranges)
// and <name>_offset (minutes), so it reads back exactly as it was written.
#include "schema.h"

#include <string>
#include <vector>

namespace ilinks::sql {

namespace {

struct Migration {
  int64_t version;
  std::vector<const char*> statements;
};

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1,
       {
           // What the person agreed to, and whom it lets in.
           "CREATE TABLE consents (id {id}, nhs_number TEXT NOT NULL, scope TEXT NOT NULL, scope_value TEXT NOT NULL,"
           " method TEXT NOT NULL, given_by TEXT NOT NULL, consent_recorded_by TEXT NOT NULL,"
           " recorded_at_utc BIGINT NOT NULL, recorded_at_offset BIGINT NOT NULL,"
           " expires_utc BIGINT, expires_offset BIGINT,"
           " by_user_id TEXT NOT NULL, by_user_name TEXT NOT NULL, by_organisation TEXT NOT NULL,"
           " withdrawn_at_utc BIGINT, withdrawn_at_offset BIGINT, withdrawn_by TEXT NOT NULL DEFAULT '')",
           "CREATE INDEX consents_by_person ON consents (nhs_number, recorded_at_utc)",

           "CREATE TABLE opt_outs (id {id}, nhs_number TEXT NOT NULL, scope TEXT NOT NULL, value TEXT NOT NULL,"
           " by_user_id TEXT NOT NULL, by_user_name TEXT NOT NULL, by_organisation TEXT NOT NULL,"
           " recorded_at_utc BIGINT NOT NULL, recorded_at_offset BIGINT NOT NULL,"
           " withdrawn_at_utc BIGINT, withdrawn_at_offset BIGINT, withdrawn_by TEXT NOT NULL DEFAULT '')",
           "CREATE INDEX opt_outs_by_person ON opt_outs (nhs_number)",

           // Keyed by the person and the viewer (user, profile, organisation); the latest row wins.
           "CREATE TABLE overrides (id {id}, nhs_number TEXT NOT NULL, user_id TEXT NOT NULL, profile TEXT NOT NULL,"
           " organisation TEXT NOT NULL, reason_code TEXT NOT NULL, reason TEXT NOT NULL, text TEXT NOT NULL,"
           " declared_by TEXT NOT NULL, started_utc BIGINT NOT NULL, started_offset BIGINT NOT NULL,"
           " ends_utc BIGINT NOT NULL, ends_offset BIGINT NOT NULL)",
           "CREATE INDEX overrides_by_viewer ON overrides (nhs_number, user_id, profile, organisation, id)",

           "CREATE TABLE case_access (id {id}, nhs_number TEXT NOT NULL, user_id TEXT NOT NULL, profile TEXT NOT NULL,"
           " organisation TEXT NOT NULL, reason_code TEXT NOT NULL, reason TEXT NOT NULL, text TEXT NOT NULL,"
           " grant_user_id TEXT NOT NULL, grant_profile TEXT NOT NULL, grant_organisation TEXT NOT NULL,"
           " grant_nhs_number TEXT NOT NULL, started_utc BIGINT NOT NULL, started_offset BIGINT NOT NULL,"
           " ends_utc BIGINT NOT NULL, ends_offset BIGINT NOT NULL)",
           "CREATE INDEX case_access_by_viewer ON case_access (nhs_number, user_id, profile, organisation, id)",

           // A context token's id, until it expires: a second use is a replay.
           "CREATE TABLE used_tokens (issuer TEXT NOT NULL, jti TEXT NOT NULL, expires_utc BIGINT NOT NULL,"
           " PRIMARY KEY (issuer, jti))",
           "CREATE INDEX used_tokens_by_expiry ON used_tokens (expires_utc)",

           // The one chain: `line` is the event exactly as AuditEvent::to_json() wrote it.
           "CREATE TABLE audit_events (sequence BIGINT PRIMARY KEY, time_utc BIGINT NOT NULL, time_offset BIGINT NOT NULL,"
           " user_id TEXT NOT NULL, patient TEXT NOT NULL, action TEXT NOT NULL, hash TEXT NOT NULL,"
           " previous_hash TEXT NOT NULL, line TEXT NOT NULL)",
           "CREATE INDEX audit_events_by_user ON audit_events (user_id, time_utc)",
           "CREATE INDEX audit_events_by_patient ON audit_events (patient, sequence)",

           "CREATE TABLE alerts (id {id}, audit_sequence BIGINT NOT NULL, time_utc BIGINT NOT NULL,"
           " time_offset BIGINT NOT NULL, rule TEXT NOT NULL, why TEXT NOT NULL, user_id TEXT NOT NULL,"
           " user_name TEXT NOT NULL, organisation TEXT NOT NULL, patient TEXT NOT NULL,"
           " acknowledged_at_utc BIGINT, acknowledged_at_offset BIGINT,"
           " acknowledged_by TEXT NOT NULL DEFAULT '', acknowledgement_note TEXT NOT NULL DEFAULT '')",
           "CREATE INDEX alerts_by_time ON alerts (time_utc)",
           "CREATE INDEX alerts_by_user ON alerts (user_id, time_utc)",
           "CREATE INDEX alerts_by_organisation ON alerts (organisation, time_utc)",

           // A resend (same facility, same control id) is kept once.
           "CREATE TABLE adt_messages (id {id}, nhs_number TEXT NOT NULL, sending_facility TEXT NOT NULL,"
           " control_id TEXT NOT NULL, message TEXT NOT NULL, received_utc BIGINT NOT NULL,"
           " received_offset BIGINT NOT NULL, UNIQUE (sending_facility, control_id))",
           "CREATE INDEX adt_messages_by_person ON adt_messages (nhs_number)",

           "CREATE TABLE explanations (id {id}, nhs_number TEXT NOT NULL, practice_ods TEXT NOT NULL,"
           " resource_json TEXT NOT NULL, created_utc BIGINT NOT NULL, created_offset BIGINT NOT NULL,"
           " attempts BIGINT NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',"
           " last_attempt_utc BIGINT, last_attempt_offset BIGINT, delivered_at_utc BIGINT, delivered_at_offset BIGINT)",
           "CREATE INDEX explanations_undelivered ON explanations (delivered_at_utc, id)",
       }},
  };
  return all;
}

std::string with_row_id(const char* statement, const char* row_id) {
  std::string s = statement;
  for (size_t at; (at = s.find("{id}")) != std::string::npos;) s.replace(at, 4, row_id);
  return s;
}

}  // namespace

const int64_t kSchemaVersion = 1;

void migrate(Database& db) {
  db.transaction(Work::schema, "create or migrate its tables", [&](Connection& c) {
    c.run("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)");
    Rows rows = c.run("SELECT MAX(version) FROM schema_version");
    int64_t version = rows.empty() || !rows[0][0] ? 0 : Reader(rows[0]).integer();
    if (version > kSchemaVersion)
      throw Failure{"its tables are of schema version " + std::to_string(version) + ", newer than this service knows (" +
                    std::to_string(kSchemaVersion) + "): run a newer service"};
    for (const auto& m : migrations()) {
      if (m.version <= version) continue;
      for (const char* statement : m.statements) c.run(with_row_id(statement, db.row_id_column()));
      c.run("INSERT INTO schema_version (version) VALUES ($1)", Params() << m.version);
    }
  });
}

}  // namespace ilinks::sql
