// Reading result rows, and the store's one way of saying what failed.
#include "sql.h"

#include <cerrno>
#include <cstdlib>

#include "ilinks/store.h"

namespace ilinks::sql {

void fail(const std::string& what, const std::string& why) { throw StoreError("the store could not " + what + ": " + why); }

const std::optional<std::string>& Reader::next() {
  if (column_ >= row_.size()) throw Failure{"a query gave fewer columns than the store reads (a store defect)"};
  return row_[column_++];
}

std::string Reader::text() {
  const auto& v = next();
  return v ? *v : std::string();
}

int64_t Reader::integer() {
  const auto& v = next();
  if (!v) throw Failure{"a number the store keeps is missing (column " + std::to_string(column_) + ")"};
  errno = 0;
  char* end = nullptr;
  long long n = std::strtoll(v->c_str(), &end, 10);
  if (errno != 0 || end == v->c_str() || *end != '\0')
    throw Failure{"a number the store keeps is not a whole number (column " + std::to_string(column_) + ")"};
  return n;
}

Timestamp Reader::time() {
  Timestamp t;
  t.utc_seconds = integer();
  t.offset_minutes = static_cast<int>(integer());
  return t;
}

std::optional<Timestamp> Reader::maybe_time() {
  if (column_ + 1 < row_.size() && !row_[column_] && !row_[column_ + 1]) {
    column_ += 2;
    return std::nullopt;
  }
  return time();
}

}  // namespace ilinks::sql
