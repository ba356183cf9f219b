// schema.h: the store's tables, created or migrated when a store opens.
#pragma once
#include "sql.h"

namespace ilinks::sql {

// The newest schema this build knows.
extern const int64_t kSchemaVersion;

// Brings the database's tables to kSchemaVersion, in one transaction
// serialised with every other instance opening it. Throws StoreError, also
// when the database was made by a newer service.
void migrate(Database& db);

}  // namespace ilinks::sql
