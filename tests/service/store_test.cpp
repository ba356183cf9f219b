// The store, one suite for both backends: ILINKS_TEST_STORE=sqlite (a file
// under test-output/) or postgresql (ILINKS_TEST_PG, a real server that
// with_postgres.sh started; the suite fails when it cannot be reached).
// Each test case opens its own empty database; a second store object on the
// same database stands for a second instance of the service.
#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ilinks/record_builder.h"
#include "ilinks/session.h"
#include "ilinks/store.h"

using namespace ilinks;

namespace {

const std::string kJoe = "9434765919";   // the people the tests are about
const std::string kAnn = "9434765870";

bool on_postgresql() {
  const char* kind = std::getenv("ILINKS_TEST_STORE");
  std::string k = kind ? kind : "sqlite";
  if (k != "sqlite" && k != "postgresql") FAIL("ILINKS_TEST_STORE is \"" << k << "\": sqlite or postgresql");
  return k == "postgresql";
}

std::string test_pg() {
  const char* pg = std::getenv("ILINKS_TEST_PG");
  if (!pg || !*pg) FAIL("ILINKS_TEST_STORE=postgresql needs ILINKS_TEST_PG (run the suite through tests/service/with_postgres.sh)");
  return pg ? pg : "";
}

// Runs statements directly on the test's database, beside the store (to
// make a database, or break one on purpose).
void raw_sql(const StoreSettings& s, const std::vector<std::string>& statements) {
  if (s.kind == StoreSettings::Kind::postgresql) {
    PGconn* conn = PQconnectdb(s.location.c_str());
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
    std::string error = PQstatus(conn) == CONNECTION_OK ? "" : PQerrorMessage(conn);
    for (const auto& statement : statements) {
      if (!error.empty()) break;
      PGresult* r = PQexec(conn, statement.c_str());
      if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) error = PQerrorMessage(conn);
      PQclear(r);
    }
    PQfinish(conn);
    REQUIRE_MESSAGE(error.empty(), "PostgreSQL at " << s.location << ": " << error);
  } else {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(s.location.c_str(), &db) == SQLITE_OK);
    std::string error;
    for (const auto& statement : statements) {
      char* message = nullptr;
      if (sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &message) != SQLITE_OK) error = message ? message : "failed";
      sqlite3_free(message);
      if (!error.empty()) break;
    }
    sqlite3_close(db);
    REQUIRE_MESSAGE(error.empty(), s.location << ": " << error);
  }
}

// A new, empty database for one test case.
StoreSettings fresh_settings() {
  static std::atomic<int> count{0};
  std::string name = "store_" + std::to_string(++count);
  StoreSettings s;
  if (on_postgresql()) {
    StoreSettings maintenance{StoreSettings::Kind::postgresql, test_pg()};
    raw_sql(maintenance, {"DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name});
    s.kind = StoreSettings::Kind::postgresql;
    s.location = test_pg() + " dbname=" + name;
  } else {
    auto folder = std::filesystem::path(ILINKS_TEST_OUTPUT) / "store";
    std::filesystem::create_directories(folder);
    s.kind = StoreSettings::Kind::sqlite;
    s.location = (folder / (name + ".db")).string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(s.location + suffix);
  }
  return s;
}

// Another writer holding the whole database (SQLite: its write lock;
// PostgreSQL: the chain's table), until it goes out of scope.
class HeldByAnotherWriter {
 public:
  explicit HeldByAnotherWriter(const StoreSettings& s) {
    if (s.kind == StoreSettings::Kind::postgresql) {
      pg_ = PQconnectdb(s.location.c_str());
      for (const char* statement : {"BEGIN", "LOCK TABLE audit_events IN ACCESS EXCLUSIVE MODE"}) {
        PGresult* r = PQexec(pg_, statement);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        REQUIRE_MESSAGE(ok, statement << ": " << PQerrorMessage(pg_));
      }
    } else {
      REQUIRE(sqlite3_open(s.location.c_str(), &sqlite_) == SQLITE_OK);
      REQUIRE(sqlite3_exec(sqlite_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
    }
  }
  ~HeldByAnotherWriter() {
    if (pg_) PQfinish(pg_);  // its transaction ends with it
    if (sqlite_) sqlite3_close_v2(sqlite_);
  }
  HeldByAnotherWriter(const HeldByAnotherWriter&) = delete;
  HeldByAnotherWriter& operator=(const HeldByAnotherWriter&) = delete;

 private:
  PGconn* pg_ = nullptr;
  sqlite3* sqlite_ = nullptr;
};

Timestamp at(const char* iso) {
  auto t = Timestamp::parse(iso);
  REQUIRE_MESSAGE(t, iso);
  return *t;
}

Viewer viewer(const std::string& user, const std::string& organisation, const std::string& team = "",
              const std::string& profile = "1a") {
  Viewer v;
  v.user_id = user;
  v.user_name = "Dr " + user;
  v.profile = profile;
  v.organisation_ods = organisation;
  v.team = team;
  return v;
}

Consent consent(const std::string& by, Consent::Scope scope, const std::string& scope_value, const char* when,
                const std::string& method = "verbal") {
  Consent c;
  c.recorded_by = by;
  c.recorded_at = at(when);
  c.method = method;
  c.scope = scope;
  c.scope_value = scope_value;
  return c;
}

AuditEvent event(const std::string& action, const std::string& user, const std::string& patient, const Timestamp& time) {
  AuditEvent e;
  e.action = action;
  e.time = time;
  e.user_id = user;
  e.user_name = "Dr " + user;
  e.profile = "1a";
  e.organisation = "RVY";
  e.device = "store test";
  e.patient_nhs_number = patient;
  e.basis = "consent";
  e.outcome = action == "view" ? "shown" : "recorded";
  e.policy_version = "test";
  return e;
}

// Thresholds with small numbers, and no clock out of hours.
AlertThresholds small_thresholds() {
  AlertThresholds t;
  t.patients_per_user = 3;
  t.patients_per_user_minutes = 60;
  t.working_start_minute = 0;
  t.working_end_minute = 24 * 60;
  t.working_days = {0, 1, 2, 3, 4, 5, 6};
  return t;
}

std::string export_path(const char* name) {
  auto folder = std::filesystem::path(ILINKS_TEST_OUTPUT) / "store";
  std::filesystem::create_directories(folder);
  return (folder / (std::string(name) + (on_postgresql() ? "-postgresql" : "-sqlite") + ".jsonl")).string();
}

void check_same_time(const Timestamp& a, const Timestamp& b) {
  CHECK(a.utc_seconds == b.utc_seconds);
  CHECK(a.offset_minutes == b.offset_minutes);
}

}  // namespace

TEST_SUITE("store") {

// ---- Consent, by scope ------------------------------------------------------------------

TEST_CASE("a user-scoped consent lets in the user who recorded it, and no one else") {
  auto store = open_store(fresh_settings());
  Viewer alice = viewer("alice", "RVY"), bob = viewer("bob", "RVY");
  store->put_consent(kJoe, alice, consent("alice", Consent::Scope::user, "", "2026-03-02T09:00:00+00:00"));
  auto found = store->consent(kJoe, alice);
  REQUIRE(found);
  CHECK(found->recorded_by == "alice");
  CHECK(found->method == "verbal");
  CHECK(found->scope == Consent::Scope::user);
  CHECK_FALSE(store->consent(kJoe, bob));
  CHECK_FALSE(store->consent(kAnn, alice));
  auto kept = store->consents(kJoe, false);
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].recorded_by.user_id == "alice");
  CHECK(kept[0].recorded_by.user_name == "Dr alice");
  CHECK(kept[0].recorded_by.organisation_ods == "RVY");
}

TEST_CASE("an organisation-scoped consent lets a colleague of the same organisation in, and not another organisation") {
  auto store = open_store(fresh_settings());
  store->put_consent(kJoe, viewer("alice", "RVY"), consent("alice", Consent::Scope::organisation, "RVY", "2026-03-02T09:00:00+00:00"));
  auto colleague = store->consent(kJoe, viewer("carol", "RVY"));
  REQUIRE(colleague);
  CHECK(colleague->scope == Consent::Scope::organisation);
  CHECK(colleague->scope_value == "RVY");
  CHECK_FALSE(store->consent(kJoe, viewer("dave", "RAE")));
}

TEST_CASE("a team-scoped consent lets a member of that team in, and not another team nor a viewer whose system names no team") {
  auto store = open_store(fresh_settings());
  store->put_consent(kJoe, viewer("alice", "RVY", "Southport A&E"),
                     consent("alice", Consent::Scope::team, "Southport A&E", "2026-03-02T09:00:00+00:00"));
  CHECK(store->consent(kJoe, viewer("erin", "RVY", "Southport A&E")));
  CHECK(store->consent(kJoe, viewer("frank", "RAE", "Southport A&E")));  // the team, whoever employs them
  CHECK_FALSE(store->consent(kJoe, viewer("gina", "RVY", "Ward 7")));
  CHECK_FALSE(store->consent(kJoe, viewer("hal", "RVY")));
}

TEST_CASE("an all-participants consent lets in anyone of any organisation") {
  auto store = open_store(fresh_settings());
  store->put_consent(kJoe, viewer("alice", "RVY"), consent("alice", Consent::Scope::all_participants, "", "2026-03-02T09:00:00+00:00"));
  CHECK(store->consent(kJoe, viewer("dave", "RAE")));
  CHECK(store->consent(kJoe, viewer("hal", "Y02345", "Out of hours")));
  CHECK_FALSE(store->consent(kAnn, viewer("dave", "RAE")));
}

TEST_CASE("the consent given is the latest recorded that lets the viewer in, and of two recorded at once the last kept") {
  auto store = open_store(fresh_settings());
  Viewer alice = viewer("alice", "RVY");
  store->put_consent(kJoe, alice, consent("alice", Consent::Scope::user, "", "2026-03-02T11:00:00+00:00", "written"));
  store->put_consent(kJoe, alice, consent("alice", Consent::Scope::user, "", "2026-03-02T10:00:00+00:00", "verbal"));
  REQUIRE(store->consent(kJoe, alice));
  CHECK(store->consent(kJoe, alice)->method == "written");  // recorded later, though kept first

  store->put_consent(kJoe, alice, consent("alice", Consent::Scope::organisation, "RVY", "2026-03-02T12:00:00+00:00", "verbal"));
  store->put_consent(kJoe, alice, consent("alice", Consent::Scope::user, "", "2026-03-02T12:00:00+00:00", "written"));
  auto latest = store->consent(kJoe, alice);
  REQUIRE(latest);
  CHECK(latest->scope == Consent::Scope::user);
  CHECK(latest->method == "written");
}

TEST_CASE("withdrawing consent for a viewer withdraws every consent that lets them in, and only those") {
  auto store = open_store(fresh_settings());
  Viewer alice = viewer("alice", "RVY", "Ward 1");
  store->put_consent(kJoe, alice, consent("alice", Consent::Scope::user, "", "2026-03-02T09:00:00+00:00"));
  store->put_consent(kJoe, alice, consent("alice", Consent::Scope::organisation, "RVY", "2026-03-02T09:01:00+00:00"));
  store->put_consent(kJoe, alice, consent("alice", Consent::Scope::all_participants, "", "2026-03-02T09:02:00+00:00"));
  store->put_consent(kJoe, viewer("ian", "RVY", "Ward 7"), consent("ian", Consent::Scope::team, "Ward 7", "2026-03-02T09:03:00+00:00"));
  store->put_consent(kAnn, alice, consent("alice", Consent::Scope::user, "", "2026-03-02T09:04:00+00:00"));

  Timestamp now = at("2026-03-02T10:00:00+01:00");
  store->withdraw_consent(kJoe, alice, now);
  CHECK_FALSE(store->consent(kJoe, alice));
  CHECK(store->consent(kJoe, viewer("jo", "RAE", "Ward 7")));  // the team's consent was not alice's to withdraw
  CHECK(store->consent(kAnn, alice));                           // nor another person's
  auto all = store->consents(kJoe, true);
  REQUIRE(all.size() == 4);
  int withdrawn = 0;
  for (const auto& c : all) {
    if (!c.withdrawn_at) continue;
    ++withdrawn;
    check_same_time(*c.withdrawn_at, now);
    CHECK(c.withdrawn_by == "alice");
  }
  CHECK(withdrawn == 3);
  CHECK(store->consents(kJoe, false).size() == 1);
}

TEST_CASE("a consent is listed with who recorded it, and withdrawn by its id once") {
  auto store = open_store(fresh_settings());
  Consent c = consent("alice", Consent::Scope::organisation, "RVY", "2026-03-02T09:00:00+00:00", "written");
  c.given_by = "daughter (lasting power of attorney)";
  c.expires = at("2026-09-02T09:00:00+01:00");
  int64_t id = store->add_consent(kJoe, c, RecordedBy{"alice", "Alice Smith", "RVY"});
  CHECK(id > 0);
  auto listed = store->consents(kJoe, false);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].id == id);
  CHECK(listed[0].nhs_number == kJoe);
  CHECK(listed[0].consent.given_by == "daughter (lasting power of attorney)");
  REQUIRE(listed[0].consent.expires);
  check_same_time(*listed[0].consent.expires, c.expires.value());
  CHECK(listed[0].recorded_by.user_name == "Alice Smith");
  CHECK_FALSE(listed[0].withdrawn_at);

  CHECK_FALSE(store->withdraw_consent_by_id(kAnn, id, "bob", at("2026-03-03T09:00:00+00:00")));  // not Ann's
  CHECK(store->withdraw_consent_by_id(kJoe, id, "bob", at("2026-03-03T09:00:00+00:00")));
  CHECK_FALSE(store->withdraw_consent_by_id(kJoe, id, "bob", at("2026-03-04T09:00:00+00:00")));  // already withdrawn
  CHECK_FALSE(store->withdraw_consent_by_id(kJoe, id + 100, "bob", at("2026-03-04T09:00:00+00:00")));
  CHECK(store->consents(kJoe, false).empty());
  auto all = store->consents(kJoe, true);
  REQUIRE(all.size() == 1);
  CHECK(all[0].withdrawn_by == "bob");
  REQUIRE(all[0].withdrawn_at);
  check_same_time(*all[0].withdrawn_at, at("2026-03-03T09:00:00+00:00"));
  CHECK_FALSE(store->consent(kJoe, viewer("carol", "RVY")));
}

// ---- Opt-outs ---------------------------------------------------------------------------

TEST_CASE("opt-outs recorded by one instance are seen by another, and one withdrawn there no longer applies here") {
  StoreSettings settings = fresh_settings();
  auto first = open_store(settings), second = open_store(settings);
  int64_t mental_health =
      first->add_opt_out_by(kJoe, OptOut{OptOut::Scope::setting, "mental_health"}, RecordedBy{"alice", "Alice", "RVY"},
                            at("2026-03-02T09:00:00+00:00"));
  first->add_opt_out(kJoe, OptOut{OptOut::Scope::security_label, "PSY"});
  first->add_opt_out(kAnn, OptOut{OptOut::Scope::whole_record, ""});

  auto seen = second->opt_outs(kJoe);
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].scope == OptOut::Scope::setting);
  CHECK(seen[0].value == "mental_health");
  CHECK(seen[1].scope == OptOut::Scope::security_label);
  CHECK(seen[1].value == "PSY");
  auto listed = second->opt_outs_of(kJoe, false);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].id == mental_health);
  CHECK(listed[0].recorded_by.user_id == "alice");
  check_same_time(listed[0].recorded_at, at("2026-03-02T09:00:00+00:00"));

  CHECK(second->withdraw_opt_out(kJoe, mental_health, "bob", at("2026-03-05T16:30:00+00:00")));
  CHECK_FALSE(second->withdraw_opt_out(kJoe, mental_health, "bob", at("2026-03-05T16:31:00+00:00")));
  CHECK_FALSE(first->withdraw_opt_out(kAnn, mental_health, "bob", at("2026-03-05T16:31:00+00:00")));
  auto now_applying = first->opt_outs(kJoe);
  REQUIRE(now_applying.size() == 1);
  CHECK(now_applying[0].value == "PSY");
  auto all = first->opt_outs_of(kJoe, true);
  REQUIRE(all.size() == 2);
  CHECK(all[0].withdrawn_by == "bob");
  CHECK(all[0].withdrawn_at);
  CHECK(first->opt_outs(kAnn).size() == 1);
  for (auto scope : {OptOut::Scope::whole_record, OptOut::Scope::segment, OptOut::Scope::setting, OptOut::Scope::security_label,
                     OptOut::Scope::organisation, OptOut::Scope::item})
    first->add_opt_out("9000000009", OptOut{scope, "x"});
  auto every = second->opt_outs("9000000009");
  REQUIRE(every.size() == 6);
  CHECK(every[1].scope == OptOut::Scope::segment);
  CHECK(every[4].scope == OptOut::Scope::organisation);
  CHECK(every[5].scope == OptOut::Scope::item);
}

// ---- Overrides and wider access -------------------------------------------------------------

TEST_CASE("an override is one user's, in one role and organisation, and the latest recorded wins") {
  auto store = open_store(fresh_settings());
  Viewer alice = viewer("alice", "RVY");
  Override first{"emergency", "Emergency", "collapsed in clinic", "alice", at("2026-03-02T09:00:00+00:00"),
                 at("2026-03-02T13:00:00+00:00")};
  Override second{"unconscious", "Patient unconscious", "brought in by ambulance", "alice",
                  at("2026-03-02T10:00:00+05:30"), at("2026-03-02T14:00:00+05:30")};
  store->put_override(kJoe, alice, first);
  store->put_override(kJoe, alice, second);
  auto found = store->override_for(kJoe, alice);
  REQUIRE(found);
  CHECK(found->reason_code == "unconscious");
  CHECK(found->reason == "Patient unconscious");
  CHECK(found->text == "brought in by ambulance");
  CHECK(found->user_id == "alice");
  check_same_time(found->started, second.started);
  check_same_time(found->ends, second.ends);
  CHECK_FALSE(store->override_for(kJoe, viewer("bob", "RVY")));
  CHECK_FALSE(store->override_for(kJoe, viewer("alice", "RVY", "", "2")));  // another role
  CHECK_FALSE(store->override_for(kJoe, viewer("alice", "RAE")));          // another organisation
  CHECK_FALSE(store->override_for(kAnn, alice));
}

TEST_CASE("wider access is one user's, in one role and organisation, and the latest recorded wins") {
  StoreSettings settings = fresh_settings();
  auto store = open_store(settings);
  Viewer nurse = viewer("nina", "RVY", "", "3");
  CaseAccess first{"extended-team", "Extended care team", "joint visit", "nina", "3", "RVY", kJoe,
                   at("2026-03-02T09:00:00+00:00"), at("2026-03-09T09:00:00+00:00")};
  CaseAccess second = first;
  second.text = "safeguarding review";
  second.started = at("2026-03-03T09:00:00-03:30");
  store->put_case_access(kJoe, nurse, first);
  store->put_case_access(kJoe, nurse, second);
  auto found = open_store(settings)->case_access(kJoe, nurse);  // from another instance too
  REQUIRE(found);
  CHECK(found->text == "safeguarding review");
  CHECK(found->reason_code == "extended-team");
  CHECK(found->reason == "Extended care team");
  CHECK(found->user_id == "nina");
  CHECK(found->profile == "3");
  CHECK(found->organisation_ods == "RVY");
  CHECK(found->nhs_number == kJoe);
  check_same_time(found->started, second.started);
  check_same_time(found->ends, second.ends);
  CHECK_FALSE(store->case_access(kJoe, viewer("nina", "RVY", "", "4")));
  CHECK_FALSE(store->case_access(kJoe, viewer("olly", "RVY", "", "3")));
  CHECK_FALSE(store->case_access(kAnn, nurse));
}

// ---- Times ------------------------------------------------------------------------------

TEST_CASE("times are kept to the second with the offset they were read in") {
  auto store = open_store(fresh_settings());
  for (const char* when : {"2026-03-02T09:00:59+05:45", "2026-10-25T01:30:00-03:30", "1969-12-31T23:59:59Z",
                           "2038-01-19T03:14:08+14:00"}) {
    CAPTURE(when);
    Timestamp t = at(when);
    int64_t id = store->add_opt_out_by(kJoe, OptOut{}, RecordedBy{}, t);
    bool found = false;
    for (const auto& o : store->opt_outs_of(kJoe, true))
      if (o.id == id) {
        found = true;
        check_same_time(o.recorded_at, t);
        CHECK(o.recorded_at.iso() == t.iso());
      }
    CHECK(found);
  }
}

// ---- Context tokens -------------------------------------------------------------------------

TEST_CASE("a context token's id is accepted once, whichever instance sees it first") {
  StoreSettings settings = fresh_settings();
  auto first = open_store(settings), second = open_store(settings);
  Timestamp expires = Timestamp::now().plus_minutes(5);
  CHECK(first->use_token_once("https://emis.example/issuer", "jti-1", expires));
  CHECK_FALSE(second->use_token_once("https://emis.example/issuer", "jti-1", expires));
  CHECK_FALSE(first->use_token_once("https://emis.example/issuer", "jti-1", expires));
  CHECK(second->use_token_once("https://emis.example/issuer", "jti-2", expires));
  CHECK(second->use_token_once("https://tpp.example/issuer", "jti-1", expires));  // another issuer's id

  // Many instances racing for one token: exactly one wins.
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      if ((i % 2 ? first : second)->use_token_once("https://emis.example/issuer", "raced", expires)) ++winners;
    });
  for (auto& t : threads) t.join();
  CHECK(winners == 1);
}

// ---- The audit chain ------------------------------------------------------------------------

TEST_CASE("appends from several threads in two instances at once make one gapless chain that verifies intact") {
  StoreSettings settings = fresh_settings();
  auto first = open_store(settings), second = open_store(settings);
  const int threads_per_store = 4, events_per_thread = 50;
  std::mutex lock;
  std::vector<uint64_t> sequences;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  Timestamp start = at("2026-03-02T09:00:00+00:00");
  for (int t = 0; t < 2 * threads_per_store; ++t)
    threads.emplace_back([&, t] {
      auto& store = t % 2 ? first : second;
      std::string user = "user-" + std::to_string(t);
      for (int i = 0; i < events_per_thread; ++i) {
        try {
          AuditEvent e = event(i % 3 ? "view" : "consent", user, std::to_string(9000000000 + i), start.plus_minutes(i));
          AuditEvent kept = store->append(e, AlertThresholds{});
          std::lock_guard<std::mutex> guard(lock);
          sequences.push_back(kept.sequence);
        } catch (const std::exception& err) {
          std::lock_guard<std::mutex> guard(lock);
          errors.push_back(err.what());
        }
      }
    });
  for (auto& t : threads) t.join();
  const uint64_t total = 2 * threads_per_store * events_per_thread;
  REQUIRE_MESSAGE(errors.empty(), errors.front());
  std::sort(sequences.begin(), sequences.end());
  REQUIRE(sequences.size() == total);
  for (uint64_t i = 0; i < total; ++i) REQUIRE(sequences[i] == i + 1);
  CHECK(first->audit_head_sequence() == total);
  CHECK(second->audit_head_sequence() == total);

  auto events = second->audit_events(1, 1000);
  REQUIRE(events.size() == total);
  CHECK(events.front().previous_hash == std::string(64, '0'));
  for (size_t i = 1; i < events.size(); ++i) CHECK(events[i].previous_hash == events[i - 1].hash);

  std::string path = export_path("chain");
  first->export_audit(path);
  AuditVerification v = verify_audit_log(path);
  CHECK_MESSAGE(v.intact, v.problem);
  CHECK(v.events == total);
  CHECK(v.last_hash == events.back().hash);
}

TEST_CASE("the chain is read page by page, and by person, in sequence order") {
  auto store = open_store(fresh_settings());
  CHECK(store->audit_head_sequence() == 0);
  CHECK(store->audit_events(1, 10).empty());
  Timestamp t = at("2026-03-02T09:00:00+00:00");
  for (int i = 0; i < 6; ++i) store->append(event("consent", "alice", i % 2 ? kAnn : kJoe, t.plus_minutes(i)), AlertThresholds{});
  auto page = store->audit_events(2, 3);
  REQUIRE(page.size() == 3);
  CHECK(page[0].sequence == 2);
  CHECK(page[2].sequence == 4);
  auto joe = store->audit_events_about(kJoe, 10);
  REQUIRE(joe.size() == 3);
  CHECK(joe[0].sequence == 1);
  CHECK(joe[1].sequence == 3);
  CHECK(joe[2].sequence == 5);
  CHECK(store->audit_events_about(kAnn, 2).size() == 2);
  CHECK(store->audit_events_about("9000000009", 10).empty());
  // Kept exactly as appended: the time's offset too.
  AuditEvent e = event("refusal", "bob", kJoe, at("2026-03-02T10:00:00-05:00"));
  AuditEvent kept = store->append(e, AlertThresholds{});
  auto back = store->audit_events(kept.sequence, 1);
  REQUIRE(back.size() == 1);
  CHECK(back[0].to_json() == kept.to_json());
  CHECK(back[0].compute_hash() == kept.hash);
}

TEST_CASE("views by one user spread over two instances raise many-patients exactly once") {
  StoreSettings settings = fresh_settings();
  auto first = open_store(settings), second = open_store(settings);
  AlertThresholds thresholds = small_thresholds();  // more than 3 people in 60 minutes
  Timestamp t = at("2026-03-02T09:00:00+00:00");
  std::vector<AuditEvent> kept;
  for (int i = 0; i < 8; ++i) {
    auto& store = i % 2 ? first : second;
    kept.push_back(store->append(event("view", "eve", std::to_string(9000000000 + i), t.plus_minutes(i)), thresholds));
    store->append(event("view", "fred", kJoe, t.plus_minutes(i)), thresholds);  // another user, one person
  }
  int raised = 0;
  for (const auto& e : kept)
    for (const auto& a : e.alerts) {
      CHECK(a.rule == "many-patients");
      ++raised;
    }
  CHECK(raised == 1);
  CHECK(kept[3].alerts.size() == 1);  // the fourth person
  auto alerts = first->alerts(AlertQuery{});
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].rule == "many-patients");
  CHECK(alerts[0].user_id == "eve");
  CHECK(alerts[0].audit_sequence == kept[3].sequence);
  CHECK(alerts[0].patient_nhs_number == kept[3].patient_nhs_number);
  CHECK(alerts[0].why == kept[3].alerts[0].why);

  // Views outside the window do not count.
  auto later = second->append(event("view", "eve", "9000000100", t.plus_minutes(8 + 120)), thresholds);
  CHECK(later.alerts.empty());
  std::string path = export_path("volume");
  second->export_audit(path);
  CHECK(verify_audit_log(path).intact);
}

TEST_CASE("a view stamped before one that already raised many-patients, but kept after it, does not raise it again") {
  // Each view's time is read before it waits for the chain: on a busy region
  // a later-stamped view can reach the chain first.
  auto store = open_store(fresh_settings());
  AlertThresholds thresholds = small_thresholds();  // more than 3 people in 60 minutes
  Timestamp t = at("2026-03-02T09:00:00+00:00");
  for (int i = 0; i < 3; ++i) store->append(event("view", "eve", std::to_string(9000000000 + i), t.plus_minutes(i)), thresholds);
  AuditEvent first = store->append(event("view", "eve", "9000000010", t.plus_minutes(10)), thresholds);
  REQUIRE(first.alerts.size() == 1);
  AuditEvent earlier = store->append(event("view", "eve", "9000000020", t.plus_minutes(5)), thresholds);
  CHECK(earlier.alerts.empty());
  CHECK(store->alerts(AlertQuery{}).size() == 1);
}

// ---- Alerts ---------------------------------------------------------------------------------

TEST_CASE("alerts are found by user, organisation and time, and acknowledged once") {
  auto store = open_store(fresh_settings());
  auto override_event = [&](const std::string& user, const std::string& organisation, const char* when) {
    AuditEvent e = event("override", user, kJoe, at(when));
    e.organisation = organisation;
    e.alerts.push_back(Alert{"override", "emergency override: collapsed"});
    return store->append(e, AlertThresholds{});
  };
  override_event("alice", "RVY", "2026-03-02T09:00:00+00:00");
  AuditEvent bob = override_event("bob", "RAE", "2026-03-02T10:00:00+01:00");
  override_event("alice", "RVY", "2026-03-03T09:00:00+00:00");

  auto all = store->alerts(AlertQuery{});
  REQUIRE(all.size() == 3);
  CHECK(all[0].time.utc_seconds >= all[1].time.utc_seconds);  // newest first
  AlertQuery by_user;
  by_user.user_id = "alice";
  CHECK(store->alerts(by_user).size() == 2);
  AlertQuery by_organisation;
  by_organisation.organisation = "RAE";
  auto rae = store->alerts(by_organisation);
  REQUIRE(rae.size() == 1);
  CHECK(rae[0].user_id == "bob");
  CHECK(rae[0].user_name == "Dr bob");
  CHECK(rae[0].organisation == "RAE");
  CHECK(rae[0].patient_nhs_number == kJoe);
  CHECK(rae[0].rule == "override");
  CHECK(rae[0].why == "emergency override: collapsed");
  CHECK(rae[0].audit_sequence == bob.sequence);
  check_same_time(rae[0].time, bob.time);
  AlertQuery on_the_second;
  on_the_second.from = at("2026-03-02T00:00:00+00:00");
  on_the_second.to = at("2026-03-02T09:00:00+00:00");  // inclusive: bob's is the same instant
  CHECK(store->alerts(on_the_second).size() == 2);
  AlertQuery limited;
  limited.limit = 1;
  CHECK(store->alerts(limited).size() == 1);

  Timestamp now = at("2026-03-04T08:15:00+00:00");
  CHECK(store->acknowledge_alert(rae[0].id, "privacy-officer", "spoke to Dr Bob: genuine emergency", now));
  CHECK_FALSE(store->acknowledge_alert(rae[0].id, "privacy-officer", "again", now));
  CHECK_FALSE(store->acknowledge_alert(rae[0].id + 1000, "privacy-officer", "no such alert", now));
  AlertQuery open;
  open.unacknowledged_only = true;
  CHECK(store->alerts(open).size() == 2);
  auto acknowledged = store->alerts(by_organisation);
  REQUIRE(acknowledged.size() == 1);
  REQUIRE(acknowledged[0].acknowledged_at);
  check_same_time(*acknowledged[0].acknowledged_at, now);
  CHECK(acknowledged[0].acknowledged_by == "privacy-officer");
  CHECK(acknowledged[0].acknowledgement_note == "spoke to Dr Bob: genuine emergency");
}

// ---- HL7 v2 ADT -----------------------------------------------------------------------------

TEST_CASE("an ADT message is kept once per sending facility and control id, and found by NHS number") {
  StoreSettings settings = fresh_settings();
  auto first = open_store(settings), second = open_store(settings);
  StoredAdt a;
  a.nhs_number = kJoe;
  a.sending_facility = "RVY";
  a.control_id = "MSG0001";
  a.message = "MSH|^~\\&|PAS|RVY|ILINKS|ILINKS|20260302090000||ADT^A01|MSG0001|P|2.4\rPID|1||9434765919^^^NHS||SMITH^JOE";
  a.received = at("2026-03-02T09:00:01+00:00");
  CHECK(first->add_adt(a));
  CHECK_FALSE(second->add_adt(a));  // a resend, through another instance
  StoredAdt other_facility = a;
  other_facility.sending_facility = "RAE";
  other_facility.received = at("2026-03-02T09:05:00+00:00");
  CHECK(second->add_adt(other_facility));
  StoredAdt no_number = a;
  no_number.nhs_number = "";
  no_number.control_id = "MSG0002";
  CHECK(first->add_adt(no_number));

  auto joe = first->adt_for(kJoe);
  REQUIRE(joe.size() == 2);
  CHECK(joe[0].sending_facility == "RVY");
  CHECK(joe[0].control_id == "MSG0001");
  CHECK(joe[0].message == a.message);
  check_same_time(joe[0].received, a.received);
  CHECK(joe[1].sending_facility == "RAE");
  CHECK(joe[0].id != joe[1].id);
  CHECK(first->adt_for(kAnn).empty());
}

// ---- Override explanations -------------------------------------------------------------------

TEST_CASE("an override explanation is owed until delivered, counting the attempts that failed") {
  auto store = open_store(fresh_settings());
  PendingExplanation x;
  x.nhs_number = kJoe;
  x.practice_ods = "N84011";
  x.resource_json = R"({"resourceType":"Communication","status":"completed"})";
  x.created = at("2026-03-02T09:00:00+00:00");
  int64_t id = store->add_explanation(x);
  PendingExplanation y = x;
  y.practice_ods = "N84012";
  int64_t other = store->add_explanation(y);
  auto owed = store->undelivered_explanations();
  REQUIRE(owed.size() == 2);
  CHECK(owed[0].id == id);
  CHECK(owed[0].resource_json == x.resource_json);
  CHECK(owed[0].attempts == 0);
  CHECK_FALSE(owed[0].last_attempt);

  store->explanation_attempted(id, "the practice's endpoint answered 503", at("2026-03-02T09:05:00+00:00"));
  store->explanation_attempted(id, "the practice's endpoint did not answer within 10 s", at("2026-03-02T09:35:00+00:00"));
  owed = store->undelivered_explanations();
  REQUIRE(owed.size() == 2);
  CHECK(owed[0].attempts == 2);
  CHECK(owed[0].last_error == "the practice's endpoint did not answer within 10 s");
  REQUIRE(owed[0].last_attempt);
  check_same_time(*owed[0].last_attempt, at("2026-03-02T09:35:00+00:00"));

  store->explanation_delivered(id, at("2026-03-02T10:05:00+00:00"));
  owed = store->undelivered_explanations();
  REQUIRE(owed.size() == 1);
  CHECK(owed[0].id == other);
}

TEST_CASE("every append acknowledged before its writer was killed is kept, and the chain stays intact") {
  StoreSettings settings = fresh_settings();
  open_store(settings);  // the tables, before the writer starts
  int acknowledged[2];
  REQUIRE(pipe(acknowledged) == 0);
  pid_t writer = fork();
  REQUIRE(writer >= 0);
  if (writer == 0) {  // another process of the service, appending until killed
    close(acknowledged[0]);
    try {
      auto store = open_store(settings);
      Timestamp t = at("2026-03-02T09:00:00+00:00");
      for (int i = 0;; ++i) {
        uint64_t sequence = store->append(event("view", "alice", kJoe, t.plus_minutes(i % 600)), AlertThresholds{}).sequence;
        if (write(acknowledged[1], &sequence, sizeof sequence) != sizeof sequence) _exit(3);
      }
    } catch (...) {
      _exit(2);
    }
  }
  close(acknowledged[1]);
  uint64_t last = 0;
  for (int i = 0; i < 40; ++i) REQUIRE(read(acknowledged[0], &last, sizeof last) == sizeof last);
  kill(writer, SIGKILL);
  int status = 0;
  waitpid(writer, &status, 0);
  close(acknowledged[0]);
  CHECK(WIFSIGNALED(status));

  auto store = open_store(settings);
  uint64_t head = store->audit_head_sequence();
  CHECK(head >= last);      // every acknowledged event is there
  CHECK(head <= last + 1);  // and at most the one being acknowledged when the writer died
  std::string path = export_path("killed");
  store->export_audit(path);
  AuditVerification v = verify_audit_log(path);
  CHECK_MESSAGE(v.intact, v.problem);
  CHECK(v.events == head);
  CHECK(store->append(event("view", "bob", kJoe, at("2026-03-03T09:00:00+00:00")), AlertThresholds{}).sequence == head + 1);
}

// ---- As the service uses it ----------------------------------------------------------------

TEST_CASE("a consent recorded in a session on one instance lets a colleague in on another, and both views are in one chain") {
  StoreSettings settings = fresh_settings();
  auto first = open_store(settings), second = open_store(settings);
  auto joe = [] {
    RecordBuilder builder;
    builder.add(R"({"resourceType":"Patient","id":"joe","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number",)"
                R"("value":"9434765919"}],"name":[{"family":"Bloggs","given":["Joe"]}]})",
                {"joe.json", "RVY"});
    return builder.build();
  };
  const Policy& policy = Policy::builtin();
  Session at_first(policy, first), at_second(policy, second);
  at_first.set_audit_trail(std::make_shared<AuditTrail>(policy.alerts(), first));
  at_second.set_audit_trail(std::make_shared<AuditTrail>(policy.alerts(), second));
  at_first.load(joe());
  at_second.load(joe());
  at_first.set_viewer(viewer("alice", "RVY"), true);
  at_second.set_viewer(viewer("carol", "RVY"), true);
  at_first.set_host_patient(kJoe);
  at_second.set_host_patient(kJoe);

  auto before = at_second.view();
  REQUIRE(before);
  CHECK(before->basis() == Basis::consent_required);  // no consent yet: a consent request
  at_first.record_consent("verbal", "patient", Consent::Scope::organisation);
  auto seen = at_second.view();
  REQUIRE(seen);
  CHECK(seen->basis() == Basis::consent);

  auto events = first->audit_events(1, 10);
  REQUIRE(events.size() == 3);  // the consent request, the consent, the view
  CHECK(events[1].action == "consent");
  CHECK(events[1].user_id == "alice");
  CHECK(events[2].action == "view");
  CHECK(events[2].user_id == "carol");
  std::string path = export_path("session");
  second->export_audit(path);
  CHECK(verify_audit_log(path).intact);
}

// ---- When the store cannot be used -------------------------------------------------------------

TEST_CASE("an append that cannot have the chain within the busy timeout fails in words, and the chain goes on after") {
  StoreSettings settings = fresh_settings();
  settings.busy_timeout_ms = 300;
  auto store = open_store(settings);
  Timestamp t = at("2026-03-02T09:00:00+00:00");
  store->append(event("view", "alice", kJoe, t), AlertThresholds{});
  {
    HeldByAnotherWriter other(settings);
    try {
      store->append(event("view", "alice", kJoe, t.plus_minutes(1)), AlertThresholds{});
      FAIL("appended while another writer held the chain");
    } catch (const StoreError& e) {
      std::string words = e.what();
      CAPTURE(words);
      CHECK(words.find("the store could not record the audit event") == 0);
      CHECK(words.find("after 300 ms") != std::string::npos);
      CHECK(words.find(kJoe) == std::string::npos);
    }
  }
  CHECK(store->append(event("view", "alice", kJoe, t.plus_minutes(2)), AlertThresholds{}).sequence == 2);
  std::string path = export_path("busy");
  store->export_audit(path);
  CHECK(verify_audit_log(path).intact);
}

TEST_CASE("a store that cannot be reached throws StoreError saying what failed") {
  StoreSettings unreachable;
  if (on_postgresql()) {
    unreachable.kind = StoreSettings::Kind::postgresql;
    unreachable.location = test_pg() + " port=1";
  } else {
    unreachable.location = std::string(ILINKS_TEST_OUTPUT) + "/store/no-such-folder/store.db";
  }
  try {
    open_store(unreachable);
    FAIL("opened a store that cannot be reached");
  } catch (const StoreError& e) {
    std::string words = e.what();
    CAPTURE(words);
    CHECK(words.find("the store could not open") == 0);
    CHECK(words.find(on_postgresql() ? "PostgreSQL" : "no-such-folder") != std::string::npos);
    CHECK(e.kind() == ErrorKind::audit);  // an AuditError: nothing is shown
  }
}

TEST_CASE("a store whose tables are broken throws StoreError naming what failed, never the person or the values asked for") {
  StoreSettings settings = fresh_settings();
  auto store = open_store(settings);
  store->add_consent(kJoe, consent("alice", Consent::Scope::user, "", "2026-03-02T09:00:00+00:00"), RecordedBy{"alice", "", "RVY"});
  raw_sql(settings, {"DROP TABLE consents", "DROP TABLE audit_events"});
  auto check_words = [&](const std::string& words, const char* what) {
    CAPTURE(words);
    CHECK(words.find(std::string("the store could not ") + what) == 0);
    CHECK(words.find(kJoe) == std::string::npos);
    CHECK(words.find("alice") == std::string::npos);
    CHECK(words.find("Dr alice") == std::string::npos);
  };
  try {
    store->consent(kJoe, viewer("alice", "RVY"));
    FAIL("read a table that is not there");
  } catch (const StoreError& e) {
    check_words(e.what(), "read the consent");
  }
  try {
    store->append(event("view", "alice", kJoe, at("2026-03-02T09:00:00+00:00")), AlertThresholds{});
    FAIL("appended to a chain that is not there");
  } catch (const StoreError& e) {
    check_words(e.what(), "record the audit event");
  }
  CHECK_NOTHROW(store->check());
  CHECK(store->kind() == (on_postgresql() ? "postgresql" : "sqlite"));
}

TEST_CASE("a database made by a newer service is refused, not changed") {
  StoreSettings settings = fresh_settings();
  open_store(settings);
  raw_sql(settings, {"UPDATE schema_version SET version = 99"});
  CHECK_THROWS_WITH_AS(open_store(settings), doctest::Contains("newer than this service knows"), StoreError);
}

}  // TEST_SUITE("store")

// ---- Only beside a server this test may restart (ctest store-postgresql-restart) ---------------

TEST_CASE("after PostgreSQL restarts, the same store object goes on keeping the chain and reading" *
          doctest::test_suite("postgresql-restart") * doctest::skip()) {
  REQUIRE_MESSAGE(on_postgresql(), "this test restarts a PostgreSQL server: run it with ILINKS_TEST_STORE=postgresql");
  const char* restart = std::getenv("ILINKS_TEST_PG_RESTART");
  REQUIRE_MESSAGE(restart, "ILINKS_TEST_PG_RESTART is not set: run the test through tests/service/with_postgres.sh");
  StoreSettings settings = fresh_settings();
  settings.connections = 3;
  auto store = open_store(settings);
  Timestamp t = at("2026-03-02T09:00:00+00:00");
  // Every connection of the pool open before the restart: all of them die with it.
  std::vector<std::thread> writers;
  for (int i = 0; i < 3; ++i)
    writers.emplace_back([&, i] {
      for (int j = 0; j < 5; ++j) store->append(event("view", "user-" + std::to_string(i), kJoe, t.plus_minutes(j)), AlertThresholds{});
    });
  for (auto& w : writers) w.join();
  store->put_consent(kJoe, viewer("alice", "RVY"), consent("alice", Consent::Scope::user, "", "2026-03-02T09:00:00+00:00"));
  REQUIRE(store->audit_head_sequence() == 15);

  REQUIRE(std::system(restart) == 0);

  for (int i = 0; i < 3; ++i) CHECK(store->consent(kJoe, viewer("alice", "RVY")));  // each read may meet a dead connection
  for (int i = 0; i < 5; ++i) store->append(event("consent", "alice", kJoe, t.plus_minutes(10 + i)), AlertThresholds{});
  CHECK_NOTHROW(store->check());
  CHECK(store->audit_head_sequence() == 20);

  REQUIRE(std::system(restart) == 0);
  AuditEvent kept = store->append(event("view", "alice", kJoe, t.plus_minutes(30)), AlertThresholds{});  // a write first
  CHECK(kept.sequence == 21);
  std::string path = export_path("restart");
  store->export_audit(path);
  AuditVerification v = verify_audit_log(path);
  CHECK_MESSAGE(v.intact, v.problem);
  CHECK(v.events == 21);
}

TEST_CASE("after PostgreSQL stops as if killed, every append it acknowledged is there and the chain goes on" *
          doctest::test_suite("postgresql-restart") * doctest::skip()) {
  REQUIRE_MESSAGE(on_postgresql(), "this test crashes a PostgreSQL server: run it with ILINKS_TEST_STORE=postgresql");
  const char* crash = std::getenv("ILINKS_TEST_PG_CRASH");
  REQUIRE_MESSAGE(crash, "ILINKS_TEST_PG_CRASH is not set: run the test through tests/service/with_postgres.sh");
  StoreSettings settings = fresh_settings();
  auto store = open_store(settings);
  Timestamp t = at("2026-03-02T09:00:00+00:00");
  std::vector<std::string> hashes;
  for (int i = 0; i < 20; ++i) hashes.push_back(store->append(event("view", "alice", kJoe, t.plus_minutes(i)), AlertThresholds{}).hash);

  REQUIRE(std::system(crash) == 0);

  auto events = store->audit_events(1, 100);
  REQUIRE(events.size() == 20);
  for (size_t i = 0; i < events.size(); ++i) CHECK(events[i].hash == hashes[i]);
  CHECK(store->append(event("view", "alice", kJoe, t.plus_minutes(30)), AlertThresholds{}).sequence == 21);
  std::string path = export_path("crash");
  store->export_audit(path);
  CHECK(verify_audit_log(path).intact);
}
