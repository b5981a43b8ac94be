// The page cache wrapper on real stores: commits whose index inserts split
// and reorder pages skip the walk of the cache, a rolled-back transaction's
// pages are still dropped, and every store reads back what was written,
// through its writer, its readers and a connection that never saw the
// wrapper's bookkeeping (the files).

#include "common/storage/page_cache.h"

#include <sqlite3.h>

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"

namespace jalin::storage {
namespace {

// An inbox: rows appended in order, an index that takes each insert under
// one of 1,000 recipients, so most commits split and reorder index pages.
constexpr Migration kSchema[] = {
    {1, "inbox",
     "CREATE TABLE inbox (seq INTEGER PRIMARY KEY, recipient TEXT NOT NULL, "
     "body BLOB NOT NULL);"
     "CREATE INDEX inbox_by_recipient ON inbox (recipient, seq);"},
};

std::unique_ptr<SqliteDatabase> OpenStore(const std::string& path) {
  auto db = SqliteDatabase::Open({.path = path});
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return nullptr;
  EXPECT_TRUE((*db)->Migrate("test", kSchema).ok());
  return *std::move(db);
}

std::string Recipient(int64_t seq) {
  // A fixed scatter over 1,000 recipients, the same in every run.
  return absl::StrCat("enterprises/r", (seq * 7919) % 1000);
}

std::string Body(int64_t seq) {
  return std::string(300 + seq % 200, static_cast<char>('a' + seq % 26));
}

absl::Status InsertRange(Transaction& tx, int64_t from, int64_t to) {
  for (int64_t seq = from; seq < to; ++seq) {
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO inbox (seq, recipient, body) VALUES (?, ?, ?)",
                {Param(seq), Param(Recipient(seq)), Param::Blob(Body(seq))}));
  }
  return absl::OkStatus();
}

// Rows, their bytes, and rows found through the index, as a reader sees
// them.
struct Contents {
  int64_t rows = -1;
  int64_t bytes = -1;
  int64_t indexed = -1;
  bool operator==(const Contents&) const = default;
  friend std::ostream& operator<<(std::ostream& os, const Contents& c) {
    return os << c.rows << " rows, " << c.bytes << " bytes, " << c.indexed
              << " through the index";
  }
};

// Rows 1..count, with no rows outside that range.
Contents Expected(int64_t count) {
  Contents c{.rows = count, .bytes = 0, .indexed = count};
  for (int64_t seq = 1; seq <= count; ++seq) {
    c.bytes += static_cast<int64_t>(Body(seq).size());
  }
  return c;
}

// Through one of the store's reader connections; a failed read gives -1s.
Contents Read(SqliteDatabase& db) {
  Contents c;
  const absl::Status read = db.Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(c.rows, QueryInt(tx, "SELECT COUNT(*) FROM inbox", {}));
    ASSIGN_OR_RETURN(c.bytes,
                     QueryInt(tx, "SELECT SUM(LENGTH(body)) FROM inbox", {}));
    ASSIGN_OR_RETURN(c.indexed,
                     QueryInt(tx,
                              "SELECT COUNT(*) FROM inbox INDEXED BY "
                              "inbox_by_recipient WHERE recipient > ''",
                              {}));
    return absl::OkStatus();
  });
  EXPECT_TRUE(read.ok()) << read;
  return c;
}

TEST(PageCacheTest, IsInstalledBeforeSqliteStarts) {
  // Each test binary is its own process, and this runs before any store.
  EXPECT_TRUE(InstallPageCache());
  EXPECT_TRUE(InstallPageCache());
}

TEST(PageCacheTest, CommitsThatReorderIndexPagesSkipTheWalk) {
  ASSERT_TRUE(InstallPageCache());
  jalin::testing::TempDir dir;
  auto db = OpenStore(dir.File("store.db"));
  ASSERT_NE(db, nullptr);

  const PageCacheTruncations before = PageCacheTruncationCounts();
  constexpr int kCommits = 3000;
  for (int i = 0; i < kCommits; ++i) {
    ASSERT_TRUE(db->Write([&](Transaction& tx) {
                    return InsertRange(tx, 1 + i * 10, 1 + (i + 1) * 10);
                  }).ok());
  }
  const PageCacheTruncations after = PageCacheTruncationCounts();
  // Every commit ends with a truncation; none of these can drop a page.
  // Were a page renumbered through the locking page still counted, each
  // commit after a reordering split would be forwarded.
  EXPECT_GE(after.skipped - before.skipped, kCommits);
  EXPECT_LE(after.forwarded - before.forwarded, 10);

  EXPECT_EQ(Read(*db), Expected(kCommits * 10));
}

TEST(PageCacheTest, ARolledBackGrowthIsDroppedAndTheStoreReadsBackIntact) {
  ASSERT_TRUE(InstallPageCache());
  jalin::testing::TempDir dir;
  const std::string path = dir.File("store.db");
  auto db = OpenStore(path);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(
      db->Write([](Transaction& tx) { return InsertRange(tx, 1, 2001); }).ok());
  // A reader that has cached the store before the next changes.
  EXPECT_EQ(Read(*db), Expected(2000));

  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    const PageCacheTruncations before = PageCacheTruncationCounts();
    // Grows the store by a few hundred pages, then rolls back: the pages
    // past the old size must leave the cache.
    const absl::Status rolled_back = db->Write([&](Transaction& tx) {
      RETURN_IF_ERROR(InsertRange(tx, 100000, 103000));
      return absl::AbortedError("rolled back");
    });
    EXPECT_EQ(rolled_back.code(), absl::StatusCode::kAborted);
    EXPECT_GE(PageCacheTruncationCounts().forwarded - before.forwarded, 1);
    // The same page numbers now hold other rows.
    const int64_t from = 2001 + round * 1000;
    ASSERT_TRUE(db->Write([&](Transaction& tx) {
                    return InsertRange(tx, from, from + 1000);
                  }).ok());
    EXPECT_EQ(Read(*db), Expected(from + 999));
  }

  // And the files agree, read by a connection of its own.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw,
                               "SELECT (SELECT COUNT(*) FROM inbox), "
                               "(SELECT SUM(LENGTH(body)) FROM inbox)",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), 5000);
  EXPECT_EQ(sqlite3_column_int64(stmt, 1), Expected(5000).bytes);
  sqlite3_finalize(stmt);
  ASSERT_EQ(
      sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &stmt, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
               "ok");
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
}

}  // namespace
}  // namespace jalin::storage
