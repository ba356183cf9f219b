// The sharing service's benchmark tools, run by scripts/bench (never by
// ctest: timings on shared machines are measured, not asserted).
//
//   ilinks-bench-service load --url http://127.0.0.1:8443 --key issuer-key.pem --iss ISSUER --aud AUDIENCE
//        --patient NHS_NUMBER [--ods RVY --profile 6] [--users 4] [--seconds 10] [--consent] [--keep-alive] [--label TEXT]
//     N concurrent users asking for the person's View in a loop for --seconds,
//     each request with a freshly signed context token (ES256, a single-use
//     jti), each on a new connection (--keep-alive: one kept-alive connection
//     per user; the service does not set TCP_NODELAY, so each answer on a kept
//     connection then waits for the client's delayed ACK, about 40 ms on Linux).
//     --consent first records the person's consent for the users'
//     organisation. Prints one line of JSON: views per second, p50/p99
//     latency, what failed.
//
//   ilinks-bench-service fill --store sqlite:FILE|postgresql:CONNINFO --people 1500000 --events 10000000
//     Fills a store to a region's size in bulk, straight into its tables (the
//     service's own indexes dropped while loading and made again after, from
//     their definitions in the database): each person's consents and opt-outs,
//     some overrides, wider access and ADT admissions, and audit events that continue the store's chain, hashed as the service
//     hashes them (AuditEvent::compute_hash), so ilinks-audit verify checks them
//     all. Deterministic: the same arguments write the same rows.
//
//   ilinks-bench-service lookups --store ... [--people 1500000] [--samples 2000]
//     Times the store calls a view makes (consent, opt-outs, override, wider
//     access, the context token, the audit append with its proactive volume
//     rule), and the privacy officer's and the person's queries, through the
//     Store itself (one JSON line: p50/p99 per call, in ms).
//
//   ilinks-bench-service explain --store ...
//     The query plan of each of the store's statements (copied from
//     service/store/src/sql_store.cpp), with the values of the filled chain's
//     latest event's user and person (PostgreSQL: EXPLAIN ANALYZE, run).
#include <sqlite3.h>
#include <libpq-fe.h>

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "ilinks/audit.h"
#include "ilinks/context_token.h"
#include "ilinks/policy.h"
#include "ilinks/store.h"
#include "ilinks/view_wire.h"

namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "ilinks-bench-service: %s\n", why.c_str());
  std::exit(1);
}

struct Args {
  std::map<std::string, std::string> values;
  bool has(const std::string& k) const { return values.count(k) > 0; }
  std::string get(const std::string& k, const std::string& fallback = "") const {
    auto it = values.find(k);
    return it == values.end() ? fallback : it->second;
  }
  long number(const std::string& k, long fallback) const { return has(k) ? std::stol(get(k)) : fallback; }
};

Args parse(int argc, char** argv, int from) {
  Args a;
  for (int i = from; i < argc; ++i) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0) die("unexpected argument " + k);
    if (k == "--consent" || k == "--keep-alive") a.values[k] = "yes";
    else if (i + 1 < argc) a.values[k] = argv[++i];
    else die(k + " needs a value");
  }
  return a;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die(path + " cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size()))) ;
  return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
}

double round2(double x) { return std::round(x * 100) / 100; }

// ---------------------------------------------------------------------------
// load: views through the service's API
// ---------------------------------------------------------------------------

struct Target {
  std::string host;
  int port = 0;
};

Target target_of(const std::string& url) {
  const std::string prefix = "http://";
  if (url.rfind(prefix, 0) != 0) die("--url must be http://host:port");
  std::string rest = url.substr(prefix.size());
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  size_t colon = rest.rfind(':');
  if (colon == std::string::npos) die("--url must name a port");
  return {rest.substr(0, colon), std::stoi(rest.substr(colon + 1))};
}

int load(const Args& a) {
  const Target t = target_of(a.get("--url"));
  const std::string key = slurp(a.get("--key"));
  const std::string patient = a.get("--patient");
  const int users = static_cast<int>(a.number("--users", 1));
  const double seconds = std::stod(a.get("--seconds", "10"));
  if (patient.empty() || users < 1) die("load needs --patient and --users of 1 or more");

  auto token_for = [&](int user) {
    ilinks::ContextToken c;
    c.issuer = a.get("--iss");
    c.audience = a.get("--aud");
    c.jti = ilinks::random_token_id();
    c.issued_at = ilinks::Timestamp::now();
    c.expires = {c.issued_at.utc_seconds + 120, c.issued_at.offset_minutes};
    c.viewer.user_id = "bench-user-" + std::to_string(user);
    c.viewer.user_name = "Bench User " + std::to_string(user);
    c.viewer.profile = a.get("--profile", "6");
    c.viewer.organisation_ods = a.get("--ods", "RVY");
    c.viewer.organisation_name = c.viewer.organisation_ods;
    c.patient_nhs_number = patient;
    c.legitimate_relationship = true;
    return ilinks::sign_context_token(c, "ES256", key);
  };
  auto headers = [&](int user) { return httplib::Headers{{"Authorization", "Bearer " + token_for(user)}}; };
  // The View on the wire (ilinks/view_wire.h) as the service writes it: compact,
  // a flag present only when true. A substring test, not a parse: the client
  // shares the machine with the service it measures.
  auto complete = [](const std::string& body) {
    bool shows = body.find("\"basis\":\"consent\"") != std::string::npos || body.find("\"basis\":\"override\"") != std::string::npos;
    return shows && body.find("\"incomplete\":true") == std::string::npos;
  };

  // Setting up: the person's consent for the users' organisation, and one
  // view (the record fetched once, as a user opening it would).
  size_t items = 0, bytes = 0;
  {
    httplib::Client cli(t.host, t.port);
    cli.set_read_timeout(120);
    if (a.has("--consent")) {
      auto res = cli.Post("/v1/consent", headers(0), R"({"method":"verbal","scope":"organisation"})", "application/json");
      if (!res || res->status != 201) die("recording consent failed: " + (res ? std::to_string(res->status) + " " + res->body.substr(0, 300) : "no answer"));
    }
    auto res = cli.Get("/v1/view", headers(0));
    if (!res || res->status != 200 || !complete(res->body))
      die("the first view failed: " + (res ? std::to_string(res->status) + " " + res->body.substr(0, 300) : "no answer"));
    items = ilinks::ServiceView::read(res->body, "the service").view().items().size();  // read once, as a host would
    bytes = res->body.size();
  }

  std::vector<std::vector<double>> latencies(users);
  std::vector<std::map<std::string, int>> failures(users);
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  const auto stop = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (int u = 0; u < users; ++u) {
    threads.emplace_back([&, u] {
      httplib::Client cli(t.host, t.port);
      cli.set_keep_alive(a.has("--keep-alive"));
      cli.set_tcp_nodelay(true);
      cli.set_read_timeout(120);
      while (Clock::now() < stop) {
        auto h = headers(u + 1);  // signed before the clock starts: the host's cost, not the service's
        auto sent = Clock::now();
        auto res = cli.Get("/v1/view", h);
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
        if (!res) ++failures[u]["no answer (" + httplib::to_string(res.error()) + ")"];
        else if (res->status != 200) ++failures[u]["HTTP " + std::to_string(res->status)];
        else if (!complete(res->body)) ++failures[u]["incomplete or not shown"];
        else latencies[u].push_back(ms);
      }
    });
  }
  for (auto& th : threads) th.join();
  double wall = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  std::map<std::string, int> failed;
  for (int u = 0; u < users; ++u) {
    all.insert(all.end(), latencies[u].begin(), latencies[u].end());
    for (auto& [k, n] : failures[u]) failed[k] += n;
  }
  size_t ok = all.size();
  json out = {{"label", a.get("--label")},
              {"users", users},
              {"views", ok},
              {"failed", failed},
              {"seconds", round2(wall)},
              {"views_per_s", round2(static_cast<double>(ok) / wall)},
              {"p50_ms", round2(percentile(all, 0.50))},
              {"p99_ms", round2(percentile(all, 0.99))},
              {"items_shown", items},
              {"view_kb", bytes / 1024}};
  std::printf("%s\n", out.dump().c_str());
  return failed.empty() ? 0 : 3;
}

// ---------------------------------------------------------------------------
// A store's database, opened directly (fill, explain)
// ---------------------------------------------------------------------------

using Value = std::optional<std::string>;  // nullopt: SQL NULL

class Db {
 public:
  virtual ~Db() = default;
  virtual void exec(const std::string& sql) = 0;
  // Rows of text (NULL as "").
  virtual std::vector<std::vector<std::string>> query(const std::string& sql, const std::vector<std::string>& params = {}) = 0;
  // Bulk rows into `table`'s `columns`; end() flushes.
  virtual void begin_rows(const std::string& table, const std::vector<std::string>& columns) = 0;
  virtual void row(const std::vector<Value>& values) = 0;
  virtual void end_rows() = 0;
  // The service's secondary indexes on `tables`: (name, definition).
  virtual std::vector<std::pair<std::string, std::string>> indexes(const std::vector<std::string>& tables) = 0;
  virtual std::string explain_prefix(bool read_only) const = 0;
  virtual std::string kind() const = 0;
};

std::string in_list(const std::vector<std::string>& tables) {
  std::string s;
  for (const auto& t : tables) s += (s.empty() ? "'" : ", '") + t + "'";
  return s;
}

class SqliteDb final : public Db {
 public:
  explicit SqliteDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) die(path + ": " + sqlite3_errmsg(db_));
    sqlite3_busy_timeout(db_, 10000);
  }
  ~SqliteDb() override {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  void exec(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string why = err ? err : "?";
      sqlite3_free(err);
      die("sqlite: " + why + " in " + sql.substr(0, 200));
    }
  }
  std::vector<std::vector<std::string>> query(const std::string& sql, const std::vector<std::string>& params) override {
    sqlite3_stmt* st = nullptr;
    std::string s = sql;
    for (size_t i = 0; i + 1 < s.size(); ++i)
      if (s[i] == '$' && std::isdigit(static_cast<unsigned char>(s[i + 1]))) s[i] = '?';
    if (sqlite3_prepare_v2(db_, s.c_str(), -1, &st, nullptr) != SQLITE_OK) die(std::string("sqlite: ") + sqlite3_errmsg(db_) + " in " + s);
    for (size_t i = 0; i < params.size(); ++i) bind(st, static_cast<int>(i + 1), params[i]);
    std::vector<std::vector<std::string>> rows;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::vector<std::string> r;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const unsigned char* text = sqlite3_column_text(st, c);
        r.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
      }
      rows.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) die(std::string("sqlite: ") + sqlite3_errmsg(db_));
    sqlite3_finalize(st);
    return rows;
  }
  void begin_rows(const std::string& table, const std::vector<std::string>& columns) override {
    std::string cols, marks;
    for (size_t i = 0; i < columns.size(); ++i) {
      cols += (i ? ", " : "") + columns[i];
      marks += (i ? ", ?" : "?");
    }
    std::string sql = "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ")";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &insert_, nullptr) != SQLITE_OK) die(std::string("sqlite: ") + sqlite3_errmsg(db_));
    exec("BEGIN");
    in_batch_ = 0;
  }
  void row(const std::vector<Value>& values) override {
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i]) bind(insert_, static_cast<int>(i + 1), *values[i]);
      else sqlite3_bind_null(insert_, static_cast<int>(i + 1));
    }
    if (sqlite3_step(insert_) != SQLITE_DONE) die(std::string("sqlite insert: ") + sqlite3_errmsg(db_));
    sqlite3_reset(insert_);
    if (++in_batch_ == 200000) {  // large transactions, committed as they fill
      exec("COMMIT");
      exec("BEGIN");
      in_batch_ = 0;
    }
  }
  void end_rows() override {
    exec("COMMIT");
    sqlite3_finalize(insert_);
    insert_ = nullptr;
  }
  std::vector<std::pair<std::string, std::string>> indexes(const std::vector<std::string>& tables) override {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& r : query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (" +
                         in_list(tables) + ")", {}))
      out.emplace_back(r[0], r[1]);
    return out;
  }
  std::string explain_prefix(bool) const override { return "EXPLAIN QUERY PLAN "; }
  std::string kind() const override { return "sqlite"; }

 private:
  static void bind(sqlite3_stmt* st, int i, const std::string& v) {
    // Whole numbers as integers (the columns are BIGINT), the rest as text.
    bool integer = !v.empty() && v.size() < 19 && (std::isdigit(static_cast<unsigned char>(v[0])) || v[0] == '-') &&
                   std::all_of(v.begin() + 1, v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
                   !(v.size() > 1 && v[0] == '0');
    if (integer && v != "-") sqlite3_bind_int64(st, i, std::stoll(v));
    else sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  size_t in_batch_ = 0;
};

class PgDb final : public Db {
 public:
  explicit PgDb(const std::string& conninfo) {
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) die(std::string("postgresql: ") + PQerrorMessage(conn_));
  }
  ~PgDb() override { PQfinish(conn_); }
  void exec(const std::string& sql) override {
    PGresult* r = PQexec(conn_, sql.c_str());
    auto s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) die(std::string("postgresql: ") + PQerrorMessage(conn_) + " in " + sql.substr(0, 200));
    PQclear(r);
  }
  std::vector<std::vector<std::string>> query(const std::string& sql, const std::vector<std::string>& params) override {
    std::vector<const char*> p;
    for (auto& v : params) p.push_back(v.c_str());
    PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(p.size()), nullptr, p.data(), nullptr, nullptr, 0);
    auto s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) die(std::string("postgresql: ") + PQerrorMessage(conn_) + " in " + sql.substr(0, 300));
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < PQntuples(r); ++i) {
      std::vector<std::string> row;
      for (int c = 0; c < PQnfields(r); ++c) row.emplace_back(PQgetvalue(r, i, c));
      rows.push_back(std::move(row));
    }
    PQclear(r);
    return rows;
  }
  void begin_rows(const std::string& table, const std::vector<std::string>& columns) override {
    std::string cols;
    for (size_t i = 0; i < columns.size(); ++i) cols += (i ? ", " : "") + columns[i];
    exec("BEGIN");
    PGresult* r = PQexec(conn_, ("COPY " + table + " (" + cols + ") FROM STDIN").c_str());
    if (PQresultStatus(r) != PGRES_COPY_IN) die(std::string("postgresql COPY: ") + PQerrorMessage(conn_));
    PQclear(r);
    buffer_.clear();
  }
  void row(const std::vector<Value>& values) override {
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) buffer_ += '\t';
      if (!values[i]) {
        buffer_ += "\\N";
        continue;
      }
      for (char c : *values[i]) {
        switch (c) {
          case '\\': buffer_ += "\\\\"; break;
          case '\t': buffer_ += "\\t"; break;
          case '\n': buffer_ += "\\n"; break;
          case '\r': buffer_ += "\\r"; break;
          default: buffer_ += c;
        }
      }
    }
    buffer_ += '\n';
    if (buffer_.size() > (1 << 20)) flush();
  }
  void end_rows() override {
    flush();
    if (PQputCopyEnd(conn_, nullptr) != 1) die(std::string("postgresql COPY end: ") + PQerrorMessage(conn_));
    PGresult* r = PQgetResult(conn_);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) die(std::string("postgresql COPY: ") + PQerrorMessage(conn_));
    PQclear(r);
    while ((r = PQgetResult(conn_))) PQclear(r);
    exec("COMMIT");
  }
  std::vector<std::pair<std::string, std::string>> indexes(const std::vector<std::string>& tables) override {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& r : query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (" +
                         in_list(tables) + ") AND indexname NOT IN (SELECT conname FROM pg_constraint)", {}))
      out.emplace_back(r[0], r[1]);
    return out;
  }
  std::string explain_prefix(bool read_only) const override { return read_only ? "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " : "EXPLAIN (COSTS OFF) "; }
  std::string kind() const override { return "postgresql"; }

 private:
  void flush() {
    if (!buffer_.empty() && PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size())) != 1)
      die(std::string("postgresql COPY data: ") + PQerrorMessage(conn_));
    buffer_.clear();
  }
  PGconn* conn_ = nullptr;
  std::string buffer_;
};

// "sqlite:FILE" or "postgresql:CONNINFO"
std::unique_ptr<Db> open_db(const std::string& spec) {
  if (spec.rfind("sqlite:", 0) == 0) return std::make_unique<SqliteDb>(spec.substr(7));
  if (spec.rfind("postgresql:", 0) == 0) return std::make_unique<PgDb>(spec.substr(11));
  die("--store must be sqlite:FILE or postgresql:CONNINFO");
}

ilinks::StoreSettings store_settings(const std::string& spec) {
  ilinks::StoreSettings s;
  if (spec.rfind("sqlite:", 0) == 0) {
    s.kind = ilinks::StoreSettings::Kind::sqlite;
    s.location = spec.substr(7);
  } else if (spec.rfind("postgresql:", 0) == 0) {
    s.kind = ilinks::StoreSettings::Kind::postgresql;
    s.location = spec.substr(11);
  } else {
    die("--store must be sqlite:FILE or postgresql:CONNINFO");
  }
  s.busy_timeout_ms = 20000;
  return s;
}

// ---------------------------------------------------------------------------
// The region: people, organisations, users (deterministic)
// ---------------------------------------------------------------------------

// The i-th person's NHS number: 10 digits, a valid check digit, none repeated.
std::string person(int64_t i) {
  for (int64_t k = 0; k < 3; ++k) {
    std::string d = std::to_string(400000000 + 3 * i + k);
    int sum = 0;
    for (int j = 0; j < 9; ++j) sum += (d[j] - '0') * (10 - j);
    int check = 11 - sum % 11;
    if (check == 11) check = 0;
    if (check != 10) return d + char('0' + check);
  }
  die("no NHS number");  // never: of three in a row, at most one has check digit 10
}

const std::vector<std::string>& organisations() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> o = {"REM", "RBS", "RBQ", "REP", "RQ6", "RVY", "REN", "RET", "RBN", "RY1", "RY2", "RW4", "LCC", "SFT"};
    for (int i = 0; i < 286; ++i) {
      char code[8];
      std::snprintf(code, sizeof code, "ZZ%04d", 1000 + i);
      o.push_back(code);
    }
    return o;
  }();
  return all;
}
const int kUsers = 20000;
std::string user_id(int u) { return "u" + std::to_string(u); }
const std::string& user_org(int u) { return organisations()[static_cast<size_t>(u) % organisations().size()]; }
const char* const kProfiles[] = {"1a", "1b", "1c", "2a", "2b", "3a", "3b", "4", "5", "6", "7"};

// ---------------------------------------------------------------------------
// fill
// ---------------------------------------------------------------------------

std::string num(int64_t v) { return std::to_string(v); }

int fill(const Args& a) {
  const std::string spec = a.get("--store");
  const int64_t people = a.number("--people", 1500000), events = a.number("--events", 10000000);
  { auto store = ilinks::open_store(store_settings(spec)); }  // its tables, made as the service makes them
  auto db = open_db(spec);
  const auto started = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
  if (db->kind() == "sqlite") {
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("PRAGMA synchronous = OFF");  // the bulk load only; the service opens it with FULL
    db->exec("PRAGMA cache_size = -1000000");
  }
  const std::vector<std::string> tables = {"consents", "opt_outs", "overrides", "case_access", "adt_messages", "audit_events", "alerts"};
  auto kept_indexes = db->indexes(tables);
  for (auto& [name, definition] : kept_indexes) db->exec("DROP INDEX " + name);
  std::fprintf(stderr, "[fill] %s: %zu indexes dropped for the load\n", db->kind().c_str(), kept_indexes.size());

  std::mt19937_64 rng(20261129);
  auto uniform = [&](int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); };
  auto chance = [&](double p) { return static_cast<double>(rng() % 1000000) < p * 1e6; };
  const int64_t now = ilinks::Timestamp::now().utc_seconds;
  const int64_t two_years = 730LL * 86400;

  // Consents: each person one in force (60% for an organisation, 25% for the
  // user who recorded it, 10% for a team, 5% for every participant), 10% of
  // them withdrawn; 15% of people also an older one, withdrawn.
  int64_t consent_rows = 0, opt_out_rows = 0;
  db->begin_rows("consents", {"nhs_number", "scope", "scope_value", "method", "given_by", "consent_recorded_by", "recorded_at_utc",
                              "recorded_at_offset", "expires_utc", "expires_offset", "by_user_id", "by_user_name",
                              "by_organisation", "withdrawn_at_utc", "withdrawn_at_offset", "withdrawn_by"});
  for (int64_t i = 0; i < people; ++i) {
    std::string nhs = person(i);
    int copies = chance(0.15) ? 2 : 1;
    for (int c = 0; c < copies; ++c) {
      int u = static_cast<int>(uniform(kUsers));
      int64_t recorded = now - uniform(two_years) - (c ? two_years / 2 : 0);
      double r = static_cast<double>(uniform(100)) / 100;
      std::string scope = r < 0.60 ? "organisation" : r < 0.85 ? "user" : r < 0.95 ? "team" : "all-participants";
      std::string value = scope == "organisation" ? user_org(u) : scope == "team" ? "Team " + num(u % 500) : "";
      bool withdrawn = c == 1 || chance(0.10);
      bool expires = chance(0.3);
      db->row({nhs, scope, value, std::string(chance(0.7) ? "verbal" : "written"), std::string("patient"), user_id(u), num(recorded),
               std::string("0"), expires ? Value(num(recorded + 365 * 86400)) : std::nullopt, expires ? Value("0") : std::nullopt,
               user_id(u), "User " + num(u), user_org(u), withdrawn ? Value(num(recorded + 86400)) : std::nullopt,
               withdrawn ? Value("0") : std::nullopt, std::string(withdrawn ? user_id(u) : "")});
      ++consent_rows;
    }
  }
  db->end_rows();
  std::fprintf(stderr, "[fill] %lld consents for %lld people (%.0f s)\n", static_cast<long long>(consent_rows),
               static_cast<long long>(people), elapsed());

  // Opt-outs: 20% of people one, a quarter of those a second.
  static const char* const kSegments[] = {"S", "C", "D", "H"};
  static const char* const kSettings[] = {"mental_health", "social_care", "community", "acute_hospital"};
  db->begin_rows("opt_outs", {"nhs_number", "scope", "value", "by_user_id", "by_user_name", "by_organisation", "recorded_at_utc",
                              "recorded_at_offset", "withdrawn_at_utc", "withdrawn_at_offset", "withdrawn_by"});
  for (int64_t i = 0; i < people; ++i) {
    if (!chance(0.20)) continue;
    std::string nhs = person(i);
    int copies = chance(0.25) ? 2 : 1;
    for (int c = 0; c < copies; ++c) {
      int u = static_cast<int>(uniform(kUsers));
      int64_t kind = uniform(10);
      std::string scope = kind < 4 ? "organisation" : kind < 7 ? "segment" : kind < 9 ? "setting" : "security-label";
      std::string value = scope == "organisation" ? organisations()[static_cast<size_t>(uniform(static_cast<int64_t>(organisations().size())))]
                          : scope == "segment" ? kSegments[uniform(4)] : scope == "setting" ? kSettings[uniform(4)] : "R";
      db->row({nhs, scope, value, user_id(u), "User " + num(u), user_org(u), num(now - uniform(two_years)), std::string("0"),
               std::nullopt, std::nullopt, std::string("")});
      ++opt_out_rows;
    }
  }
  db->end_rows();
  std::fprintf(stderr, "[fill] %lld opt-outs (%.0f s)\n", static_cast<long long>(opt_out_rows), elapsed());

  // Overrides (1% of people) and wider access (0.5%), each for one user; an
  // ADT admission for 10% of people, from one of the trusts.
  int64_t override_rows = 0, case_access_rows = 0, adt_rows = 0;
  db->begin_rows("overrides", {"nhs_number", "user_id", "profile", "organisation", "reason_code", "reason", "text", "declared_by",
                               "started_utc", "started_offset", "ends_utc", "ends_offset"});
  for (int64_t i = 0; i < people; ++i) {
    if (!chance(0.01)) continue;
    int u = static_cast<int>(uniform(kUsers));
    int64_t from = now - uniform(two_years);
    db->row({person(i), user_id(u), std::string(kProfiles[u % 11]), user_org(u), std::string("emergency"),
             std::string("Emergency care: the person cannot give consent in time"), std::string("Unconscious on arrival in A&E"),
             user_id(u), num(from), std::string("0"), num(from + 240 * 60), std::string("0")});
    ++override_rows;
  }
  db->end_rows();
  db->begin_rows("case_access", {"nhs_number", "user_id", "profile", "organisation", "reason_code", "reason", "text", "grant_user_id",
                                 "grant_profile", "grant_organisation", "grant_nhs_number", "started_utc", "started_offset",
                                 "ends_utc", "ends_offset"});
  for (int64_t i = 0; i < people; ++i) {
    if (!chance(0.005)) continue;
    int u = static_cast<int>(uniform(kUsers));
    int64_t from = now - uniform(two_years);
    db->row({person(i), user_id(u), std::string(kProfiles[u % 11]), user_org(u), std::string("case-review"),
             std::string("Multidisciplinary case review of the person"), std::string("Weekly neighbourhood team review"), user_id(u),
             std::string(kProfiles[u % 11]), user_org(u), person(i), num(from), std::string("0"), num(from + 720 * 60),
             std::string("0")});
    ++case_access_rows;
  }
  db->end_rows();
  static const char* const kTrusts[] = {"REM", "RVY", "RQ6", "RET", "RBN"};
  db->begin_rows("adt_messages", {"nhs_number", "sending_facility", "control_id", "message", "received_utc", "received_offset"});
  for (int64_t i = 0; i < people; ++i) {
    if (!chance(0.10)) continue;
    std::string nhs = person(i), trust = kTrusts[uniform(5)], control = "F" + num(i);
    db->row({nhs, trust, control,
             "MSH|^~\\&|PAS|" + trust + "|ILINKS|NORTHMERSEY|202611201200||ADT^A01^ADT_A01|" + control + "|P|2.4\rEVN|A01|202611201200\rPID|1||" +
                 nhs + "^^^NHS^NH||BENCH^PERSON||19500101|F\rPV1|1|I|Ward 1^^Bed 1\r",
             num(now - uniform(two_years)), std::string("0")});
    ++adt_rows;
  }
  db->end_rows();
  std::fprintf(stderr, "[fill] %lld overrides, %lld wider access, %lld ADT messages (%.0f s)\n", static_cast<long long>(override_rows),
               static_cast<long long>(case_access_rows), static_cast<long long>(adt_rows), elapsed());

  // Audit events: the chain continued from the store's head, over the last
  // two years in order; 92% views, 5% consents, 3% refusals; 0.5% raise an
  // out-of-hours alert (kept in alerts too, as the service keeps them).
  auto head = db->query("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1");
  uint64_t sequence = head.empty() ? 0 : std::stoull(head[0][0]);
  std::string previous = head.empty() ? std::string(64, '0') : head[0][1];
  const ilinks::Policy& policy = ilinks::Policy::builtin();
  struct PendingAlert {
    uint64_t sequence;
    int64_t time;
    std::string user, name, organisation, patient;
  };
  std::vector<PendingAlert> alerts;
  db->begin_rows("audit_events", {"sequence", "time_utc", "time_offset", "user_id", "patient", "action", "hash", "previous_hash", "line"});
  const int64_t first_time = now - two_years;
  for (int64_t i = 0; i < events; ++i) {
    ilinks::AuditEvent e;
    e.sequence = ++sequence;
    e.time = {first_time + (two_years - 3600) * i / std::max<int64_t>(events, 1), 0};
    int u = static_cast<int>(uniform(kUsers));
    e.user_id = user_id(u);
    e.user_name = "User " + num(u);
    e.profile = kProfiles[u % 11];
    const ilinks::Profile* profile = policy.profile(e.profile);
    e.profile_name = profile ? profile->name : "";
    e.organisation = user_org(u);
    e.device = "EPR at " + e.organisation;
    e.patient_nhs_number = person(uniform(people));
    int64_t what = uniform(100);
    if (what < 92) {
      e.action = "view";
      e.shown = "S3 C2 D3 H3";
      e.basis = "consent";
      e.basis_detail = "verbal consent";
      e.outcome = "shown";
    } else if (what < 97) {
      e.action = "consent";
      e.basis = "consent";
      e.basis_detail = "verbal consent recorded";
      e.outcome = "recorded";
    } else {
      e.action = "view";
      e.basis = "none";
      e.outcome = "refused: no legitimate relationship";
    }
    if (chance(0.005)) {
      e.alerts.push_back({"out-of-hours", "more than 5 views out of working hours within 30 minutes"});
      alerts.push_back({e.sequence, e.time.utc_seconds, e.user_id, e.user_name, e.organisation, e.patient_nhs_number});
    }
    e.policy_version = policy.version();
    e.policy_sha256 = policy.sha256();
    e.previous_hash = previous;
    e.hash = e.compute_hash();
    previous = e.hash;
    db->row({num(static_cast<int64_t>(e.sequence)), num(e.time.utc_seconds), std::string("0"), e.user_id, e.patient_nhs_number,
             e.action, e.hash, e.previous_hash, e.to_json()});
    if ((i + 1) % 1000000 == 0)
      std::fprintf(stderr, "[fill] %lld audit events (%.0f s)\n", static_cast<long long>(i + 1), elapsed());
  }
  db->end_rows();
  db->begin_rows("alerts", {"audit_sequence", "time_utc", "time_offset", "rule", "why", "user_id", "user_name", "organisation", "patient"});
  for (const auto& al : alerts)
    db->row({num(static_cast<int64_t>(al.sequence)), num(al.time), std::string("0"), std::string("out-of-hours"),
             std::string("more than 5 views out of working hours within 30 minutes"), al.user, al.name, al.organisation, al.patient});
  db->end_rows();
  std::fprintf(stderr, "[fill] %lld audit events, %zu alerts (%.0f s)\n", static_cast<long long>(events), alerts.size(), elapsed());

  const auto indexing = Clock::now();
  for (auto& [name, definition] : kept_indexes) db->exec(definition);
  double index_seconds = std::chrono::duration<double>(Clock::now() - indexing).count();
  if (db->kind() == "postgresql") db->exec("ANALYZE");  // what autovacuum does after a load, done now
  std::fprintf(stderr, "[fill] %zu indexes made again (%.0f s)\n", kept_indexes.size(), index_seconds);
  json out = {{"store", db->kind()},           {"people", people},          {"consents", consent_rows},
              {"opt_outs", opt_out_rows},     {"overrides", override_rows}, {"wider_access", case_access_rows},
              {"adt_messages", adt_rows},     {"audit_events", events},     {"alerts", alerts.size()},
              {"head", sequence},             {"seconds", round2(elapsed())}, {"index_seconds", round2(index_seconds)}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

// ---------------------------------------------------------------------------
// lookups: the store's calls, timed through the Store
// ---------------------------------------------------------------------------

int lookups(const Args& a) {
  const std::string spec = a.get("--store");
  const int64_t people = a.number("--people", 1500000);
  const int samples = static_cast<int>(a.number("--samples", 2000));
  auto store = ilinks::open_store(store_settings(spec));
  std::mt19937_64 rng(42);
  auto pick = [&](int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); };
  const ilinks::Policy& policy = ilinks::Policy::builtin();
  auto viewer = [&](int u) {
    ilinks::Viewer v;
    v.user_id = user_id(u);
    v.user_name = "User " + num(u);
    v.profile = kProfiles[u % 11];
    v.organisation_ods = user_org(u);
    v.team = "Team " + num(u % 500);
    return v;
  };
  std::map<std::string, std::vector<double>> times;
  size_t found_consents = 0, found_opt_outs = 0;
  auto time = [&](const std::string& what, const std::function<void()>& call) {
    auto t0 = Clock::now();
    call();
    times[what].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  };
  for (int i = 0; i < samples; ++i) {
    std::string nhs = person(pick(people));
    int u = static_cast<int>(pick(kUsers));
    ilinks::Viewer v = viewer(u);
    time("consent", [&] { found_consents += store->consent(nhs, v) ? 1 : 0; });
    time("opt-outs", [&] { found_opt_outs += store->opt_outs(nhs).empty() ? 0 : 1; });
    time("override", [&] { store->override_for(nhs, v); });
    time("wider access", [&] { store->case_access(nhs, v); });
    time("token once", [&] {
      ilinks::Timestamp now = ilinks::Timestamp::now();
      store->use_token_once("https://bench.example", ilinks::random_token_id(), {now.utc_seconds + 120, 0});
    });
    // A view's audit event: the chain's head, the volume rule's query over the
    // user's recent views, the insert, committed.
    time("audit append (volume rule)", [&] {
      ilinks::AuditEvent e;
      e.time = ilinks::Timestamp::now();
      e.action = "view";
      e.user_id = v.user_id;
      e.user_name = v.user_name;
      e.profile = v.profile;
      e.organisation = v.organisation_ods;
      e.patient_nhs_number = nhs;
      e.basis = "consent";
      e.outcome = "shown";
      e.policy_version = policy.version();
      e.policy_sha256 = policy.sha256();
      store->append(e, policy.alerts());
    });
    if (i % 10 == 0) {  // the privacy officer's and the person's questions, less often asked
      time("alerts for a user", [&] {
        ilinks::AlertQuery q;
        q.user_id = v.user_id;
        store->alerts(q);
      });
      time("alerts for an organisation, unacknowledged, 30 days", [&] {
        ilinks::AlertQuery q;
        q.organisation = v.organisation_ods;
        q.unacknowledged_only = true;
        q.from = ilinks::Timestamp{ilinks::Timestamp::now().utc_seconds - 30 * 86400, 0};
        store->alerts(q);
      });
      time("a person's audit events (access log)", [&] { store->audit_events_about(nhs, 5000); });
    }
  }
  json out = {{"store", store->kind()}, {"samples", samples}, {"head", store->audit_head_sequence()},
              {"consents_found", found_consents}, {"opt_outs_found", found_opt_outs}, {"calls", json::object()}};
  for (auto& [what, v] : times)
    out["calls"][what] = {{"n", v.size()}, {"p50_ms", round2(percentile(v, 0.5))}, {"p99_ms", round2(percentile(v, 0.99))}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

// ---------------------------------------------------------------------------
// explain: each statement's plan
// ---------------------------------------------------------------------------

int explain(const Args& a) {
  auto db = open_db(a.get("--store"));
  // The latest event's user and person: someone with recent activity.
  auto latest = db->query("SELECT user_id, patient FROM audit_events ORDER BY sequence DESC LIMIT 1");
  if (latest.empty() || latest[0][0].size() < 2 || latest[0][0][0] != 'u') die("explain needs a filled store");
  const int u = std::stoi(latest[0][0].substr(1));
  const std::string nhs = latest[0][1];
  const std::string now = num(ilinks::Timestamp::now().utc_seconds);
  const std::string hour_ago = num(ilinks::Timestamp::now().utc_seconds - 3600);
  const std::string month_ago = num(ilinks::Timestamp::now().utc_seconds - 30 * 86400);
  struct Statement {
    const char* what;
    std::string sql;
    std::vector<std::string> params;
    bool read_only = true;
  };
  // Copied from service/store/src/sql_store.cpp (column lists shortened to *):
  // the statements a view, a consent, the audit chain and the alerts run.
  const std::string consent_lets_in =
      "nhs_number = $1 AND withdrawn_at_utc IS NULL AND ((scope = 'user' AND by_user_id <> '' AND by_user_id = $2)"
      " OR (scope = 'organisation' AND scope_value <> '' AND scope_value = $3)"
      " OR (scope = 'team' AND scope_value <> '' AND scope_value = $4) OR scope = 'all-participants')";
  const std::vector<Statement> statements = {
      {"consent that lets a viewer in", "SELECT * FROM consents WHERE " + consent_lets_in + " ORDER BY recorded_at_utc DESC, id DESC LIMIT 1",
       {nhs, user_id(u), user_org(u), "Team 321"}},
      {"a person's consents (API)", "SELECT * FROM consents WHERE nhs_number = $1 ORDER BY recorded_at_utc, id", {nhs}},
      {"a person's opt-outs in force", "SELECT * FROM opt_outs WHERE nhs_number = $1 AND withdrawn_at_utc IS NULL ORDER BY id", {nhs}},
      {"override for a viewer",
       "SELECT * FROM overrides WHERE nhs_number = $1 AND user_id = $2 AND profile = $3 AND organisation = $4 ORDER BY id DESC LIMIT 1",
       {nhs, user_id(u), "6", user_org(u)}},
      {"wider access for a viewer",
       "SELECT * FROM case_access WHERE nhs_number = $1 AND user_id = $2 AND profile = $3 AND organisation = $4 ORDER BY id DESC LIMIT 1",
       {nhs, user_id(u), "6", user_org(u)}},
      {"context token: expired ids removed", "DELETE FROM used_tokens WHERE expires_utc < $1", {hour_ago}, false},
      {"audit chain head", "SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1", {}},
      {"volume rule: the user's recent views",
       "SELECT sequence, line FROM audit_events WHERE user_id = $1 AND time_utc > $2 AND time_utc <= $3 AND action = 'view'"
       " ORDER BY time_utc, sequence",
       {user_id(u), hour_ago, now}},
      {"a person's audit events", "SELECT sequence, line FROM audit_events WHERE patient = $1 ORDER BY sequence LIMIT $2", {nhs, "5000"}},
      {"audit export page", "SELECT line FROM audit_events WHERE sequence >= $1 AND sequence <= $2 ORDER BY sequence LIMIT $3",
       {"5000000", "10000000", "1000"}},
      {"alerts (privacy officer, all)", "SELECT * FROM alerts WHERE 1 = 1 ORDER BY time_utc DESC, id DESC LIMIT $1", {"500"}},
      {"alerts for a user", "SELECT * FROM alerts WHERE 1 = 1 AND user_id = $1 ORDER BY time_utc DESC, id DESC LIMIT $2", {user_id(u), "500"}},
      {"alerts for an organisation since, unacknowledged",
       "SELECT * FROM alerts WHERE 1 = 1 AND time_utc >= $1 AND organisation = $2 AND acknowledged_at_utc IS NULL"
       " ORDER BY time_utc DESC, id DESC LIMIT $3",
       {month_ago, user_org(u), "500"}},
      {"a person's ADT messages", "SELECT * FROM adt_messages WHERE nhs_number = $1 ORDER BY received_utc, id", {nhs}},
  };
  for (const auto& s : statements) {
    std::printf("-- %s\n   %s\n", s.what, s.sql.c_str());
    for (auto& row : db->query(db->explain_prefix(s.read_only) + s.sql, s.params)) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) {
        if (db->kind() == "sqlite" && i < 3) continue;  // id, parent, notused
        line += row[i];
      }
      std::printf("   | %s\n", line.c_str());
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) die("usage: ilinks-bench-service load|fill|lookups|explain ... (see the comment at the top of service_bench.cpp)");
  std::string command = argv[1];
  Args a = parse(argc, argv, 2);
  try {
    if (command == "load") return load(a);
    if (command == "fill") return fill(a);
    if (command == "lookups") return lookups(a);
    if (command == "explain") return explain(a);
  } catch (const std::exception& e) {
    die(e.what());
  }
  die("unknown command " + command);
}
