// The store in one SQLite file: one connection per store object, guarded by a
// mutex; instances (and processes) sharing the file are serialised by SQLite's
// own lock, each write beginning IMMEDIATE so it waits its turn rather than
// failing half-way. WAL with synchronous=FULL: a commit that returned is on disk.
#include <sqlite3.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "ilinks/store.h"
#include "sql.h"

namespace ilinks::sql {

namespace {

// "$1" (the store's one way of writing a parameter) is "?1" to SQLite.
std::string positional(const std::string& statement) {
  std::string out = statement;
  for (size_t i = 0; i + 1 < out.size(); ++i)
    if (out[i] == '$' && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '?';
  return out;
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, int busy_timeout_ms) : db_(db), busy_timeout_ms_(busy_timeout_ms) {}

 protected:
  Rows execute(const std::string& statement, const Params& params) override {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_, positional(statement).c_str(), -1, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> st(raw, sqlite3_finalize);
    if (rc != SQLITE_OK) throw Failure{why(rc)};
    int index = 0;
    for (const auto& v : params.values()) {
      ++index;
      if (std::holds_alternative<std::nullptr_t>(v)) rc = sqlite3_bind_null(raw, index);
      else if (auto* n = std::get_if<int64_t>(&v)) rc = sqlite3_bind_int64(raw, index, *n);
      else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(raw, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) throw Failure{why(rc)};
    }
    Rows rows;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
      Row row;
      for (int i = 0, n = sqlite3_column_count(raw); i < n; ++i) {
        if (sqlite3_column_type(raw, i) == SQLITE_NULL) {
          row.emplace_back();
        } else {
          auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, i));
          row.emplace_back(std::string(text, static_cast<size_t>(sqlite3_column_bytes(raw, i))));
        }
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) throw Failure{why(rc)};
    return rows;
  }

  std::string why(int rc) const {
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
      return "the database is locked by another writer after " + std::to_string(busy_timeout_ms_) + " ms";
    return sqlite3_errmsg(db_);  // SQLite's words name tables and columns, never values
  }

 private:
  sqlite3* db_;
  int busy_timeout_ms_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const std::string& path, int busy_timeout_ms)
      : path_(path), timeout_(std::chrono::milliseconds(busy_timeout_ms)) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      fail("open the SQLite database " + path, why + " (does its folder exist, and may this service write there?)");
    }
    connection_ = std::make_unique<SqliteConnection>(db_, busy_timeout_ms);
    sqlite3_busy_handler(db_, &SqliteDatabase::on_busy, this);
    try {
      connection_->run("PRAGMA journal_mode = WAL");
      connection_->run("PRAGMA synchronous = FULL");
    } catch (const Failure& f) {
      sqlite3_close_v2(db_);
      fail("open the SQLite database " + path, f.why);
    }
  }
  ~SqliteDatabase() override { sqlite3_close_v2(db_); }

  const char* kind() const override { return "sqlite"; }
  const char* row_id_column() const override { return "INTEGER PRIMARY KEY AUTOINCREMENT"; }

  void transaction(Work kind, const char* what, const std::function<void(Connection&)>& work) override {
    std::lock_guard<std::mutex> guard(lock_);
    try {
      // Every write takes the write lock at once (IMMEDIATE), waiting for it
      // up to the busy timeout: the chain's head cannot move underneath it.
      connection_->run(kind == Work::read ? "BEGIN" : "BEGIN IMMEDIATE");
      work(*connection_);
      connection_->run("COMMIT");
    } catch (const Failure& f) {
      roll_back();
      fail(what, "SQLite database " + path_ + ": " + f.why);
    } catch (const StoreError&) {
      roll_back();
      throw;
    } catch (const std::exception& e) {
      roll_back();
      fail(what, "SQLite database " + path_ + ": " + e.what());
    }
  }

 private:
  void roll_back() {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  // Waits for another connection's lock in short steps (SQLite's own
  // busy_timeout backs off to 100 ms sleeps, which starves a waiter under a
  // steady stream of short writes from another instance).
  static int on_busy(void* self, int count) {
    auto* db = static_cast<SqliteDatabase*>(self);
    auto now = std::chrono::steady_clock::now();
    if (count == 0) db->busy_since_ = now;
    if (now - db->busy_since_ >= db->timeout_) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return 1;
  }

  std::string path_;
  std::chrono::milliseconds timeout_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<SqliteConnection> connection_;
  std::mutex lock_;
  std::chrono::steady_clock::time_point busy_since_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, int busy_timeout_ms) {
  return std::make_unique<SqliteDatabase>(path, busy_timeout_ms);
}

}  // namespace ilinks::sql
