// Background WAL checkpoints: the writer stops checkpointing in its
// commits, the checkpointer's thread copies the WAL into the database, and
// stopping gives checkpoints back to SQLite.

#include "common/storage/sqlite_checkpointer.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"

namespace jalin::storage {
namespace {

int64_t AutoCheckpoint(Database& db) {
  int64_t pages = -1;
  EXPECT_TRUE(db.Write([&](Transaction& tx) -> absl::Status {
                  ASSIGN_OR_RETURN(
                      pages, QueryInt(tx, "PRAGMA wal_autocheckpoint", {}));
                  return absl::OkStatus();
                }).ok());
  return pages;
}

absl::Status Fill(Database& db, int rows) {
  for (int i = 0; i < rows; i += 50) {
    RETURN_IF_ERROR(db.Write([&](Transaction& tx) -> absl::Status {
      for (int j = i; j < i + 50; ++j) {
        RETURN_IF_ERROR(tx.Exec("INSERT INTO t (v) VALUES (?)",
                                {Param::Blob(std::string(2000, 'x'))}));
      }
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

// A store at `path` with one table t of blobs.
absl::StatusOr<std::unique_ptr<SqliteDatabase>> OpenWithTable(
    const std::string& path) {
  ASSIGN_OR_RETURN(
      auto db, SqliteDatabase::Open({.path = path, .synchronous_full = false}));
  RETURN_IF_ERROR(db->Write([](Transaction& tx) {
    return tx.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
  }));
  return db;
}

int64_t Rows(Database& db) {
  int64_t rows = -1;
  EXPECT_TRUE(db.Read([&](Transaction& tx) -> absl::Status {
                  ASSIGN_OR_RETURN(rows,
                                   QueryInt(tx, "SELECT COUNT(*) FROM t", {}));
                  return absl::OkStatus();
                }).ok());
  return rows;
}

TEST(SqliteCheckpointerTest, TakesCheckpointsOffTheWriterAndGivesThemBack) {
  testing::TempDir dir;
  const std::string path = dir.File("store.db");
  auto db = OpenWithTable(path);
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(AutoCheckpoint(**db), 1000);

  SqliteCheckpointer checkpointer(
      db->get(), {.path = path, .interval = absl::Milliseconds(20)});
  ASSERT_TRUE(checkpointer.Start().ok());
  EXPECT_EQ(AutoCheckpoint(**db), 0);

  // Far more than the 1,000-page threshold: without the checkpointer's
  // thread nothing would be copied back.
  ASSERT_TRUE(Fill(**db, 4000).ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (checkpointer.checkpoints() < 3 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_GE(checkpointer.checkpoints(), 3);
  auto left = checkpointer.CheckpointOnce();
  ASSERT_TRUE(left.ok()) << left.status();
  EXPECT_EQ(*left, 0);  // everything committed is in the database file
  const auto db_size = std::filesystem::file_size(path);
  EXPECT_GT(db_size, 4000u * 2000u);

  checkpointer.Stop();
  EXPECT_EQ(AutoCheckpoint(**db), 1000);
  EXPECT_EQ(Rows(**db), 4000);
}

// Past restart_frames a checkpoint runs between two writes, and the next
// write starts the WAL over: the file grows no more. Below, the WAL is left
// to SQLite.
TEST(SqliteCheckpointerTest, LetsAWalPastItsLimitStartOver) {
  testing::TempDir dir;
  const std::string path = dir.File("store.db");
  auto db = OpenWithTable(path);
  ASSERT_TRUE(db.ok()) << db.status();
  // The thread never runs here: the test takes each checkpoint itself.
  std::vector<absl::Duration> held;
  SqliteCheckpointer checkpointer(
      db->get(),
      {.path = path,
       .interval = absl::Hours(1),
       .restart_frames = 1000,
       .on_writers_held = [&](absl::Duration d) { held.push_back(d); }});
  ASSERT_TRUE(checkpointer.Start().ok());
  const std::string wal = path + "-wal";

  // About 300 frames: under the limit.
  ASSERT_TRUE(Fill(**db, 500).ok());
  auto left = checkpointer.CheckpointOnce();
  ASSERT_TRUE(left.ok()) << left.status();
  EXPECT_EQ(*left, 0);
  EXPECT_EQ(checkpointer.restarts(), 0);
  EXPECT_TRUE(held.empty());

  // About 1,500 frames (6 MB): past the limit, short of the cut-off at
  // twice the limit (where the writer would copy the WAL itself).
  ASSERT_TRUE(Fill(**db, 2400).ok());
  const auto grown = std::filesystem::file_size(wal);
  EXPECT_GT(grown, 1000u * 4096u);
  const absl::Time before = absl::Now();
  left = checkpointer.CheckpointOnce();
  const absl::Duration took = absl::Now() - before;
  ASSERT_TRUE(left.ok()) << left.status();
  EXPECT_EQ(*left, 0);
  EXPECT_EQ(checkpointer.restarts(), 1);
  // Reported once: the time the writers were held, a part of the call.
  ASSERT_EQ(held.size(), 1u);
  EXPECT_GT(held[0], absl::ZeroDuration());
  EXPECT_LE(held[0], took);
  EXPECT_GT(std::filesystem::file_size(path), 2900u * 2000u);

  // The next writes go to the start of the WAL.
  ASSERT_TRUE(Fill(**db, 500).ok());
  EXPECT_EQ(std::filesystem::file_size(wal), grown);
  checkpointer.Stop();
  EXPECT_EQ(Rows(**db), 3400);
}

// A steady stream of commits, 0.1 ms apart: passive checkpoints alone leave
// every page ever written in the WAL (about 90 MB here); the checkpointer
// keeps it near its limit (about 9 MB seen).
TEST(SqliteCheckpointerTest, KeepsTheWalBoundedUnderSteadyCommits) {
  testing::TempDir dir;
  const std::string path = dir.File("store.db");
  auto db = OpenWithTable(path);
  ASSERT_TRUE(db.ok()) << db.status();
  SqliteCheckpointer checkpointer(db->get(), {.path = path,
                                              .interval = absl::Milliseconds(5),
                                              .restart_frames = 1000});
  ASSERT_TRUE(checkpointer.Start().ok());
  const std::string wal = path + "-wal";
  uintmax_t largest = 0;
  for (int i = 0; i < 40'000; i += 50) {
    ASSERT_TRUE(Fill(**db, 50).ok());
    absl::SleepFor(absl::Microseconds(100));
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(wal, ec);
    if (!ec) largest = std::max(largest, size);
  }
  EXPECT_GE(checkpointer.restarts(), 1);
  // 4 MB of limit plus what commits add between two checkpoints, with
  // room for a slow machine; a quarter of what was written.
  EXPECT_LT(largest, 20u << 20) << "largest WAL: " << largest << " bytes";
  checkpointer.Stop();
  EXPECT_EQ(Rows(**db), 40'000);
}

// 4,000 rows, 50 per commit, into a fresh store with automatic checkpoints
// off and nothing else copying, under a WAL cut-off of `cutoff` frames (0:
// none); the largest the WAL grew.
uintmax_t LargestWalUnderCutoff(int cutoff) {
  testing::TempDir dir;
  const std::string path = dir.File("store.db");
  auto db = OpenWithTable(path);
  if (!db.ok()) {
    ADD_FAILURE() << db.status();
    return 0;
  }
  const absl::Status off = (*db)->Write(
      [](Transaction& tx) { return tx.Exec("PRAGMA wal_autocheckpoint=0"); });
  EXPECT_TRUE(off.ok()) << off;
  (*db)->SetWalCutoff(cutoff);
  uintmax_t largest = 0;
  for (int i = 0; i < 4000; i += 50) {
    EXPECT_TRUE(Fill(**db, 50).ok());
    largest = std::max(largest, std::filesystem::file_size(path + "-wal"));
  }
  EXPECT_EQ(Rows(**db), 4000);
  return largest;
}

// The commits that pass the cut-off copy the WAL themselves: it stays near
// the cut-off instead of holding every page ever written.
TEST(SqliteCheckpointerTest, TheWalCutoffMakesWritersCopyTheWal) {
  // Without a cut-off: about 2,500 frames (10 MB).
  EXPECT_GT(LargestWalUnderCutoff(0), 2000u * 4096u);
  // 200 frames plus one commit's (about 32 frames), with their headers.
  EXPECT_LT(LargestWalUnderCutoff(200), 300u * 4120u);
}

TEST(SqliteCheckpointerTest, AStoreItCannotOpenChangesNothing) {
  testing::TempDir dir;
  const std::string path = dir.File("store.db");
  auto db = SqliteDatabase::Open({.path = path});
  ASSERT_TRUE(db.ok());
  SqliteCheckpointer checkpointer(db->get(),
                                  {.path = dir.File("missing/elsewhere.db")});
  EXPECT_FALSE(checkpointer.Start().ok());
  EXPECT_EQ(AutoCheckpoint(**db), 1000);
  EXPECT_FALSE(checkpointer.CheckpointOnce().ok());
}

}  // namespace
}  // namespace jalin::storage
