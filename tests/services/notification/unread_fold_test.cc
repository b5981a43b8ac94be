// Unread counts as a counter per recipient up to a mark plus the entries
// above it (schema migration 3), on real SQLite files: folds that take a
// bounded batch and go back with their transaction, random operations
// checked against a count of the rows after each one, and a store that
// migration 3 finds with counters kept the old way.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/temp_dir.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/notification/notification_store.h"
#include "tests/services/notification/test_support.h"

namespace jalin::notification {
namespace {

using storage::Param;

// A fixed clock: retention cutoffs are chosen relative to it.
const absl::Time kEpoch = absl::FromUnixSeconds(1'700'000'000);

v1::Notification Make(const std::string& recipient, const std::string& event_id,
                      absl::Time created) {
  v1::Notification n;
  n.set_recipient(recipient);
  n.set_event_id(event_id);
  n.set_event_type("jalin.test.thing.happened");
  n.set_title_en("Title");
  *n.mutable_create_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(created));
  return n;
}

class UnreadFoldTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  // Opens (or reopens) the store, migrating it to the current schema.
  void Open() {
    store_.reset();
    db_.reset();
    auto db = test::OpenStore(dir_.File("n.db"), /*synchronous_full=*/false);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    store_ = std::make_unique<NotificationStore>(db_.get());
  }

  // Adds `batch` in one transaction, folding every `every`; returns the
  // sequences of the entries added (0 for a duplicate).
  std::vector<int64_t> AddBatch(const std::vector<v1::Notification>& batch,
                                int64_t every) {
    std::vector<int64_t> seqs;
    absl::Status s = db_->Write([&](storage::Transaction& tx) -> absl::Status {
      seqs.clear();
      for (const v1::Notification& n : batch) {
        StoredNotification added;
        ASSIGN_OR_RETURN(bool inserted,
                         NotificationStore::Insert(
                             tx, n, &added, FoldOptions{.every = every}));
        seqs.push_back(inserted ? added.seq : 0);
      }
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return seqs;
  }

  int64_t Add(const std::string& recipient, const std::string& event_id,
              int64_t every, absl::Time created = kEpoch) {
    return AddBatch({Make(recipient, event_id, created)}, every).front();
  }

  // One integer from a raw query (0 when there is no row).
  int64_t Int(absl::string_view sql, std::vector<Param> params = {}) {
    int64_t v = -1;
    absl::Status s = db_->Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(v, storage::QueryInt(tx, sql, params));
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return v;
  }

  int64_t Mark() { return Int("SELECT seq FROM inbox_unread_mark"); }
  // The truth: the recipient's rows that say unread.
  int64_t RowsUnread(const std::string& recipient) {
    return Int(
        "SELECT COUNT(*) FROM notifications WHERE recipient = ? AND "
        "is_read = 0",
        {Param(recipient)});
  }
  int64_t Counter(const std::string& recipient) {
    return Int("SELECT unread FROM inbox_unread WHERE recipient = ?",
               {Param(recipient)});
  }

  absl::StatusOr<int> MarkRead(const std::string& recipient, int64_t seq) {
    int marked = -1;
    absl::Status s = db_->Write([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(marked, NotificationStore::MarkRead(
                                   tx, recipient, NotificationId(seq)));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return marked;
  }

  jalin::testing::TempDir dir_;
  std::unique_ptr<storage::SqliteDatabase> db_;
  std::unique_ptr<NotificationStore> store_;
};

TEST_F(UnreadFoldTest, FoldTakesABoundedBatchAndGoesBackWithItsTransaction) {
  EXPECT_EQ(Mark(), 0);
  // Below the threshold nothing is folded: counted from the rows.
  std::vector<int64_t> seqs;
  for (int i = 0; i < 10; ++i) {
    seqs.push_back(Add(i % 2 == 0 ? "enterprises/a" : "enterprises/b",
                       absl::StrCat("e", i), /*every=*/100));
  }
  EXPECT_EQ(Mark(), 0);
  EXPECT_EQ(Counter("enterprises/a"), 0);
  EXPECT_EQ(*store_->UnreadCount("enterprises/a"), 5);
  ASSERT_EQ(*MarkRead("enterprises/b", seqs[1]), 1);  // above the mark

  // A lower threshold folds at most that many entries at a time.
  Add("enterprises/a", "e10", /*every=*/4);
  EXPECT_EQ(Mark(), seqs[3]);
  EXPECT_EQ(Counter("enterprises/a"), 2);  // e0, e2
  EXPECT_EQ(Counter("enterprises/b"), 1);  // e3; e1 was read
  EXPECT_EQ(*store_->UnreadCount("enterprises/a"), 6);
  EXPECT_EQ(*store_->UnreadCount("enterprises/b"), 4);
  // The next insert takes the next batch.
  Add("enterprises/b", "e11", /*every=*/4);
  EXPECT_EQ(Mark(), seqs[7]);
  EXPECT_EQ(Counter("enterprises/a"), 4);
  EXPECT_EQ(Counter("enterprises/b"), 3);
  EXPECT_EQ(*store_->UnreadCount("enterprises/a"), 6);
  EXPECT_EQ(*store_->UnreadCount("enterprises/b"), 5);

  // A transaction that fails after folding takes its folds with it.
  absl::Status failed =
      db_->Write([&](storage::Transaction& tx) -> absl::Status {
        for (int i = 0; i < 3; ++i) {
          StoredNotification added;
          RETURN_IF_ERROR(
              NotificationStore::Insert(
                  tx, Make("enterprises/a", absl::StrCat("x", i), kEpoch),
                  &added, FoldOptions{.every = 2})
                  .status());
        }
        EXPECT_GT(
            *storage::QueryInt(tx, "SELECT seq FROM inbox_unread_mark", {}),
            seqs[7]);
        return absl::AbortedError("rolled back");
      });
  EXPECT_EQ(failed.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Mark(), seqs[7]);
  EXPECT_EQ(Counter("enterprises/a"), 4);
  EXPECT_EQ(*store_->UnreadCount("enterprises/a"), 6);
  EXPECT_EQ(*store_->UnreadCount("enterprises/b"), 5);
}

// A few thousand random operations over 20 recipients, folding every few
// inserts; after each, every recipient's count equals its unread rows.
TEST_F(UnreadFoldTest, RandomOperationsKeepEveryCountExact) {
  constexpr int kRecipients = 20;
  constexpr int kOps = 3000;
  std::mt19937 rng(20240917);
  auto uniform = [&](int lo, int hi) {  // [lo, hi]
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  auto recipient = [&](int i) { return absl::StrCat("enterprises/r", i); };
  // An index into a vector of `size` (> 0), half the time among its last
  // 6: the entries above the mark are the newest few.
  auto pick = [&](size_t size) -> size_t {
    const int n = static_cast<int>(size);
    return uniform(0, 1) == 0 ? uniform(0, n - 1)
                              : uniform(std::max(0, n - 6), n - 1);
  };
  // What was added: (recipient, seq, event id); some since deleted.
  struct Entry {
    std::string recipient;
    int64_t seq;
    std::string event_id;
  };
  std::vector<Entry> entries;
  int next_event = 0;
  int folds = 0, above_mark_reads = 0, above_mark_deletes = 0;

  auto random_batch = [&] {
    std::vector<v1::Notification> batch;
    const int size = uniform(1, 10);
    for (int i = 0; i < size; ++i) {
      // Now and then a duplicate, which uses up a sequence and adds nothing.
      const bool duplicate = !entries.empty() && uniform(0, 9) == 0;
      const Entry* dup = duplicate ? &entries[pick(entries.size())] : nullptr;
      batch.push_back(
          Make(dup != nullptr ? dup->recipient
                              : recipient(uniform(0, kRecipients - 1)),
               dup != nullptr ? dup->event_id : absl::StrCat("e", next_event++),
               kEpoch + absl::Seconds(uniform(0, 999))));
    }
    return batch;
  };

  for (int op = 0; op < kOps; ++op) {
    SCOPED_TRACE(absl::StrCat("operation ", op));
    const int64_t mark_before = Mark();
    const int kind = uniform(0, 99);
    if (op == kOps / 2 || kind < 1) {
      Open();  // the store reopened: all state is in the file
    } else if (kind < 50) {
      const std::vector<v1::Notification> batch = random_batch();
      const std::vector<int64_t> seqs = AddBatch(batch, uniform(2, 6));
      ASSERT_EQ(seqs.size(), batch.size());
      for (size_t i = 0; i < seqs.size(); ++i) {
        if (seqs[i] != 0) {
          entries.push_back(
              {batch[i].recipient(), seqs[i], batch[i].event_id()});
        }
      }
    } else if (kind < 55) {
      // Inserts (and folds) in a transaction that then fails.
      const std::vector<v1::Notification> batch = random_batch();
      absl::Status s =
          db_->Write([&](storage::Transaction& tx) -> absl::Status {
            for (const v1::Notification& n : batch) {
              StoredNotification added;
              RETURN_IF_ERROR(NotificationStore::Insert(tx, n, &added,
                                                        FoldOptions{.every = 2})
                                  .status());
            }
            return absl::AbortedError("rolled back");
          });
      ASSERT_EQ(s.code(), absl::StatusCode::kAborted);
    } else if (kind < 85) {
      if (entries.empty()) continue;
      const Entry& e = entries[pick(entries.size())];
      // Sometimes asked by another recipient, which cannot reach it.
      const bool other = uniform(0, 9) == 0;
      const std::string who =
          other ? recipient(uniform(0, kRecipients - 1)) : e.recipient;
      const int64_t was_unread =
          Int("SELECT COUNT(*) FROM notifications WHERE seq = ? AND "
              "recipient = ? AND is_read = 0",
              {Param(e.seq), Param(who)});
      const int64_t exists =
          Int("SELECT COUNT(*) FROM notifications WHERE seq = ? AND "
              "recipient = ?",
              {Param(e.seq), Param(who)});
      absl::StatusOr<int> marked = MarkRead(who, e.seq);
      if (exists == 0) {
        ASSERT_EQ(marked.status().code(), absl::StatusCode::kNotFound);
      } else {
        ASSERT_TRUE(marked.ok()) << marked.status();
        ASSERT_EQ(*marked, was_unread);
        if (was_unread == 1 && e.seq > mark_before) ++above_mark_reads;
      }
    } else if (kind < 88) {
      const std::string who = recipient(uniform(0, kRecipients - 1));
      const int64_t unread = RowsUnread(who);
      int marked = -1;
      ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                       ASSIGN_OR_RETURN(
                           marked, NotificationStore::MarkAllRead(tx, who));
                       return absl::OkStatus();
                     })
                      .ok());
      ASSERT_EQ(marked, unread);
    } else {
      // Retention of a batch: creation times are random, so it takes
      // entries on both sides of the mark.
      const absl::Time cutoff = kEpoch + absl::Seconds(uniform(0, 999));
      const int limit = uniform(1, 30);
      above_mark_deletes +=
          Int("SELECT COUNT(*) FROM notifications WHERE is_read = 0 AND "
              "seq > ? AND seq IN (SELECT seq FROM notifications WHERE "
              "create_time < ? ORDER BY create_time, seq LIMIT ?)",
              {Param(mark_before), Param(absl::ToUnixMicros(cutoff)),
               Param(limit)});
      absl::StatusOr<int64_t> deleted = store_->DeleteOlderThan(cutoff, limit);
      ASSERT_TRUE(deleted.ok()) << deleted.status();
    }
    if (Mark() != mark_before) ++folds;
    for (int r = 0; r < kRecipients; ++r) {
      absl::StatusOr<int64_t> count = store_->UnreadCount(recipient(r));
      ASSERT_TRUE(count.ok()) << count.status();
      ASSERT_EQ(*count, RowsUnread(recipient(r))) << recipient(r);
    }
  }
  EXPECT_EQ(Int("SELECT COUNT(*) FROM inbox_unread WHERE unread < 0"), 0);
  // The operations did reach what they were meant to test.
  EXPECT_GT(folds, 500);
  EXPECT_GT(above_mark_reads, 50);
  EXPECT_GT(above_mark_deletes, 50);
  EXPECT_GT(Int("SELECT COUNT(*) FROM notifications"), 500);
}

// A store that migrations 1 and 2 left, with counters kept with every
// insert: migration 3 keeps its counts, and what comes after is counted.
TEST(UnreadFoldMigrationTest, VersionTwoStoreKeepsItsCounts) {
  jalin::testing::TempDir dir;
  const std::string path = dir.File("n.db");
  const absl::Time now = absl::Now();
  {
    // The inbox tables as migrations 1 and 2 made them, and the webhook
    // deliveries that a later migration indexes (the other tables are of no
    // concern here), filled as the code before migration 3 did.
    constexpr storage::Migration kVersion2[] = {
        {1, "inboxes", R"sql(
CREATE TABLE notifications (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient TEXT NOT NULL,
  event_id TEXT NOT NULL,
  is_read INTEGER NOT NULL DEFAULT 0,
  create_time INTEGER NOT NULL,
  message BLOB NOT NULL
);
CREATE UNIQUE INDEX notifications_once ON notifications (event_id, recipient);
CREATE INDEX notifications_by_recipient ON notifications (recipient, seq);
CREATE TABLE inbox_unread (
  recipient TEXT PRIMARY KEY,
  unread INTEGER NOT NULL
);
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL,
  state INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_time INTEGER NOT NULL,
  first_attempt_time INTEGER,
  last_attempt_time INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  duration_ms REAL,
  create_time INTEGER NOT NULL,
  UNIQUE (webhook_id, event_id)
);
)sql"},
        {2, "notifications by creation time", R"sql(
CREATE INDEX notifications_by_time ON notifications (create_time);
)sql"},
    };
    auto db = storage::SqliteDatabase::Open({.path = path});
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Migrate("notification", kVersion2).ok());
    const std::string blob = v1::Notification().SerializeAsString();
    ASSERT_TRUE(
        (*db)
            ->Write([&](storage::Transaction& tx) -> absl::Status {
              // a: 3 entries, one read, one old; b: 2; a deleted third one
              // of b's left the sequence higher than any row.
              struct Row {
                const char* recipient;
                const char* event;
                int read;
                absl::Time created;
              };
              for (const Row& r :
                   {Row{"enterprises/a", "e1", 0, now - absl::Hours(48)},
                    Row{"enterprises/a", "e2", 1, now},
                    Row{"enterprises/b", "e2", 0, now},
                    Row{"enterprises/a", "e3", 0, now},
                    Row{"enterprises/b", "e4", 0, now},
                    Row{"enterprises/b", "e5", 0, now}}) {
                RETURN_IF_ERROR(tx.Exec(
                    "INSERT INTO notifications (recipient, event_id, "
                    "is_read, create_time, message) VALUES (?, ?, ?, ?, ?)",
                    {Param(r.recipient), Param(r.event), Param(r.read),
                     Param(absl::ToUnixMicros(r.created)), Param::Blob(blob)}));
              }
              RETURN_IF_ERROR(
                  tx.Exec("DELETE FROM notifications WHERE event_id = 'e5'"));
              return tx.Exec(
                  "INSERT INTO inbox_unread (recipient, unread) VALUES "
                  "('enterprises/a', 2), ('enterprises/b', 2)");
            })
            .ok());
  }

  auto db = test::OpenStore(path);
  ASSERT_TRUE(db.ok()) << db.status();
  NotificationStore store(db->get());
  auto query = [&](absl::string_view sql) {
    int64_t v = -1;
    EXPECT_TRUE((*db)
                    ->Read([&](storage::Transaction& tx) -> absl::Status {
                      ASSIGN_OR_RETURN(v, storage::QueryInt(tx, sql, {}));
                      return absl::OkStatus();
                    })
                    .ok());
    return v;
  };
  EXPECT_EQ(query("SELECT MAX(version) FROM jalin_schema WHERE component = "
                  "'notification'"),
            5);
  EXPECT_EQ(query("SELECT seq FROM inbox_unread_mark"), 5);
  EXPECT_EQ(*store.UnreadCount("enterprises/a"), 2);
  EXPECT_EQ(*store.UnreadCount("enterprises/b"), 2);
  EXPECT_EQ(*store.UnreadCount("enterprises/c"), 0);

  auto add = [&](const std::string& recipient, const std::string& event) {
    StoredNotification added;
    EXPECT_TRUE((*db)
                    ->Write([&](storage::Transaction& tx) -> absl::Status {
                      return NotificationStore::Insert(
                                 tx, Make(recipient, event, now), &added)
                          .status();
                    })
                    .ok());
    return added.seq;
  };
  const int64_t e6 = add("enterprises/a", "e6");
  EXPECT_EQ(e6, 7);  // after the deleted 6
  add("enterprises/c", "e6");
  EXPECT_EQ(*store.UnreadCount("enterprises/a"), 3);
  EXPECT_EQ(*store.UnreadCount("enterprises/c"), 1);
  // Reading an old entry and a new one, and retention of an old one.
  auto mark_read = [&](const std::string& recipient, int64_t seq) {
    int marked = -1;
    EXPECT_TRUE((*db)
                    ->Write([&](storage::Transaction& tx) -> absl::Status {
                      ASSIGN_OR_RETURN(marked,
                                       NotificationStore::MarkRead(
                                           tx, recipient, NotificationId(seq)));
                      return absl::OkStatus();
                    })
                    .ok());
    return marked;
  };
  EXPECT_EQ(mark_read("enterprises/a", 4), 1);
  EXPECT_EQ(*store.UnreadCount("enterprises/a"), 2);
  EXPECT_EQ(mark_read("enterprises/a", e6), 1);
  EXPECT_EQ(*store.UnreadCount("enterprises/a"), 1);
  EXPECT_EQ(*store.DeleteOlderThan(now - absl::Hours(24), 100), 1);
  EXPECT_EQ(*store.UnreadCount("enterprises/a"), 0);
  EXPECT_EQ(*store.UnreadCount("enterprises/b"), 2);
  EXPECT_EQ(*store.UnreadCount("enterprises/c"), 1);
}

}  // namespace
}  // namespace jalin::notification
