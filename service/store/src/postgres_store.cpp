// The store in PostgreSQL (libpq), for several instances of the service: a
// small pool of connections per store object; every value sent with
// PQexecParams; appends to the chain serialised across every instance by a
// transaction-level advisory lock. A connection lost (the server restarted)
// is replaced, and a transaction that never reached COMMIT is run once more.
#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "ilinks/store.h"
#include "sql.h"

namespace ilinks::sql {

namespace {

// pg_advisory_xact_lock keys, the same in every instance: "ilinks" and "ilnkschm" in ASCII.
const char* const kLockChain = "SELECT pg_advisory_xact_lock(115914346228595)";
const char* const kLockSchema = "SELECT pg_advisory_xact_lock(7596568079243634797)";

// libpq's words on one line: its lines joined with "; ".
std::string one_line(const char* text) {
  std::string out, line;
  auto flush = [&] {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty()) out += (out.empty() ? "" : "; ") + line;
    line.clear();
  };
  for (const char* p = text ? text : ""; *p; ++p) {
    if (*p == '\n' || *p == '\r') flush();
    else if (*p != '\t' || !line.empty()) line += *p == '\t' ? ' ' : *p;
  }
  flush();
  return out;
}

// Where the server is, from the connection string, for the words of an
// error: host, port and database, never a password.
std::string where_of(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (!options) {
    PQfreemem(error);  // its words may quote the string, password and all
    fail("open the PostgreSQL store", "its location is not a libpq connection string (\"host=... dbname=...\" or a postgresql:// URI)");
  }
  std::string host, port, dbname;
  for (auto* o = options; o->keyword; ++o) {
    std::string key = o->keyword, value = o->val ? o->val : "";
    if (key == "host" || (key == "hostaddr" && host.empty())) host = value;
    if (key == "port") port = value;
    if (key == "dbname") dbname = value;
  }
  PQconninfoFree(options);
  return "PostgreSQL at " + (host.empty() ? std::string("the default socket") : host) + (port.empty() ? "" : ":" + port) +
         (dbname.empty() ? "" : ", database " + dbname);
}

class PgConnection final : public Connection {
 public:
  PgConnection(PGconn* conn, const std::string& where, int busy_timeout_ms)
      : conn_(conn), where_(where), busy_timeout_ms_(busy_timeout_ms) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }

 protected:
  Rows execute(const std::string& statement, const Params& params) override {
    std::vector<std::string> numbers;  // the text of integer values, kept alive for the call
    numbers.reserve(params.values().size());
    std::vector<const char*> values;
    for (const auto& v : params.values()) {
      if (std::holds_alternative<std::nullptr_t>(v)) values.push_back(nullptr);
      else if (auto* n = std::get_if<int64_t>(&v)) values.push_back(numbers.emplace_back(std::to_string(*n)).c_str());
      else values.push_back(std::get<std::string>(v).c_str());
    }
    std::unique_ptr<PGresult, void (*)(PGresult*)> result(
        PQexecParams(conn_, statement.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0),
        PQclear);
    ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw failure(result.get());
    Rows rows;
    for (int r = 0, n = PQntuples(result.get()), columns = PQnfields(result.get()); r < n; ++r) {
      Row row;
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result.get(), r, c)) row.emplace_back();
        else row.emplace_back(std::string(PQgetvalue(result.get(), r, c), static_cast<size_t>(PQgetlength(result.get(), r, c))));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  Failure failure(const PGresult* result) const {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";
    // Class 08 is a connection exception; 57P01-57P03, the server shutting
    // down or restarting; no SQLSTATE at all, libpq's own failure to reach the
    // server (a socket cut by a server that was killed may still look open).
    if (broken() || sqlstate.empty() || sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("57P0", 0) == 0)
      return Failure{where_ + ": the connection was lost (" + one_line(PQerrorMessage(conn_)) + ")", true};
    if (sqlstate == "55P03")
      return Failure{where_ + ": another writer still held what this needs after " + std::to_string(busy_timeout_ms_) +
                     " ms (lock timeout)"};
    std::string words = where_ + " refused the statement (SQLSTATE " + sqlstate;
    // Data exceptions (class 22) may quote the value they refused: their words are left out.
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    if (primary && sqlstate.rfind("22", 0) != 0) words += ": " + one_line(primary);
    return Failure{words + ")"};
  }

  PGconn* conn_;
  std::string where_;
  int busy_timeout_ms_;
};

class PgPool final : public Database {
 public:
  PgPool(const std::string& conninfo, int connections, int busy_timeout_ms)
      : conninfo_(conninfo), where_(where_of(conninfo)), size_(connections), busy_timeout_ms_(busy_timeout_ms) {
    release(acquire("open its PostgreSQL database"));  // an unreachable server is told at once, in words about connecting
  }

  const char* kind() const override { return "postgresql"; }
  const char* row_id_column() const override { return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"; }

  void transaction(Work kind, const char* what, const std::function<void(Connection&)>& work) override {
    for (int attempt = 1;; ++attempt) {
      std::unique_ptr<PgConnection> c = acquire(what);
      bool committing = false;
      try {
        c->run(kind == Work::read ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
        if (kind == Work::chain) c->run(kLockChain);
        if (kind == Work::schema) c->run(kLockSchema);
        work(*c);
        committing = true;
        c->run("COMMIT");
        release(std::move(c));
        return;
      } catch (const Failure& f) {
        if (f.connection_lost || c->broken()) {
          c.reset();
          connections_lost();
          if (!committing && attempt == 1) continue;  // nothing was committed: run it again on a new connection
          if (committing)
            fail(what, f.why + "; it was lost while committing, so whether the change was kept is not known");
          fail(what, f.why + ", and again on a new connection");
        }
        roll_back(std::move(c));
        fail(what, f.why);
      } catch (const StoreError&) {
        roll_back(std::move(c));
        throw;
      } catch (const std::exception& e) {
        roll_back(std::move(c));
        fail(what, where_ + ": " + e.what());
      }
    }
  }

 private:
  std::unique_ptr<PgConnection> connect(const char* what) {
    // connect_timeout first so that the connection string may set its own
    // (libpq keeps the last value given, and "dbname" is expanded in place).
    std::string lock_timeout = std::to_string(busy_timeout_ms_);
    const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding", nullptr};
    const char* values[] = {"10", "ilinks-service", conninfo_.c_str(), "UTF8", nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (!conn) fail(what, where_ + ": libpq could not allocate a connection");
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string why = one_line(PQerrorMessage(conn));
      PQfinish(conn);
      fail(what, "cannot connect to " + where_ + " (" + why + ")");
    }
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);  // "already exists, skipping" is not news
    auto c = std::make_unique<PgConnection>(conn, where_, busy_timeout_ms_);
    try {
      // How long a statement waits for a lock (the chain's, a row's).
      c->run("SELECT set_config('lock_timeout', $1, false)", Params() << lock_timeout + "ms");
    } catch (const Failure& f) {
      fail(what, f.why);
    }
    return c;
  }

  // An idle connection, else a new one while the pool has room, else the
  // first to come free within the busy timeout.
  std::unique_ptr<PgConnection> acquire(const char* what) {
    std::unique_lock<std::mutex> lock(lock_);
    if (!free_.wait_for(lock, std::chrono::milliseconds(busy_timeout_ms_), [&] { return !idle_.empty() || open_ < size_; }))
      fail(what, "no connection to " + where_ + " came free within " + std::to_string(busy_timeout_ms_) + " ms (all " +
                     std::to_string(size_) + " in use)");
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
    ++open_;
    lock.unlock();
    try {
      return connect(what);
    } catch (...) {
      release(nullptr);
      throw;
    }
  }

  // Back to the pool; a broken connection (or none) leaves room for a new one.
  void release(std::unique_ptr<PgConnection> c) {
    std::lock_guard<std::mutex> guard(lock_);
    if (c && !c->broken()) idle_.push_back(std::move(c));
    else --open_;
    free_.notify_one();
  }

  void roll_back(std::unique_ptr<PgConnection> c) {
    try {
      if (!c->broken()) c->run("ROLLBACK");
    } catch (const Failure&) {
      c.reset();  // cannot be trusted with the next transaction
    }
    release(std::move(c));
  }

  // One connection was lost: the server likely restarted, and the idle ones
  // went with it. They are closed so the next transactions connect afresh.
  void connections_lost() {
    std::vector<std::unique_ptr<PgConnection>> gone;
    std::lock_guard<std::mutex> guard(lock_);
    gone.swap(idle_);
    open_ -= static_cast<int>(gone.size()) + 1;  // and the one that was lost
    free_.notify_all();
  }

  const std::string conninfo_, where_;
  const int size_, busy_timeout_ms_;
  std::mutex lock_;
  std::condition_variable free_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;  // idle and in use
};

}  // namespace

std::unique_ptr<Database> open_postgresql(const std::string& conninfo, int connections, int busy_timeout_ms) {
  return std::make_unique<PgPool>(conninfo, connections, busy_timeout_ms);
}

}  // namespace ilinks::sql
