// open_store(): the one place a store is chosen and opened.
#include "ilinks/store.h"
#include "sql.h"
#include "sql_store.h"

namespace ilinks {

std::shared_ptr<Store> open_store(const StoreSettings& settings) {
  bool postgres = settings.kind == StoreSettings::Kind::postgresql;
  const char* what = postgres ? "open the PostgreSQL store" : "open the SQLite store";
  if (settings.location.empty())
    sql::fail(what, postgres ? "no connection string was given" : "no database file was given");
  if (settings.busy_timeout_ms < 0) sql::fail(what, "its busy timeout is negative");
  if (!postgres) return make_sql_store(sql::open_sqlite(settings.location, settings.busy_timeout_ms));
  if (settings.connections < 1) sql::fail(what, "its pool needs at least one connection");
  return make_sql_store(sql::open_postgresql(settings.location, settings.connections, settings.busy_timeout_ms));
}

}  // namespace ilinks
