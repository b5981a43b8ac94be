// The inbox table on a real SQLite file: one entry per (recipient, event),
// paging, read marks, the live tail and retention, and what an unread page
// of a large inbox reads.

#include "services/notification/notification_store.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/statement_costs.h"
#include "common/testing/temp_dir.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/services/notification/test_support.h"

namespace jalin::notification {
namespace {

class NotificationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Counting starts before the store opens its connections.
    costs_ = std::make_unique<jalin::testing::StatementCosts>();
    auto db = test::OpenStore(dir_.File("n.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    store_ = std::make_unique<NotificationStore>(db_.get());
  }

  // Adds a notification of `event_id` for `recipient`; returns whether it
  // was new.
  bool Add(const std::string& recipient, const std::string& event_id,
           absl::Time created = absl::Now()) {
    v1::Notification n;
    n.set_recipient(recipient);
    n.set_event_id(event_id);
    n.set_event_type("jalin.test.thing.happened");
    n.set_title_id("Judul");
    n.set_title_en("Title");
    *n.mutable_create_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(created));
    bool added = false;
    absl::Status s = db_->Write([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(added, NotificationStore::Insert(tx, n));
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return added;
  }

  jalin::testing::TempDir dir_;
  std::unique_ptr<jalin::testing::StatementCosts> costs_;
  std::unique_ptr<storage::SqliteDatabase> db_;
  std::unique_ptr<NotificationStore> store_;
};

TEST_F(NotificationStoreTest, OneEntryPerRecipientAndEvent) {
  EXPECT_TRUE(Add("enterprises/a", "e1"));
  EXPECT_FALSE(Add("enterprises/a", "e1"));
  EXPECT_TRUE(Add("enterprises/b", "e1"));
  auto a = store_->ListAfter("enterprises/a", 0, 100);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ(a->front().message.event_id(), "e1");
  EXPECT_EQ(a->front().message.recipient(), "enterprises/a");
  EXPECT_EQ(a->front().message.name(),
            "recipients/enterprises~a/notifications/" +
                NotificationId(a->front().seq));
  EXPECT_EQ(a->front().message.title_en(), "Title");
  EXPECT_FALSE(a->front().message.read());
  EXPECT_EQ(a->front().message.cursor(), EncodeCursor(a->front().seq));
}

TEST_F(NotificationStoreTest, PagesAreNewestFirstAndComplete) {
  for (int i = 0; i < 25; ++i) Add("enterprises/a", absl::StrCat("e", i));
  Add("enterprises/b", "other");
  std::vector<std::string> seen;
  int64_t before = 0;
  bool more = true;
  while (more) {
    auto page = store_->ListPage("enterprises/a", false, before, 10, &more);
    ASSERT_TRUE(page.ok());
    ASSERT_FALSE(page->empty());
    for (const auto& n : *page) seen.push_back(n.message.event_id());
    before = page->back().seq;
  }
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_EQ(seen.front(), "e24");
  EXPECT_EQ(seen.back(), "e0");
}

TEST_F(NotificationStoreTest, MarkReadOneAndAll) {
  Add("enterprises/a", "e1");
  Add("enterprises/a", "e2");
  Add("enterprises/a", "e3");
  EXPECT_EQ(*store_->UnreadCount("enterprises/a"), 3);
  auto first = store_->ListAfter("enterprises/a", 0, 1);
  const std::string name = first->front().message.name();
  const std::string id = name.substr(name.rfind('/') + 1);
  int marked = -1;
  ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                   ASSIGN_OR_RETURN(marked, NotificationStore::MarkRead(
                                                tx, "enterprises/a", id));
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(marked, 1);
  EXPECT_EQ(*store_->UnreadCount("enterprises/a"), 2);
  EXPECT_TRUE(store_->Get("enterprises/a", id)->read());
  // Marking again changes nothing; another recipient cannot reach it.
  ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                   ASSIGN_OR_RETURN(marked, NotificationStore::MarkRead(
                                                tx, "enterprises/a", id));
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(marked, 0);
  absl::Status other = db_->Write([&](storage::Transaction& tx) {
    return NotificationStore::MarkRead(tx, "enterprises/b", id).status();
  });
  EXPECT_EQ(other.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->Get("enterprises/b", id).status().code(),
            absl::StatusCode::kNotFound);

  bool more = false;
  auto unread = store_->ListPage("enterprises/a", true, 0, 10, &more);
  ASSERT_EQ(unread->size(), 2u);
  ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                   ASSIGN_OR_RETURN(marked, NotificationStore::MarkAllRead(
                                                tx, "enterprises/a"));
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(marked, 2);
  EXPECT_EQ(*store_->UnreadCount("enterprises/a"), 0);
}

// A facilitator's inbox of 20,000 entries, all read but the two oldest,
// among others' entries. The unread page walks the inbox's index entries,
// newest first, and reads rows only for the two it returns: about 140
// pages. Reading each entry's row for its read mark took about 40,000 (the
// virtual machine steps are the same either way, about 100,000).
TEST_F(NotificationStoreTest, AnUnreadPageReadsTheIndexNotEveryRow) {
  const std::string me = "users/fasil";
  const std::string blob(600, 'x');
  ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                   for (int i = 0; i < 40000; ++i) {
                     v1::Notification n;
                     n.set_recipient(
                         i % 2 == 0 ? me
                                    : absl::StrCat("enterprises/e", i % 97));
                     n.set_event_id(absl::StrCat("e", i));
                     n.set_title_en(blob);
                     RETURN_IF_ERROR(NotificationStore::Insert(tx, n).status());
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  // Everything read, then the two oldest marked unread again directly (the
  // unread counters are not read here).
  int read = 0;
  ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                   ASSIGN_OR_RETURN(read,
                                    NotificationStore::MarkAllRead(tx, me));
                   return tx.Exec(
                       "UPDATE notifications SET is_read = 0 WHERE seq IN "
                       "(SELECT seq FROM notifications WHERE recipient = ? "
                       "ORDER BY seq LIMIT 2)",
                       {storage::Param(me)});
                 })
                  .ok());
  EXPECT_EQ(read, 20000);

  costs_->Reset();
  bool more = true;
  auto page = store_->ListPage(me, true, 0, 50, &more);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->size(), 2u);
  EXPECT_FALSE(more);
  const auto cost = costs_->Of("FROM notifications");
  EXPECT_EQ(cost.fullscan_steps, 0) << costs_->Report();
  EXPECT_LT(cost.pages, 1000) << costs_->Report();
}

TEST_F(NotificationStoreTest, TailFollowsSequenceAcrossRecipients) {
  Add("enterprises/a", "e1");
  Add("enterprises/b", "e1");
  Add("enterprises/a", "e2");
  auto all = store_->Tail(0, 100);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_LT((*all)[0].seq, (*all)[1].seq);
  EXPECT_LT((*all)[1].seq, (*all)[2].seq);
  EXPECT_EQ((*all)[1].message.recipient(), "enterprises/b");
  auto rest = store_->Tail((*all)[0].seq, 100);
  EXPECT_EQ(rest->size(), 2u);
  EXPECT_EQ(*store_->MaxSeq(), (*all)[2].seq);
}

TEST_F(NotificationStoreTest,
       RetentionDeletesOnlyOldEntriesAndNeverReusesSequence) {
  const absl::Time now = absl::Now();
  Add("enterprises/a", "old1", now - absl::Hours(48));
  Add("enterprises/a", "old2", now - absl::Hours(30));
  Add("enterprises/a", "new", now);
  const int64_t max_before = *store_->MaxSeq();
  auto deleted = store_->DeleteOlderThan(now - absl::Hours(24), 1000);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 2);
  auto left = store_->ListAfter("enterprises/a", 0, 10);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().message.event_id(), "new");
  // Unread counts follow the deletion.
  EXPECT_EQ(*store_->UnreadCount("enterprises/a"), 1);
  // Deleting the newest row must not let a later row reuse its sequence (a
  // cursor would then skip it).
  auto newest = store_->DeleteOlderThan(now + absl::Hours(1), 1000);
  EXPECT_EQ(*newest, 1);
  Add("enterprises/a", "after");
  EXPECT_GT(*store_->MaxSeq(), max_before);
}

TEST_F(NotificationStoreTest, RetentionDeletesOldEntriesBehindAFutureDatedOne) {
  const absl::Time now = absl::Now();
  Add("enterprises/a", "old1", now - absl::Hours(48));
  // Written while the clock was a year ahead.
  Add("enterprises/a", "ahead", now + absl::Hours(24 * 365));
  Add("enterprises/a", "old2", now - absl::Hours(30));
  Add("enterprises/b", "old3", now - absl::Hours(30));
  Add("enterprises/a", "new", now);
  auto deleted = store_->DeleteOlderThan(now - absl::Hours(24), 1000);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 3);
  auto left = store_->ListAfter("enterprises/a", 0, 10);
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 2u);
  EXPECT_EQ(left->at(0).message.event_id(), "ahead");
  EXPECT_EQ(left->at(1).message.event_id(), "new");
  EXPECT_EQ(*store_->UnreadCount("enterprises/a"), 2);
  EXPECT_EQ(*store_->UnreadCount("enterprises/b"), 0);
  // Small batches get there too, oldest first.
  Add("enterprises/a", "old4", now - absl::Hours(40));
  Add("enterprises/a", "old5", now - absl::Hours(50));
  EXPECT_EQ(*store_->DeleteOlderThan(now - absl::Hours(24), 1), 1);
  EXPECT_EQ(*store_->DeleteOlderThan(now - absl::Hours(24), 1), 1);
  EXPECT_EQ(*store_->DeleteOlderThan(now - absl::Hours(24), 1), 0);
  EXPECT_EQ(*store_->UnreadCount("enterprises/a"), 2);
}

TEST_F(NotificationStoreTest, LastIssuedSeqSurvivesDeletion) {
  EXPECT_EQ(*store_->LastIssuedSeq(), 0);
  Add("enterprises/a", "e1");
  Add("enterprises/a", "e2");
  const int64_t last = *store_->MaxSeq();
  EXPECT_EQ(*store_->LastIssuedSeq(), last);
  ASSERT_EQ(*store_->DeleteOlderThan(absl::Now() + absl::Hours(1), 1000), 2);
  EXPECT_EQ(*store_->MaxSeq(), 0);
  EXPECT_EQ(*store_->LastIssuedSeq(), last);  // its cursors stay valid
}

TEST(CursorTest, IdsAreSequencesInDecimal) {
  EXPECT_EQ(NotificationId(42), "42");
  EXPECT_EQ(*ParseNotificationId("42"), 42);
  for (const char* bad : {"", "0", "042", "-1", "x1", "01j9abc"}) {
    EXPECT_FALSE(ParseNotificationId(bad).has_value()) << bad;
  }
}

TEST(CursorTest, RoundTripAndRejects) {
  EXPECT_EQ(*DecodeCursor(EncodeCursor(42), "cursor"), 42);
  for (const char* bad :
       {"", "42", "c", "c-1", "cx", "c99999999999999999999"}) {
    auto r = DecodeCursor(bad, "cursor");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace jalin::notification
