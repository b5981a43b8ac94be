#include "common/testing/raw_sqlite.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"

namespace jalin::testing {

RawSqlite::RawSqlite(const std::string& path, bool writable) {
  sqlite3_open_v2(path.c_str(), &db_,
                  writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY,
                  nullptr);
}

RawSqlite::~RawSqlite() { sqlite3_close(db_); }

std::string RawSqlite::One(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return absl::StrCat("error: ", sqlite3_errmsg(db_));
  }
  std::string out;
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    out = text == nullptr ? "NULL" : reinterpret_cast<const char*>(text);
  } else if (rc != SQLITE_DONE) {
    out = absl::StrCat("error: ", sqlite3_errmsg(db_));
  }
  sqlite3_finalize(stmt);
  return out;
}

}  // namespace jalin::testing
