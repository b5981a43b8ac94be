// RevisionClock on a real SQLite store and the Redis cache on a real
// redis-server: revisions keep rising across a restart behind the clock, so
// the cache takes the changes made after it.

#include "services/registry/revision_clock.h"

#include <memory>
#include <string>

#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "gtest/gtest.h"
#include "jalin/registry/v1/agreement.pb.h"
#include "services/registry/redis_record_cache.h"
#include "services/registry/schema.h"
#include "tests/services/registry/record_cache_fixture.h"

namespace jalin::registry {
namespace {

constexpr char kName[] = "agreements/a";

class RevisionClockTest : public RecordCacheTest {
 protected:
  RevisionClockTest() : RecordCacheTest(absl::Minutes(10)) {}

  void SetUp() override {
    RecordCacheTest::SetUp();
    if (HasFatalFailure()) return;
    Start();
  }

  // Opens the store and a clock seeded from it, as the registry does at
  // start; closes what an earlier Start opened first.
  void Start() {
    revisions_.reset();
    db_.reset();
    auto db = storage::SqliteDatabase::Open({.path = dir_.File("registry.db")});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(MigrateRegistry(*db_).ok());
    absl::StatusOr<int64_t> floor = LoadRevisionFloor(*db_);
    ASSERT_TRUE(floor.ok()) << floor.status();
    revisions_ = std::make_unique<RevisionClock>(&clock_, *floor);
  }

  // A change of the agreement committed the way the registry commits one:
  // a new revision, covered in the transaction that stores the record at
  // it (or deletes it), and a tombstone once it committed. Returns the
  // revision.
  int64_t Change(bool deleted = false) {
    int64_t revision = 0;
    absl::Status s = db_->Write([&](storage::Transaction& tx) -> absl::Status {
      revision = revisions_->Next();
      RETURN_IF_ERROR(revisions_->Cover(tx, revision));
      RETURN_IF_ERROR(tx.Exec("DELETE FROM agreements WHERE id = 'a'"));
      if (deleted) return absl::OkStatus();
      v1::Agreement a;
      a.set_name(kName);
      a.mutable_meta()->set_etag(EtagOf(revision));
      return tx.Exec(
          "INSERT INTO agreements (id, status, data) VALUES ('a', 1, ?)",
          {storage::Param::Blob(a.SerializeAsString())});
    });
    EXPECT_TRUE(s.ok()) << s;
    const RecordCache::Change change{kName, revision};
    cache_->Invalidate({&change, 1});
    return revision;
  }

  int64_t StoredMark() {
    int64_t mark = -1;
    EXPECT_TRUE(db_->Read([&](storage::Transaction& tx) -> absl::Status {
                     ASSIGN_OR_RETURN(
                         mark, storage::QueryInt(tx,
                                                 "SELECT revision FROM "
                                                 "registry_revision_mark",
                                                 {}, -1));
                     return absl::OkStatus();
                   })
                    .ok());
    return mark;
  }

  std::unique_ptr<storage::SqliteDatabase> db_;
  std::unique_ptr<RevisionClock> revisions_;
};

TEST_F(RevisionClockTest, RisesWhenTheClockStallsOrStepsBack) {
  const int64_t first = revisions_->Next();
  EXPECT_EQ(first, absl::ToUnixMicros(clock_.Now()));
  EXPECT_EQ(revisions_->Next(), first + 1);
  clock_.Advance(-absl::Hours(1));
  EXPECT_EQ(revisions_->Next(), first + 2);
  clock_.Advance(absl::Hours(2));
  EXPECT_EQ(revisions_->Next(), absl::ToUnixMicros(clock_.Now()));
}

TEST_F(RevisionClockTest, ARestartBehindTheClockStaysAboveEveryRevision) {
  Change();
  cache_->Fill(kName, Change(), "v1");
  // The last change of this run is a deletion: only its tombstone holds
  // its revision, no row does.
  const int64_t deleted = Change(/*deleted=*/true);
  ASSERT_FALSE(cache_->Get(kName).has_value());

  // Restart with the clock an hour behind (an NTP step, a VM migration).
  clock_.Advance(-absl::Hours(1));
  Start();
  const int64_t recreated = Change();
  EXPECT_GT(recreated, deleted);
  // The cache takes the record made after the restart...
  cache_->Fill(kName, recreated, "v2");
  EXPECT_EQ(cache_->Get(kName), "v2");
  // ...and a change of it retires it.
  const int64_t updated = Change();
  EXPECT_GT(updated, recreated);
  EXPECT_FALSE(cache_->Get(kName).has_value());
  cache_->Fill(kName, updated, "v3");
  EXPECT_EQ(cache_->Get(kName), "v3");
}

TEST_F(RevisionClockTest, TheMarkIsWrittenOnceAMinuteAndOnlyByACommit) {
  ASSERT_EQ(StoredMark(), 0);
  const int64_t first = Change();
  EXPECT_EQ(StoredMark(), first + RevisionClock::kMarkLead);
  clock_.Advance(absl::Seconds(30));
  Change();
  EXPECT_EQ(StoredMark(), first + RevisionClock::kMarkLead);

  // A transaction that rolls back leaves the mark as it was, and the next
  // commit past the mark raises it.
  clock_.Advance(absl::Seconds(45));
  int64_t lost = 0;
  EXPECT_FALSE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                    lost = revisions_->Next();
                    RETURN_IF_ERROR(revisions_->Cover(tx, lost));
                    return absl::AbortedError("rolled back");
                  })
                   .ok());
  EXPECT_EQ(StoredMark(), first + RevisionClock::kMarkLead);
  const int64_t next = Change();
  EXPECT_EQ(StoredMark(), next + RevisionClock::kMarkLead);
}

TEST_F(RevisionClockTest, AStoreFromBeforeTheMarkStartsAboveItsRecords) {
  // Written by a binary without the mark: a record at a revision an hour
  // ahead of the clock, and the mark at 0.
  const int64_t ahead = absl::ToUnixMicros(clock_.Now() + absl::Hours(1));
  v1::Agreement a;
  a.set_name(kName);
  a.mutable_meta()->set_etag(EtagOf(ahead));
  ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) {
                   return tx.Exec(
                       "INSERT INTO agreements (id, status, data) "
                       "VALUES ('a', 1, ?)",
                       {storage::Param::Blob(a.SerializeAsString())});
                 })
                  .ok());
  Start();
  // The records were read once: their largest revision is now the mark.
  EXPECT_EQ(StoredMark(), ahead);
  EXPECT_GT(Change(), ahead);
}

}  // namespace
}  // namespace jalin::registry
