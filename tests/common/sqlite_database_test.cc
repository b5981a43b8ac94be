// The SQLite store on real files: transactions, rollback, snapshots,
// migrations, error codes.

#include "common/storage/sqlite_database.h"

#include <sqlite3.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/status/status_macros.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jalin::storage {
namespace {

using ::testing::HasSubstr;

constexpr Migration kSchema[] = {
    {1, "things",
     "CREATE TABLE things (id TEXT PRIMARY KEY, n INTEGER, "
     "x REAL, b BLOB);"},
    {2, "index", "CREATE INDEX things_n ON things (n);"},
};

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteDatabase::Open({.path = dir_.File("store.db")});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(db_->Migrate("test", kSchema).ok());
  }

  int64_t Count() {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](Transaction& tx) -> absl::Status {
                     ASSIGN_OR_RETURN(
                         n, QueryInt(tx, "SELECT COUNT(*) FROM things", {}));
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }

  testing::TempDir dir_;
  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(SqliteTest, ParamsOfEveryTypeRoundTrip) {
  const std::string blob("a\0b\xff", 4);
  ASSERT_TRUE(db_->Write([&](Transaction& tx) {
                   return tx.Exec("INSERT INTO things VALUES (?, ?, ?, ?)",
                                  {Param("k1"), Param(int64_t{1} << 40),
                                   Param(2.5), Param::Blob(blob)});
                 })
                  .ok());
  ASSERT_TRUE(db_->Write([&](Transaction& tx) {
                   return tx.Exec(
                       "INSERT INTO things VALUES (?, ?, ?, ?)",
                       {Param("k2"), Param(nullptr), Param(true), Param()});
                 })
                  .ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(db_->Read([&](Transaction& tx) {
                   return tx.Query("SELECT id, n, x, b FROM things ORDER BY id",
                                   {}, [&](const Row& r) {
                                     if (r.Text(0) == "k1") {
                                       EXPECT_EQ(r.Int(1), int64_t{1} << 40);
                                       EXPECT_DOUBLE_EQ(r.Double(2), 2.5);
                                       EXPECT_EQ(r.Blob(3), blob);
                                     } else {
                                       EXPECT_TRUE(r.IsNull(1));
                                       EXPECT_EQ(r.Int(2), 1);
                                       EXPECT_TRUE(r.IsNull(3));
                                     }
                                     seen.emplace_back(r.Text(0));
                                     return absl::OkStatus();
                                   });
                 })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"k1", "k2"}));
}

TEST_F(SqliteTest, FailingTransactionStoresNothing) {
  bool hook_ran = false;
  absl::Status s = db_->Write([&](Transaction& tx) -> absl::Status {
    tx.OnCommit([&] { hook_ran = true; });
    RETURN_IF_ERROR(tx.Exec("INSERT INTO things (id, n) VALUES ('a', 1)"));
    RETURN_IF_ERROR(tx.Exec("INSERT INTO things (id, n) VALUES ('b', 2)"));
    return absl::InvalidArgumentError("third record is bad");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Count(), 0);
  EXPECT_FALSE(hook_ran);
}

TEST_F(SqliteTest, OnCommitRunsAfterCommit) {
  int64_t seen_by_hook = -1;
  ASSERT_TRUE(db_->Write([&](Transaction& tx) {
                   tx.OnCommit([&] { seen_by_hook = Count(); });
                   return tx.Exec("INSERT INTO things (id) VALUES ('a')");
                 })
                  .ok());
  EXPECT_EQ(seen_by_hook, 1);
}

TEST_F(SqliteTest, DuplicateKeyIsAlreadyExistsAndRollsBack) {
  ASSERT_TRUE(db_->Write([](Transaction& tx) {
                   return tx.Exec("INSERT INTO things (id) VALUES ('a')");
                 })
                  .ok());
  absl::Status s = db_->Write([](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO things (id) VALUES ('b')"));
    return tx.Exec("INSERT INTO things (id) VALUES ('a')");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteTest, SqlErrorsAreInternalAndNameTheStatement) {
  absl::Status s = db_->Write([](Transaction& tx) {
    return tx.Exec("INSERT INTO nowhere VALUES (1)");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("nowhere"));
  s = db_->Write([](Transaction& tx) {
    return tx.Exec("INSERT INTO things (id) VALUES (?)", {});
  });
  EXPECT_THAT(s.message(), HasSubstr("takes 1 parameters, got 0"));
}

TEST_F(SqliteTest, ReadSeesAConsistentSnapshotWhileAWriteCommits) {
  ASSERT_TRUE(db_->Write([](Transaction& tx) {
                   return tx.Exec("INSERT INTO things (id) VALUES ('a')");
                 })
                  .ok());
  absl::Notification first_read, written;
  int64_t before = -1, after = -1;
  std::thread reader([&] {
    ASSERT_TRUE(
        db_->Read([&](Transaction& tx) -> absl::Status {
             ASSIGN_OR_RETURN(before,
                              QueryInt(tx, "SELECT COUNT(*) FROM things", {}));
             first_read.Notify();
             written.WaitForNotification();
             ASSIGN_OR_RETURN(after,
                              QueryInt(tx, "SELECT COUNT(*) FROM things", {}));
             return absl::OkStatus();
           })
            .ok());
  });
  first_read.WaitForNotification();
  ASSERT_TRUE(db_->Write([](Transaction& tx) {
                   return tx.Exec("INSERT INTO things (id) VALUES ('b')");
                 })
                  .ok());
  written.Notify();
  reader.join();
  EXPECT_EQ(before, 1);
  EXPECT_EQ(after, 1);  // the snapshot does not move
  EXPECT_EQ(Count(), 2);
}

TEST_F(SqliteTest, MigrationsApplyOnceAndSurviveReopen) {
  ASSERT_TRUE(db_->Migrate("test", kSchema).ok());  // again: no-op
  db_.reset();
  auto db = SqliteDatabase::Open({.path = dir_.File("store.db")});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Migrate("test", kSchema).ok());
  int64_t applied = 0;
  ASSERT_TRUE((*db)
                  ->Read([&](Transaction& tx) -> absl::Status {
                    ASSIGN_OR_RETURN(
                        applied, QueryInt(tx,
                                          "SELECT COUNT(*) FROM jalin_schema "
                                          "WHERE component = 'test'",
                                          {}));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(applied, 2);
}

// An upgrade of a store in use can take minutes before the service opens
// its port; each of its migrations is announced and timed. A new store's
// are not (they run on empty tables).
TEST_F(SqliteTest, UpgradesAreLoggedWithTheirTime) {
  auto fresh = SqliteDatabase::Open({.path = dir_.File("fresh.db")});
  ASSERT_TRUE(fresh.ok());
  ::testing::internal::CaptureStderr();
  ASSERT_TRUE((*fresh)->Migrate("test", absl::MakeSpan(kSchema, 1)).ok());
  EXPECT_THAT(::testing::internal::GetCapturedStderr(),
              ::testing::Not(HasSubstr("schema migration")));

  ::testing::internal::CaptureStderr();
  ASSERT_TRUE((*fresh)->Migrate("test", kSchema).ok());
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(log, HasSubstr("\"msg\":\"applying schema migration\""));
  EXPECT_THAT(log, HasSubstr("\"description\":\"index\""));
  EXPECT_THAT(log, HasSubstr("\"msg\":\"applied schema migration\""));
  EXPECT_THAT(log, HasSubstr("\"seconds\":"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("\"description\":\"things\"")));
}

TEST_F(SqliteTest, OlderBinaryRefusesNewerSchema) {
  absl::Status s = db_->Migrate("test", absl::MakeSpan(kSchema, 1));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("version 2"));
}

TEST_F(SqliteTest, BrokenMigrationLeavesNoTrace) {
  constexpr Migration kBroken[] = {
      {1, "ok", "CREATE TABLE a (x INTEGER);"},
      {2, "half", "CREATE TABLE b (x INTEGER); CREATE TABLE a (y INTEGER);"},
  };
  absl::Status s = db_->Migrate("broken", kBroken);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("migration broken #2"));
  // Table b of the failed migration was rolled back with it.
  absl::Status probe = db_->Read([](Transaction& tx) {
    return tx.Query("SELECT x FROM b", {},
                    [](const Row&) { return absl::OkStatus(); });
  });
  EXPECT_FALSE(probe.ok());
}

TEST_F(SqliteTest, SqliteCountsNoAllocations) {
  // Statements, transactions and reads allocate; with SQLite's allocation
  // statistics off (sqlite_setup.h) none of it is counted.
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(db_->Write([&](Transaction& tx) {
                     return tx.Exec(
                         "INSERT INTO things VALUES (?, ?, ?, ?)",
                         {Param(absl::StrCat("k", i)), Param(int64_t{i}),
                          Param(0.5), Param::Blob(std::string(500, 'x'))});
                   })
                    .ok());
  }
  EXPECT_EQ(Count(), 100);
  EXPECT_EQ(sqlite3_memory_used(), 0);
  EXPECT_EQ(sqlite3_memory_highwater(/*resetFlag=*/0), 0);
}

TEST(SqliteOpenTest, UnwritablePathIsAnError) {
  auto db = SqliteDatabase::Open({.path = "/proc/no/such/dir/store.db"});
  ASSERT_FALSE(db.ok());
  EXPECT_THAT(db.status().message(), HasSubstr("/proc/no/such/dir/store.db"));
}

}  // namespace
}  // namespace jalin::storage
