// Routing one event into inboxes and webhook deliveries, on a real SQLite
// store: recipients from the event, from subscriptions and from the
// registry's cluster leaders; exactly one entry per recipient and one
// delivery per webhook however often the event comes.

#include "services/notification/router.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/events/event_consumer.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/redis_server.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/notification/notification_store.h"
#include "services/notification/subscription_store.h"
#include "services/notification/webhook_store.h"
#include "tests/services/notification/test_support.h"

namespace jalin::notification {
namespace {

using ::testing::UnorderedElementsAre;

class FakeDirectory : public ClusterDirectory {
 public:
  absl::StatusOr<type::v1::Contact> Leader(const std::string& c) override {
    ++calls;
    if (down) return absl::UnavailableError("registry down");
    auto it = leaders.find(c);
    if (it == leaders.end()) return absl::NotFoundError(c);
    type::v1::Contact contact;
    contact.set_display_name(it->second);
    return contact;
  }
  std::map<std::string, std::string> leaders;
  bool down = false;
  int calls = 0;
};

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = test::OpenStore(dir_.File("n.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(events::EventConsumer::Migrate(*db_).ok());
    notifications_ = std::make_unique<NotificationStore>(db_.get());
    subscriptions_ = std::make_unique<SubscriptionStore>(db_.get());
    webhooks_ = std::make_unique<WebhookStore>(db_.get());
    table_ =
        std::make_unique<RoutingTable>(subscriptions_.get(), webhooks_.get());
    router_ = std::make_unique<Router>(
        &renderer_, &directory_, table_.get(), SystemClock::Get(),
        RouterHooks{.notifications_committed =
                        [this](std::vector<StoredNotification> added) {
                          ++committed_;
                          handed_.insert(handed_.end(), added.begin(),
                                         added.end());
                        },
                    .deliveries_committed = [this] { ++queued_; }});
  }

  void Subscribe(const std::string& recipient, v1::Filter filter) {
    v1::Subscription s;
    s.set_name(absl::StrCat("subscriptions/s", ++ids_));
    s.set_recipient(recipient);
    s.set_owner(recipient);
    *s.mutable_filter() = std::move(filter);
    ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) {
                     return SubscriptionStore::Insert(tx, s);
                   })
                    .ok());
    ASSERT_TRUE(table_->ReloadSubscriptions().ok());
  }

  std::string AddWebhook(v1::Filter filter, bool disabled = false) {
    v1::Webhook w;
    const std::string id = absl::StrCat("w", ++ids_);
    w.set_name("webhooks/" + id);
    w.set_uri("http://127.0.0.1:9/hook");
    w.set_owner("systems/sida");
    w.set_disabled(disabled);
    *w.mutable_filter() = std::move(filter);
    EXPECT_TRUE(db_->Write([&](storage::Transaction& tx) {
                     return WebhookStore::InsertWebhook(tx, w,
                                                        "0123456789abcdef");
                   })
                    .ok());
    EXPECT_TRUE(table_->ReloadWebhooks().ok());
    return id;
  }

  absl::Status Route(const events::v1::Event& e) {
    return db_->Write(
        [&](storage::Transaction& tx) { return router_->Route(e, tx); });
  }

  std::vector<std::string> Recipients(const std::string& event_id) {
    std::vector<std::string> out;
    auto all = notifications_->Tail(0, 10000);
    for (const auto& n : *all) {
      if (n.message.event_id() == event_id)
        out.push_back(n.message.recipient());
    }
    return out;
  }

  int64_t Deliveries(const std::string& webhook_id) {
    auto due = webhooks_->Due(webhook_id, absl::Now() + absl::Hours(1), 10000);
    return due.ok() ? static_cast<int64_t>(due->size()) : -1;
  }

  jalin::testing::TempDir dir_;
  std::unique_ptr<storage::SqliteDatabase> db_;
  std::unique_ptr<NotificationStore> notifications_;
  std::unique_ptr<SubscriptionStore> subscriptions_;
  std::unique_ptr<WebhookStore> webhooks_;
  std::unique_ptr<RoutingTable> table_;
  Renderer renderer_{nullptr};
  FakeDirectory directory_;
  std::unique_ptr<Router> router_;
  int committed_ = 0;
  // Entries the commit hook handed over, in the order it got them.
  std::vector<StoredNotification> handed_;
  int queued_ = 0;
  int ids_ = 0;
};

TEST_F(RouterTest, PartiesAndMatchingSubscribersAreTold) {
  v1::Filter province;
  province.add_regions("regions/33");
  province.add_event_types("jalin.matching.proposal.*");
  Subscribe("users/facilitator-33", province);
  v1::Filter elsewhere;
  elsewhere.add_regions("regions/35");
  Subscribe("users/facilitator-35", elsewhere);

  events::v1::Event e = test::ProposalEvent("created", "enterprises/supplier",
                                            "partners/buyer", "regions/33.13");
  ASSERT_TRUE(Route(e).ok());
  EXPECT_THAT(Recipients(e.id()),
              UnorderedElementsAre("enterprises/supplier", "partners/buyer",
                                   "users/facilitator-33"));
  EXPECT_EQ(committed_, 1);
  auto n = notifications_->ListAfter("partners/buyer", 0, 10);
  ASSERT_EQ(n->size(), 1u);
  EXPECT_EQ(n->front().message.event_type(), "jalin.matching.proposal.created");
  EXPECT_EQ(n->front().message.subject(), e.subject());
  EXPECT_FALSE(n->front().message.title_id().empty());
  EXPECT_FALSE(n->front().message.title_en().empty());
  EXPECT_THAT(n->front().message.regions(),
              UnorderedElementsAre("regions/33.13"));
  // The hook hands over the committed entries exactly as the store returns
  // them (live streams send these without reading them back).
  auto stored = notifications_->Tail(0, 100);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(handed_.size(), stored->size());
  for (size_t i = 0; i < handed_.size(); ++i) {
    EXPECT_EQ(handed_[i].seq, (*stored)[i].seq);
    EXPECT_EQ(handed_[i].message.SerializeAsString(),
              (*stored)[i].message.SerializeAsString())
        << handed_[i].message.DebugString() << " vs "
        << (*stored)[i].message.DebugString();
  }
}

TEST_F(RouterTest, TheSameEventTwiceMakesNoSecondEntryOrDelivery) {
  v1::Filter all_proposals;
  all_proposals.add_event_types("jalin.matching.proposal.*");
  const std::string hook = AddWebhook(all_proposals);
  events::v1::Event e =
      test::ProposalEvent("agreed", "enterprises/a", "enterprises/b");
  ASSERT_TRUE(Route(e).ok());
  ASSERT_TRUE(Route(e).ok());
  EXPECT_THAT(Recipients(e.id()),
              UnorderedElementsAre("enterprises/a", "enterprises/b"));
  EXPECT_EQ(Deliveries(hook), 1);
  // Nothing new the second time: nobody is woken for it.
  EXPECT_EQ(committed_, 1);
  EXPECT_EQ(handed_.size(), 2u);
  EXPECT_EQ(queued_, 1);
}

TEST_F(RouterTest, WebhooksGetMatchingEnabledEventsOnly) {
  v1::Filter decisions;
  decisions.add_event_types("jalin.curation.submission.decided");
  const std::string on = AddWebhook(decisions);
  const std::string off = AddWebhook(decisions, /*disabled=*/true);
  v1::Filter listings;
  listings.add_event_types("jalin.registry.listing.*");
  const std::string other = AddWebhook(listings);
  ASSERT_TRUE(Route(test::DecisionEvent("enterprises/e1")).ok());
  EXPECT_EQ(Deliveries(on), 1);
  EXPECT_EQ(Deliveries(off), 0);
  EXPECT_EQ(Deliveries(other), 0);
  auto due = webhooks_->Due(on, absl::Now() + absl::Hours(1), 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_NE(due->front().body.find("\"jalin.curation.submission.decided\""),
            std::string::npos);
  EXPECT_NE(due->front().body.find("\"titleId\""), std::string::npos);
}

TEST_F(RouterTest, ClusterListingsReachTheLeaderFromTheRegistry) {
  directory_.leaders["clusters/jamur"] = "Bu Sri";
  events::v1::Event e =
      test::ListingEvent("clusters/jamur", "categories/baglog");
  ASSERT_TRUE(Route(e).ok());
  auto n = notifications_->ListAfter("clusters/jamur", 0, 10);
  ASSERT_EQ(n->size(), 1u);
  EXPECT_EQ(n->front().message.contact().display_name(), "Bu Sri");
}

TEST_F(RouterTest, WithoutTheRegistryNotificationsStillGoOut) {
  directory_.down = true;
  events::v1::Event e =
      test::ListingEvent("clusters/jamur", "categories/baglog");
  ASSERT_TRUE(Route(e).ok());
  auto n = notifications_->ListAfter("clusters/jamur", 0, 10);
  ASSERT_EQ(n->size(), 1u);
  EXPECT_FALSE(n->front().message.has_contact());
  EXPECT_GE(directory_.calls, 1);
}

TEST_F(RouterTest, HooksRunOnlyAfterCommit) {
  events::v1::Event e = test::DecisionEvent("enterprises/e1");
  absl::Status s = db_->Write([&](storage::Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(router_->Route(e, tx));
    return absl::AbortedError("rolled back");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(committed_, 0);
  EXPECT_TRUE(Recipients(e.id()).empty());
}

// The consumer in front of the router, on a real redis-server: an event
// that the stream delivers twice (published twice, or redelivered after a
// crash) yields one entry per recipient and one delivery per webhook.
TEST_F(RouterTest, ThroughTheConsumerDuplicatesCollapse) {
  auto redis_server = jalin::testing::RedisServer::Start(dir_.path());
  ASSERT_TRUE(redis_server.ok()) << redis_server.status();
  redis::Client redis({.address = (*redis_server)->address()});
  v1::Filter proposals;
  proposals.add_event_types("jalin.matching.proposal.*");
  const std::string hook = AddWebhook(proposals);

  std::vector<events::v1::Event> batch;
  for (int i = 0; i < 50; ++i) {
    batch.push_back(test::ProposalEvent("created",
                                        absl::StrCat("enterprises/s", i % 5),
                                        absl::StrCat("partners/b", i % 3)));
  }
  std::vector<events::v1::Event> twice = batch;
  twice.insert(twice.end(), batch.begin(), batch.end());
  ASSERT_TRUE(test::Publish(redis, "jalin.matching.events", twice).ok());
  events::EventConsumer consumer(
      &redis, db_.get(),
      {.stream = "jalin.matching.events",
       .group = "notification",
       .consumer = "n1",
       .block = absl::Milliseconds(50)},
      [this](const events::v1::Event& e, storage::Transaction* tx) {
        return router_->Route(e, *tx);
      });
  int handled = 0;
  for (int round = 0; round < 20 && handled < 100; ++round) {
    auto n = consumer.PollOnce();
    ASSERT_TRUE(n.ok()) << n.status();
    handled += *n;
  }
  EXPECT_EQ(handled, 100);
  EXPECT_EQ(consumer.applied(), 50);
  EXPECT_EQ(consumer.duplicates(), 50);
  // Forget the consumer's dedupe records and deliver everything again: the
  // inbox and delivery keys still hold.
  ASSERT_TRUE(db_->Write([](storage::Transaction& tx) {
                   return tx.Exec("DELETE FROM jalin_consumed_events");
                 })
                  .ok());
  ASSERT_TRUE(test::Publish(redis, "jalin.matching.events", batch).ok());
  for (int round = 0; round < 20 && handled < 150; ++round) {
    auto n = consumer.PollOnce();
    ASSERT_TRUE(n.ok()) << n.status();
    handled += *n;
  }
  EXPECT_EQ(handled, 150);
  for (const auto& e : batch) {
    EXPECT_EQ(Recipients(e.id()).size(), 2u) << e.id();
  }
  auto all = notifications_->Tail(0, 100000);
  EXPECT_EQ(all->size(), 100u);
  EXPECT_EQ(Deliveries(hook), 50);
}

}  // namespace
}  // namespace jalin::notification
