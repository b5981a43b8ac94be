// Webhook delivery against a real HTTP receiver on loopback, with the
// store on real SQLite: retries until the endpoint answers, signatures and
// headers, dead letters after the attempt limit, replay.

#include "services/notification/delivery_dispatcher.h"

#include <functional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/free_port.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/notification/curl_http_client.h"
#include "services/notification/webhook_signer.h"
#include "tests/services/notification/http_receiver.h"
#include "tests/services/notification/test_support.h"

namespace jalin::notification {
namespace {

constexpr char kSecret[] = "a-secret-of-24-bytes-ok!";

class DeliveryDispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = test::OpenStore(dir_.File("n.db"), /*synchronous_full=*/false);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    webhooks_ = std::make_unique<WebhookStore>(db_.get());
    subscriptions_ = std::make_unique<SubscriptionStore>(db_.get());
    table_ =
        std::make_unique<RoutingTable>(subscriptions_.get(), webhooks_.get());
  }

  void TearDown() override {
    if (dispatcher_ != nullptr) dispatcher_->Stop();
  }

  // Through `http` (default: the client that may reach the loopback
  // receiver).
  void StartDispatcher(int max_attempts, HttpClient* http = nullptr) {
    dispatcher_ = std::make_unique<DeliveryDispatcher>(
        webhooks_.get(), table_.get(), http != nullptr ? http : &http_,
        SystemClock::Get(),
        DispatcherOptions{.workers = 2,
                          .max_in_flight_per_webhook = 2,
                          .request_timeout = absl::Seconds(5),
                          .backoff = {.initial = absl::Milliseconds(20),
                                      .max = absl::Milliseconds(200),
                                      .max_attempts = max_attempts}});
    dispatcher_->Start();
  }

  std::string AddWebhook(const std::string& uri) {
    v1::Webhook w;
    w.set_name("webhooks/w1");
    w.set_uri(uri);
    w.set_owner("systems/sida");
    w.mutable_filter()->add_event_types("*");
    EXPECT_TRUE(db_->Write([&](storage::Transaction& tx) {
                     return WebhookStore::InsertWebhook(tx, w, kSecret);
                   })
                    .ok());
    EXPECT_TRUE(table_->ReloadWebhooks().ok());
    return "w1";
  }

  void Queue(const std::string& webhook, int n) {
    ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                     for (int i = 0; i < n; ++i) {
                       RETURN_IF_ERROR(
                           WebhookStore::InsertDelivery(
                               tx, webhook, absl::StrCat("event-", i),
                               "jalin.test.thing.happened",
                               absl::StrCat("{\"n\":", i, "}"), absl::Now())
                               .status());
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    dispatcher_->Notify();
  }

  v1::WebhookStats Stats(const std::string& id) {
    auto s = webhooks_->Stats(id);
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : v1::WebhookStats();
  }

  // Polls the store until `done` holds (the dispatcher records outcomes
  // after the receiver has answered).
  bool Eventually(const std::function<bool()>& done) {
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline) {
      if (done()) return true;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return done();
  }

  jalin::testing::TempDir dir_;
  std::unique_ptr<storage::SqliteDatabase> db_;
  std::unique_ptr<WebhookStore> webhooks_;
  std::unique_ptr<SubscriptionStore> subscriptions_;
  std::unique_ptr<RoutingTable> table_;
  // The receiver listens on loopback, which must be allowed explicitly.
  CurlHttpClient http_{AddressPolicy({*ParseIpNetwork("127.0.0.1")})};
  std::unique_ptr<DeliveryDispatcher> dispatcher_;
};

TEST_F(DeliveryDispatcherTest, RetriesUntilTheEndpointIsUpThenDeliversOnce) {
  test::HttpReceiver receiver(jalin::testing::FreePort());
  const std::string id = AddWebhook(receiver.Url("/jalin"));
  StartDispatcher(/*max_attempts=*/100);
  Queue(id, 10);
  // Down: attempts fail and are retried.
  ASSERT_TRUE(Eventually([&] { return Stats(id).failed_attempts() >= 20; }));
  EXPECT_EQ(Stats(id).delivered(), 0);
  // curl's reason, without the URL.
  EXPECT_FALSE(Stats(id).last_error().empty());
  EXPECT_EQ(Stats(id).last_error().find("127.0.0.1"), std::string::npos)
      << Stats(id).last_error();
  EXPECT_EQ(Stats(id).last_error().find("/jalin"), std::string::npos)
      << Stats(id).last_error();
  ASSERT_TRUE(receiver.Start().ok());
  ASSERT_TRUE(receiver.WaitForSuccesses(10, absl::Seconds(20)));
  ASSERT_TRUE(Eventually([&] { return Stats(id).delivered() == 10; }));
  EXPECT_EQ(Stats(id).pending(), 0);
  EXPECT_EQ(Stats(id).dead_lettered(), 0);
  EXPECT_GT(Stats(id).latency_p99_ms(), 0);

  std::set<std::string> events;
  for (const test::ReceivedRequest& r : receiver.requests()) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/jalin");
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    EXPECT_EQ(r.headers.at("x-jalin-webhook"), "webhooks/w1");
    EXPECT_TRUE(
        VerifyWebhookSignature(kSecret, r.headers.at("x-jalin-timestamp"),
                               r.body, r.headers.at("x-jalin-signature")))
        << r.body;
    // Every retry carried the same body for the same idempotency key.
    const std::string& event = r.headers.at("x-jalin-event-id");
    EXPECT_EQ(r.body, absl::StrCat("{\"n\":", event.substr(6), "}"));
    EXPECT_TRUE(events.insert(event).second) << "delivered twice: " << event;
  }
  EXPECT_EQ(events.size(), 10u);
}

TEST_F(DeliveryDispatcherTest, DeadLettersAfterTheLimitAndReplays) {
  test::HttpReceiver receiver;
  ASSERT_TRUE(receiver.Start().ok());
  receiver.SetStatus(500);
  const std::string id = AddWebhook(receiver.Url("/fail"));
  StartDispatcher(/*max_attempts=*/3);
  Queue(id, 4);
  ASSERT_TRUE(Eventually([&] { return Stats(id).dead_lettered() == 4; }));
  EXPECT_EQ(receiver.requests().size(), 12u);  // 3 attempts each
  for (const auto& r : receiver.requests()) {
    EXPECT_TRUE(r.headers.at("x-jalin-attempt") == "1" ||
                r.headers.at("x-jalin-attempt") == "2" ||
                r.headers.at("x-jalin-attempt") == "3");
  }
  bool more = false;
  auto dead = webhooks_->ListDeadLetters(id, "", 100, &more);
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->size(), 4u);
  EXPECT_EQ(dead->front().attempts(), 3);
  // The status only: the receiver's body ("ok") is not repeated.
  EXPECT_EQ(dead->front().last_error(), "HTTP 500");
  EXPECT_TRUE(dead->front().has_first_attempt_time());
  EXPECT_EQ(Stats(id).pending(), 0);

  receiver.SetStatus(204);
  int replayed = 0;
  ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                   ASSIGN_OR_RETURN(replayed, WebhookStore::Replay(
                                                  tx, id, "-", absl::Now()));
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(replayed, 4);
  dispatcher_->Notify();
  ASSERT_TRUE(receiver.WaitForSuccesses(4, absl::Seconds(20)));
  ASSERT_TRUE(Eventually([&] { return Stats(id).delivered() == 4; }));
  dead = webhooks_->ListDeadLetters(id, "", 100, &more);
  EXPECT_TRUE(dead->empty());
}

TEST_F(DeliveryDispatcherTest, NameResolvingToLoopbackIsRefusedWhenNotAllowed) {
  test::HttpReceiver receiver;
  ASSERT_TRUE(receiver.Start().ok());
  const std::string id =
      AddWebhook(absl::StrCat("http://localhost:", receiver.port(), "/in"));
  CurlHttpClient strict;  // nothing internal allowed
  StartDispatcher(/*max_attempts=*/2, &strict);
  Queue(id, 1);
  ASSERT_TRUE(Eventually([&] { return Stats(id).dead_lettered() == 1; }));
  EXPECT_EQ(Stats(id).failed_attempts(), 2);
  EXPECT_TRUE(receiver.requests().empty());
  bool more = false;
  auto dead = webhooks_->ListDeadLetters(id, "", 100, &more);
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_NE(dead->front().last_error().find(" is not allowed"),
            std::string::npos)
      << dead->front().last_error();
  // The dispatcher uses `strict` until it stops: stop it while it lives.
  dispatcher_->Stop();
  dispatcher_.reset();
}

}  // namespace
}  // namespace jalin::notification
