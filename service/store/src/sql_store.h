// sql_store.h: the Store, written once over a sql::Database (SQLite or PostgreSQL).
#pragma once
#include <memory>

#include "ilinks/store.h"
#include "sql.h"

namespace ilinks {

// Opens `db`'s store: creates or migrates its tables first.
std::shared_ptr<Store> make_sql_store(std::unique_ptr<sql::Database> db);

}  // namespace ilinks
