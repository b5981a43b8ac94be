// Retention on a real SQLite file: dead letters past retention go, young
// ones and pending deliveries stay; deliveries of a webhook that no longer
// exists go, and none are added for it. Each pass reads the rows it
// removes, not every delivery (counted in SQLite's virtual machine steps).

#include "services/notification/janitor.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/clock.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/statement_costs.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "tests/services/notification/test_support.h"

namespace jalin::notification {
namespace {

using storage::Param;

class JanitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Counting starts before the store opens its connections.
    costs_ = std::make_unique<jalin::testing::StatementCosts>();
    auto db = test::OpenStore(dir_.File("n.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    notifications_ = std::make_unique<NotificationStore>(db_.get());
    webhooks_ = std::make_unique<WebhookStore>(db_.get());
    janitor_ = std::make_unique<Janitor>(
        notifications_.get(), webhooks_.get(), &clock_,
        JanitorOptions{.retention = absl::Hours(24), .batch = 2});
  }

  void AddWebhook(const std::string& id) {
    v1::Webhook w;
    w.set_name("webhooks/" + id);
    w.set_uri("https://example.org/in");
    w.set_owner("systems/sida");
    ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) {
                     return WebhookStore::InsertWebhook(
                         tx, w, "a-secret-of-24-bytes-ok!");
                   })
                    .ok());
  }

  // Adds a delivery of `event` at `at`; true when added.
  bool Queue(const std::string& webhook, const std::string& event,
             absl::Time at) {
    bool added = false;
    EXPECT_TRUE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                     ASSIGN_OR_RETURN(
                         added, WebhookStore::InsertDelivery(
                                    tx, webhook, event,
                                    "jalin.test.thing.happened", "{}", at));
                     return absl::OkStatus();
                   })
                    .ok());
    return added;
  }

  // Dead-letters every delivery of `webhook` due at `at`, as of `at`.
  void KillDue(const std::string& webhook, absl::Time at) {
    auto due = webhooks_->Due(webhook, at, 100);
    ASSERT_TRUE(due.ok());
    for (const DeliveryJob& job : *due) {
      ASSERT_TRUE(
          webhooks_->RecordFailure(job, at, "HTTP 500", std::nullopt).ok());
    }
  }

  int64_t Count(const std::string& where) {
    int64_t n = -1;
    EXPECT_TRUE(
        db_->Read([&](storage::Transaction& tx) -> absl::Status {
             ASSIGN_OR_RETURN(
                 n, storage::QueryInt(tx,
                                      "SELECT COUNT(*) FROM webhook_deliveries "
                                      "WHERE " +
                                          where,
                                      {}));
             return absl::OkStatus();
           })
            .ok());
    return n;
  }

  const absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  FakeClock clock_{now_};
  jalin::testing::TempDir dir_;
  std::unique_ptr<jalin::testing::StatementCosts> costs_;
  std::unique_ptr<storage::SqliteDatabase> db_;
  std::unique_ptr<NotificationStore> notifications_;
  std::unique_ptr<WebhookStore> webhooks_;
  std::unique_ptr<Janitor> janitor_;
};

TEST_F(JanitorTest, DeadLettersPastRetentionGo) {
  AddWebhook("w1");
  for (const char* e : {"old1", "old2", "old3"}) {
    ASSERT_TRUE(Queue("w1", e, now_ - absl::Hours(72)));
  }
  KillDue("w1", now_ - absl::Hours(48));
  ASSERT_TRUE(Queue("w1", "young", now_ - absl::Hours(2)));
  KillDue("w1", now_ - absl::Hours(1));
  // Created long ago but still being retried: kept.
  ASSERT_TRUE(Queue("w1", "pending", now_ - absl::Hours(72)));
  ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) {
                   return tx.Exec(
                       "UPDATE webhook_deliveries SET next_attempt_time = ? "
                       "WHERE event_id = 'pending'",
                       {Param(absl::ToUnixMicros(now_ + absl::Hours(1)))});
                 })
                  .ok());
  ASSERT_EQ(Count("state = 2"), 4);

  auto n = janitor_->RunOnce();
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 3);
  EXPECT_EQ(Count("state = 2"), 1);
  EXPECT_EQ(Count("event_id = 'young'"), 1);
  EXPECT_EQ(Count("event_id = 'pending' AND state = 0"), 1);
}

TEST_F(JanitorTest, DeliveriesOfDeletedWebhooksGoAndNoneAreAdded) {
  AddWebhook("w1");
  ASSERT_TRUE(Queue("w1", "kept", now_));
  // Routed from a table loaded before the webhook was deleted: not added.
  EXPECT_FALSE(Queue("gone", "e1", now_));
  EXPECT_EQ(Count("webhook_id = 'gone'"), 0);

  // Rows an older version left behind (and their statistics), of webhooks
  // sorting before and after the live one.
  ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                   for (const auto& [id, hook] :
                        {std::pair<const char*, const char*>{"o1", "gone"},
                         {"o2", "gone"},
                         {"o3", "gone"},
                         {"o4", "zz-gone"},
                         {"o5", "zz-gone"}}) {
                     RETURN_IF_ERROR(tx.Exec(
                         "INSERT INTO webhook_deliveries (id, webhook_id, "
                         "event_id, event_type, body, state, "
                         "next_attempt_time, create_time) VALUES (?, "
                         "?, ?, 't', '{}', 0, 0, ?)",
                         {Param(id), Param(hook), Param(id),
                          Param(absl::ToUnixMicros(now_))}));
                   }
                   return tx.Exec(
                       "INSERT INTO webhook_stats (webhook_id) VALUES "
                       "('gone')",
                       {});
                 })
                  .ok());
  auto n = janitor_->RunOnce();
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 5);
  EXPECT_EQ(Count("webhook_id = 'gone'"), 0);
  EXPECT_EQ(Count("webhook_id = 'zz-gone'"), 0);
  EXPECT_EQ(Count("webhook_id = 'w1'"), 1);
  int64_t stats = -1;
  ASSERT_TRUE(db_->Read([&](storage::Transaction& tx) -> absl::Status {
                   ASSIGN_OR_RETURN(
                       stats, storage::QueryInt(
                                  tx,
                                  "SELECT COUNT(*) FROM webhook_stats WHERE "
                                  "webhook_id = 'gone'",
                                  {}));
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(stats, 0);
}

// 40,000 deliveries of four live webhooks: 36,000 delivered, 4,000 dead
// letters; 900 and 100 of them are past retention. The dead-letter pass
// reads the 100 (about 4,300 steps in batches of 50, deletions included;
// reading every dead letter in each batch took about 43,000), and the
// orphan pass walks the four webhooks (about 240 steps; reading every
// delivery took about 440,000).
TEST_F(JanitorTest, EachPassReadsWhatItRemoves) {
  for (const char* id : {"w1", "w2", "w3", "w4"}) AddWebhook(id);
  ASSERT_TRUE(
      db_->Write([&](storage::Transaction& tx) -> absl::Status {
           for (int i = 0; i < 40000; ++i) {
             const bool dead = i % 10 == 0;
             // The first 100 dead letters failed for the last time before
             // the retention cutoff.
             const absl::Time last =
                 i < 1000 ? now_ - absl::Hours(30) : now_ - absl::Hours(1);
             RETURN_IF_ERROR(tx.Exec(
                 "INSERT INTO webhook_deliveries (id, webhook_id, event_id, "
                 "event_type, body, state, next_attempt_time, "
                 "last_attempt_time, create_time) VALUES (?, ?, ?, 't', '{}', "
                 "?, 0, ?, ?)",
                 {Param(absl::StrCat("d", i)),
                  Param(absl::StrCat("w", 1 + i % 4)),
                  Param(absl::StrCat("e", i)), Param(dead ? 2 : 1),
                  Param(absl::ToUnixMicros(last)),
                  Param(absl::ToUnixMicros(last))}));
           }
           return absl::OkStatus();
         })
          .ok());
  const absl::Time cutoff = now_ - absl::Hours(24);
  costs_->Reset();
  int64_t dead_removed = 0;
  while (true) {
    auto n = webhooks_->DeleteDeadOlderThan(cutoff, 50);
    ASSERT_TRUE(n.ok()) << n.status();
    dead_removed += *n;
    if (*n < 50) break;
  }
  EXPECT_EQ(dead_removed, 100);
  const auto dead_pass = costs_->Of("FROM webhook_deliveries");
  EXPECT_EQ(dead_pass.fullscan_steps, 0) << costs_->Report();
  EXPECT_LT(dead_pass.vm_steps, 10000) << costs_->Report();

  costs_->Reset();
  auto orphans = webhooks_->DeleteOrphans(50);
  ASSERT_TRUE(orphans.ok()) << orphans.status();
  EXPECT_EQ(*orphans, 0);
  const auto orphan_pass = costs_->Of("FROM webhook_deliveries");
  EXPECT_EQ(orphan_pass.fullscan_steps, 0) << costs_->Report();
  EXPECT_LT(orphan_pass.vm_steps, 1000) << costs_->Report();

  // The rest of a pass: the 900 delivered ones past retention.
  Janitor janitor(notifications_.get(), webhooks_.get(), &clock_,
                  JanitorOptions{.retention = absl::Hours(24), .batch = 50});
  auto n = janitor.RunOnce();
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 900);
  EXPECT_EQ(Count("state = 2"), 3900);
  EXPECT_EQ(Count("state = 1"), 35100);
}

}  // namespace
}  // namespace jalin::notification
