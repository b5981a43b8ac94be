// A connection of its own on an SQLite file, outside any store: for tests
// that check what the files hold, or run statements a store's transactions
// cannot (VACUUM).

#ifndef COMMON_TESTING_RAW_SQLITE_H_
#define COMMON_TESTING_RAW_SQLITE_H_

#include <string>

struct sqlite3;

namespace jalin::testing {

// Owns its connection, on SQLite's default VFS. Not thread-safe.
class RawSqlite {
 public:
  explicit RawSqlite(const std::string& path, bool writable = false);
  ~RawSqlite();
  RawSqlite(const RawSqlite&) = delete;
  RawSqlite& operator=(const RawSqlite&) = delete;

  // The first column of the first row of `sql` as text ("NULL" for a null,
  // "" when there is no row), or "error: " and SQLite's message.
  std::string One(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace jalin::testing

#endif  // COMMON_TESTING_RAW_SQLITE_H_
