// sql.h: the seam between the store's one behaviour (sql_store.cpp) and its
// two databases (sqlite_store.cpp, postgres_store.cpp). Statements are
// written once, in the SQL both understand, with $1, $2 ... for every value;
// a backend binds the values, never pastes them into the text.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ilinks/date.h"

namespace ilinks::sql {

// One value bound to a $n parameter.
using Value = std::variant<std::nullptr_t, int64_t, std::string>;

// A statement's values, in $n order. A Timestamp is two values, its instant
// and its offset (see the *_utc and *_offset columns in schema.cpp).
class Params {
 public:
  Params& operator<<(std::nullptr_t) { return add(nullptr); }
  Params& operator<<(int64_t v) { return add(v); }
  Params& operator<<(int v) { return add(int64_t(v)); }
  Params& operator<<(const std::string& v) { return add(v); }
  Params& operator<<(const char* v) { return add(std::string(v)); }
  Params& operator<<(const Timestamp& t) { return add(t.utc_seconds).add(int64_t(t.offset_minutes)); }
  Params& operator<<(const std::optional<Timestamp>& t) {
    return t ? *this << *t : add(nullptr).add(nullptr);
  }
  const std::vector<Value>& values() const { return values_; }

 private:
  Params& add(Value v) {
    values_.push_back(std::move(v));
    return *this;
  }
  std::vector<Value> values_;
};

// A result row, every column as text (NULL: none), read left to right.
using Row = std::vector<std::optional<std::string>>;
using Rows = std::vector<Row>;

class Reader {
 public:
  explicit Reader(const Row& row) : row_(row) {}
  std::string text();
  int64_t integer();
  Timestamp time();                   // two columns: *_utc, *_offset
  std::optional<Timestamp> maybe_time();

 private:
  const std::optional<std::string>& next();
  const Row& row_;
  size_t column_ = 0;
};

// One statement failed. `connection_lost`: the database went away (a server
// restarted); what was not committed may be run again on a new connection.
struct Failure {
  std::string why;  // in words, with no value from the statement
  bool connection_lost = false;
};

// One connection, used by one thread at a time. Throws Failure.
class Connection {
 public:
  virtual ~Connection() = default;
  Rows run(const std::string& statement, const Params& params = {}) { return execute(statement, params); }

 protected:
  virtual Rows execute(const std::string& statement, const Params& params) = 0;
};

// What a transaction does, which decides how it begins.
enum class Work {
  read,    // a consistent read
  write,   // any write
  chain,   // appends to the audit chain: serialised with every other chain writer, in every process
  schema,  // creates or migrates the tables: serialised with every other instance opening the store
};

// Where connections come from, and how a transaction runs on one.
class Database {
 public:
  virtual ~Database() = default;
  virtual const char* kind() const = 0;             // "sqlite", "postgresql"
  // The column type of a generated row id ("INTEGER PRIMARY KEY AUTOINCREMENT").
  virtual const char* row_id_column() const = 0;
  // Runs `work` in one transaction and commits it before returning. On any
  // failure rolls back and throws StoreError("the store could not <what>:
  // <why>"). When the connection was lost before COMMIT was sent, runs
  // `work` once more on a new connection (so `work` must start afresh each
  // time it is called).
  virtual void transaction(Work kind, const char* what, const std::function<void(Connection&)>& work) = 0;
};

std::unique_ptr<Database> open_sqlite(const std::string& path, int busy_timeout_ms);
std::unique_ptr<Database> open_postgresql(const std::string& conninfo, int connections, int busy_timeout_ms);

// "the store could not <what>: <why>", as a StoreError to throw.
[[noreturn]] void fail(const std::string& what, const std::string& why);

}  // namespace ilinks::sql
