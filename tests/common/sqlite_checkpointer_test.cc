// Background WAL checkpoints: the writer stops checkpointing in its
// commits, the checkpointer's thread copies the WAL into the database, and
// stopping gives checkpoints back to SQLite.

#include "common/storage/sqlite_checkpointer.h"

#include <filesystem>

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

TEST(SqliteCheckpointerTest, TakesCheckpointsOffTheWriterAndGivesThemBack) {
  testing::TempDir dir;
  const std::string path = dir.File("store.db");
  auto db = SqliteDatabase::Open({.path = path, .synchronous_full = false});
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)
                  ->Write([](Transaction& tx) {
                    return tx.Exec(
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
                  })
                  .ok());
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
  int64_t rows = 0;
  ASSERT_TRUE((*db)
                  ->Read([&](Transaction& tx) -> absl::Status {
                    ASSIGN_OR_RETURN(
                        rows, QueryInt(tx, "SELECT COUNT(*) FROM t", {}));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(rows, 4000);
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
