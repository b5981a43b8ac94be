// The page cache wrapper on real stores: commits whose index inserts split
// and reorder pages skip the walk of the cache, truncations that can drop
// pages (a rolled-back growth, a shrinking vacuum) are still forwarded, and
// every store reads back what was written, through its readers and through
// a fresh connection on the files.

#include "common/storage/page_cache.h"

#include <sqlite3.h>

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/raw_sqlite.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"

namespace jalin::storage {
namespace {

using ::jalin::testing::RawSqlite;

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
  // Each test binary is its own process, and no SQLite call comes before
  // a store's first open, which installs it (as this call would).
  EXPECT_TRUE(InstallPageCache());
  EXPECT_TRUE(InstallPageCache());
}

// The wrapper's methods driven directly, as SQLite's pager drives them:
// which truncations it forwards, and what the cache then holds.
TEST(PageCacheTest, TruncationsDropWhatTheyReachAndSkipTheRest) {
  ASSERT_TRUE(InstallPageCache());
  // SQLite hands out the installed methods only while it is stopped (no
  // connection is open between tests).
  ASSERT_EQ(sqlite3_shutdown(), SQLITE_OK);
  sqlite3_pcache_methods2 m{};
  ASSERT_EQ(sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &m), SQLITE_OK);
  ASSERT_EQ(sqlite3_initialize(), SQLITE_OK);
  sqlite3_pcache* cache = m.xCreate(4096, 64, /*bPurgeable=*/1);
  ASSERT_NE(cache, nullptr);
  m.xCachesize(cache, 1000);
  auto fetch = [&](unsigned key) {
    sqlite3_pcache_page* page = m.xFetch(cache, key, /*createFlag=*/2);
    ASSERT_NE(page, nullptr) << key;
    m.xUnpin(cache, page, /*discard=*/0);
  };
  auto rekey = [&](unsigned from, unsigned to) {
    sqlite3_pcache_page* page = m.xFetch(cache, from, /*createFlag=*/0);
    ASSERT_NE(page, nullptr) << from;
    m.xRekey(cache, page, from, to);
    m.xUnpin(cache, page, /*discard=*/0);
  };
  constexpr unsigned kLockingPage = 262145;  // with 4 KiB pages
  const PageCacheTruncations start = PageCacheTruncationCounts();

  // More pages than the set keeps: the bound is raised over them.
  for (unsigned key = 1; key <= 65; ++key) fetch(key);
  EXPECT_EQ(m.xPagecount(cache), 65);
  m.xTruncate(cache, 10);
  EXPECT_EQ(m.xPagecount(cache), 9);

  // A page parked at the locking page's number and left there is dropped.
  for (unsigned key = 10; key <= 20; ++key) fetch(key);
  rekey(15, kLockingPage);
  m.xTruncate(cache, 21);
  EXPECT_EQ(m.xPagecount(cache), 19);
  EXPECT_EQ(m.xFetch(cache, kLockingPage, /*createFlag=*/0), nullptr);
  const PageCacheTruncations forwarded = PageCacheTruncationCounts();
  EXPECT_EQ(forwarded.forwarded - start.forwarded, 2);
  EXPECT_EQ(forwarded.skipped - start.skipped, 0);

  // One parked there and moved on, as a split does: nothing to drop.
  fetch(21);
  rekey(21, kLockingPage);
  rekey(kLockingPage, 22);
  m.xTruncate(cache, 23);
  EXPECT_EQ(m.xPagecount(cache), 20);
  const PageCacheTruncations skipped = PageCacheTruncationCounts();
  EXPECT_EQ(skipped.forwarded - forwarded.forwarded, 0);
  EXPECT_EQ(skipped.skipped - forwarded.skipped, 1);
  // 15 and 21 to the locking page, and it to 22, past the bound of 20.
  EXPECT_EQ(skipped.moved_above - start.moved_above, 3);

  // A reset (as after another connection wrote) empties it.
  m.xTruncate(cache, 1);
  EXPECT_EQ(m.xPagecount(cache), 0);
  m.xDestroy(cache);
}

// A fresh inbox store in a directory of its own, through the wrapper.
class PageCacheStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InstallPageCache());
    db_ = OpenStore(path_);
    ASSERT_NE(db_, nullptr);
  }

  // Commits rows [from, to) in one transaction.
  void Commit(int64_t from, int64_t to) {
    ASSERT_TRUE(
        db_->Write([&](Transaction& tx) { return InsertRange(tx, from, to); })
            .ok());
  }

  jalin::testing::TempDir dir_;
  const std::string path_ = dir_.File("store.db");
  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(PageCacheStoreTest, CommitsThatReorderIndexPagesSkipTheWalk) {
  const PageCacheTruncations before = PageCacheTruncationCounts();
  constexpr int kCommits = 3000;
  for (int i = 0; i < kCommits; ++i) {
    Commit(1 + i * 10, 1 + (i + 1) * 10);
  }
  const PageCacheTruncations after = PageCacheTruncationCounts();
  // Splits did renumber pages past the bound (a split that reorders its
  // pages parks one at the locking page's number).
  EXPECT_GT(after.moved_above - before.moved_above, 0);
  // Every commit ends with a truncation; none of these can drop a page.
  // Were a page renumbered through the locking page still counted, each
  // commit after a reordering split would be forwarded.
  EXPECT_GE(after.skipped - before.skipped, kCommits);
  EXPECT_LE(after.forwarded - before.forwarded, 10);

  EXPECT_EQ(Read(*db_), Expected(kCommits * 10));
}

TEST_F(PageCacheStoreTest,
       ARolledBackGrowthIsDroppedAndTheStoreReadsBackIntact) {
  Commit(1, 2001);
  // A reader that has cached the store before the next changes.
  EXPECT_EQ(Read(*db_), Expected(2000));

  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    const PageCacheTruncations before = PageCacheTruncationCounts();
    // Grows the store by a few hundred pages, then rolls back: the
    // truncation to the old size is forwarded. (SQLite drops the pages a
    // WAL rollback undoes itself too, so the reads below cannot tell.)
    const absl::Status rolled_back = db_->Write([&](Transaction& tx) {
      RETURN_IF_ERROR(InsertRange(tx, 100000, 103000));
      return absl::AbortedError("rolled back");
    });
    EXPECT_EQ(rolled_back.code(), absl::StatusCode::kAborted);
    EXPECT_GE(PageCacheTruncationCounts().forwarded - before.forwarded, 1);
    // The same page numbers now hold other rows.
    const int64_t from = 2001 + round * 1000;
    Commit(from, from + 1000);
    EXPECT_EQ(Read(*db_), Expected(from + 999));
  }

  // And the files agree, read by a connection of its own.
  RawSqlite raw(path_);
  EXPECT_EQ(raw.One("SELECT COUNT(*) FROM inbox"), "5000");
  EXPECT_EQ(raw.One("SELECT SUM(LENGTH(body)) FROM inbox"),
            absl::StrCat(Expected(5000).bytes));
  EXPECT_EQ(raw.One("PRAGMA integrity_check"), "ok");
}

TEST_F(PageCacheStoreTest, AShrinkingVacuumIsForwardedAndReadsBackIntact) {
  Commit(1, 4001);
  ASSERT_TRUE(db_->Write([](Transaction& tx) {
                   return tx.Exec("DELETE FROM inbox WHERE seq > 1000");
                 })
                  .ok());

  RawSqlite raw(path_, /*writable=*/true);
  // Cached first, so that the vacuum's pages past the new end are there.
  EXPECT_EQ(raw.One("SELECT SUM(LENGTH(body)) FROM inbox"),
            absl::StrCat(Expected(1000).bytes));
  const std::string pages_before = raw.One("PRAGMA page_count");
  const PageCacheTruncations before = PageCacheTruncationCounts();
  EXPECT_EQ(raw.One("VACUUM"), "");
  // The store shrank, so the truncation at the vacuum's end reached pages.
  int64_t pages = 0, pages_after = 0;
  ASSERT_TRUE(absl::SimpleAtoi(pages_before, &pages)) << pages_before;
  ASSERT_TRUE(absl::SimpleAtoi(raw.One("PRAGMA page_count"), &pages_after));
  EXPECT_LT(pages_after, pages / 2);
  EXPECT_GE(PageCacheTruncationCounts().forwarded - before.forwarded, 1);

  EXPECT_EQ(raw.One("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(raw.One("SELECT COUNT(*) FROM inbox INDEXED BY "
                    "inbox_by_recipient WHERE recipient > ''"),
            "1000");
  // The store's own connections read the vacuumed files alike, and write on.
  EXPECT_EQ(Read(*db_), Expected(1000));
  Commit(1001, 1501);
  EXPECT_EQ(Read(*db_), Expected(1500));
  EXPECT_EQ(raw.One("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace jalin::storage
