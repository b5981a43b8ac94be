// Webhooks through the real service: a receiver that is down for a while
// gets every delivery exactly once after retries, each correctly signed; a
// receiver that always fails ends in the dead-letter list, and replay then
// delivers. Only the owner (or an admin) reaches a webhook.

#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/grpc_status.h"
#include "common/testing/free_port.h"
#include "common/testing/violations.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/notification/webhook_signer.h"
#include "tests/services/notification/http_receiver.h"
#include "tests/services/notification/service_fixture.h"

namespace jalin::notification::test {
namespace {

using ::jalin::testing::ViolatedFields;

constexpr char kSecret[] = "kabupaten-shared-secret-2026";
// The test receivers listen on loopback, refused unless allowed.
constexpr char kAllowLoopback[] = "JALIN_WEBHOOK_ALLOWED_NETWORKS=127.0.0.1/32";

class WebhookTest : public ServiceTest {
 protected:
  const auth::Principal owner_ =
      Integrator("systems/sida-karanganyar", {"33.13"});

  v1::Webhook Create(const std::string& uri) {
    v1::CreateWebhookRequest req;
    req.mutable_webhook()->set_uri(uri);
    req.mutable_webhook()->set_secret(kSecret);
    req.mutable_webhook()->mutable_filter()->add_event_types(
        "jalin.matching.proposal.*");
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(owner_));
    v1::Webhook w;
    grpc::Status s = stub().CreateWebhook(&ctx, req, &w);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return w;
  }

  // Webhooks ListWebhooks shows the holder of `token`; -1 when it fails.
  int VisibleWebhooks(const std::string& token) {
    v1::ListWebhooksRequest req;
    grpc::ClientContext ctx;
    Prepare(&ctx, token);
    v1::ListWebhooksResponse resp;
    grpc::Status s = stub().ListWebhooks(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return s.ok() ? resp.webhooks_size() : -1;
  }

  v1::WebhookStats Stats(const std::string& name) {
    v1::GetWebhookStatsRequest req;
    req.set_name(name);
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(owner_));
    v1::WebhookStats stats;
    grpc::Status s = stub().GetWebhookStats(&ctx, req, &stats);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return stats;
  }

  std::vector<v1::DeadLetter> DeadLetters(const std::string& name) {
    v1::ListDeadLettersRequest req;
    req.set_parent(name);
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(owner_));
    v1::ListDeadLettersResponse resp;
    grpc::Status s = stub().ListDeadLetters(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.dead_letters().begin(), resp.dead_letters().end()};
  }

  absl::StatusOr<int> Replay(const std::string& name,
                             const std::string& request_id) {
    v1::ReplayDeadLettersRequest req;
    req.set_name(name);
    req.set_request_id(request_id);
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(owner_));
    v1::ReplayDeadLettersResponse resp;
    grpc::Status s = stub().ReplayDeadLetters(&ctx, req, &resp);
    if (!s.ok()) return FromGrpcStatus(s);
    return resp.replayed();
  }

  // Proposals in the owner's kabupaten (delivered) and elsewhere or of
  // other types (not delivered). Returns the ids that must arrive.
  std::set<std::string> PublishMix(int wanted) {
    std::vector<events::v1::Event> matching, curation;
    std::set<std::string> ids;
    for (int i = 0; i < wanted; ++i) {
      matching.push_back(ProposalEvent("created", "enterprises/a", "partners/b",
                                       "regions/33.13"));
      ids.insert(matching.back().id());
    }
    // Outside the integrator's region scope.
    for (int i = 0; i < 3; ++i) {
      matching.push_back(ProposalEvent("created", "enterprises/a", "partners/b",
                                       "regions/35.78"));
    }
    // Not a proposal.
    for (int i = 0; i < 3; ++i) {
      curation.push_back(DecisionEvent("enterprises/a"));
    }
    EXPECT_TRUE(Publish(redis(), "jalin.matching.events", matching).ok());
    EXPECT_TRUE(Publish(redis(), "jalin.curation.events", curation).ok());
    return ids;
  }
};

TEST_F(WebhookTest, ReceiverDownThenUpGetsEveryDeliveryOnceSigned) {
  StartService({kAllowLoopback, "JALIN_WEBHOOK_RETRY_INITIAL=100ms",
                "JALIN_WEBHOOK_RETRY_MAX=400ms",
                "JALIN_WEBHOOK_MAX_ATTEMPTS=1000"});
  HttpReceiver receiver(jalin::testing::FreePort());
  const v1::Webhook hook = Create(receiver.Url("/jalin/events"));
  ASSERT_FALSE(hook.name().empty());
  EXPECT_TRUE(hook.secret().empty());  // never echoed
  EXPECT_EQ(hook.owner(), "systems/sida-karanganyar");
  // Scoped to the integrator's kabupaten.
  ASSERT_EQ(hook.filter().regions_size(), 1);
  EXPECT_EQ(hook.filter().regions(0), "regions/33.13");

  const std::set<std::string> ids = PublishMix(20);
  // The receiver is down: attempts fail and are retried.
  ASSERT_TRUE(
      WaitUntil([&] { return Stats(hook.name()).failed_attempts() >= 40; },
                absl::Seconds(60)));
  EXPECT_EQ(Stats(hook.name()).delivered(), 0);
  EXPECT_EQ(Stats(hook.name()).pending(), 20);
  EXPECT_FALSE(Stats(hook.name()).last_error().empty());

  ASSERT_TRUE(receiver.Start().ok());
  ASSERT_TRUE(receiver.WaitForSuccesses(20, absl::Seconds(60)));
  ASSERT_TRUE(WaitUntil([&] { return Stats(hook.name()).delivered() == 20; },
                        absl::Seconds(30)));
  const v1::WebhookStats stats = Stats(hook.name());
  EXPECT_EQ(stats.pending(), 0);
  EXPECT_EQ(stats.dead_lettered(), 0);
  EXPECT_TRUE(stats.has_last_success_time());

  std::set<std::string> arrived;
  for (const ReceivedRequest& r : receiver.requests()) {
    const std::string& id = r.headers.at("x-jalin-event-id");
    EXPECT_TRUE(arrived.insert(id).second) << "arrived twice: " << id;
    EXPECT_TRUE(
        VerifyWebhookSignature(kSecret, r.headers.at("x-jalin-timestamp"),
                               r.body, r.headers.at("x-jalin-signature")));
    nlohmann::json body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["event"]["id"], id);
    EXPECT_EQ(body["event"]["type"], "jalin.matching.proposal.created");
    EXPECT_EQ(body["webhook"], hook.name());
    EXPECT_EQ(body["event"]["data"]["@type"],
              "type.googleapis.com/jalin.events.v1.ProposalEvent");
    EXPECT_FALSE(body["notification"]["titleId"].get<std::string>().empty());
  }
  EXPECT_EQ(arrived, ids);
}

TEST_F(WebhookTest, AlwaysFailingReceiverDeadLettersThenReplayDelivers) {
  StartService({kAllowLoopback, "JALIN_WEBHOOK_RETRY_INITIAL=50ms",
                "JALIN_WEBHOOK_RETRY_MAX=100ms",
                "JALIN_WEBHOOK_MAX_ATTEMPTS=3"});
  HttpReceiver receiver;
  ASSERT_TRUE(receiver.Start().ok());
  receiver.SetStatus(503);
  const v1::Webhook hook = Create(receiver.Url("/broken"));
  const std::set<std::string> ids = PublishMix(5);

  ASSERT_TRUE(WaitUntil([&] { return DeadLetters(hook.name()).size() == 5; },
                        absl::Seconds(60)));
  std::vector<v1::DeadLetter> dead = DeadLetters(hook.name());
  std::set<std::string> dead_ids;
  for (const v1::DeadLetter& d : dead) {
    dead_ids.insert(d.event_id());
    EXPECT_EQ(d.attempts(), 3);
    EXPECT_EQ(d.event_type(), "jalin.matching.proposal.created");
    // The status only, not the receiver's reply body.
    EXPECT_EQ(d.last_error(), "HTTP 503");
    EXPECT_EQ(d.name().rfind(hook.name() + "/deadLetters/", 0), 0u);
  }
  EXPECT_EQ(dead_ids, ids);
  EXPECT_EQ(receiver.requests().size(), 15u);
  EXPECT_EQ(Stats(hook.name()).dead_lettered(), 5);

  // Another integrator learns nothing about this webhook.
  {
    v1::ListDeadLettersRequest req;
    req.set_parent(hook.name());
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(Integrator("systems/sida-sukoharjo", {"33.11"})));
    v1::ListDeadLettersResponse resp;
    EXPECT_EQ(stub().ListDeadLetters(&ctx, req, &resp).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }

  receiver.SetStatus(200);
  // One by name, then the rest; a repeated request_id is not replayed twice.
  auto one = Replay(dead.front().name(), "replay-one");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(*one, 1);
  ASSERT_TRUE(receiver.WaitForSuccesses(1, absl::Seconds(30)));
  auto rest = Replay(hook.name() + "/deadLetters/-", "replay-rest");
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(*rest, 4);
  auto again = Replay(hook.name() + "/deadLetters/-", "replay-rest");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 4);  // the first answer, no second effect
  ASSERT_TRUE(receiver.WaitForSuccesses(5, absl::Seconds(30)));
  ASSERT_TRUE(WaitUntil([&] { return Stats(hook.name()).delivered() == 5; },
                        absl::Seconds(30)));
  EXPECT_TRUE(DeadLetters(hook.name()).empty());
  std::set<std::string> delivered;
  for (const ReceivedRequest& r : receiver.requests()) {
    if (r.status == 200) {
      EXPECT_TRUE(delivered.insert(r.headers.at("x-jalin-event-id")).second);
    }
  }
  EXPECT_EQ(delivered, ids);
  // A fresh replay finds nothing left.
  auto none = Replay(hook.name() + "/deadLetters/-", "replay-empty");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
}

TEST_F(WebhookTest, OnlyTheOwnerOrAnAdminReachesAWebhook) {
  StartService({kAllowLoopback});
  HttpReceiver receiver(jalin::testing::FreePort());
  const v1::Webhook hook = Create(receiver.Url("/x"));
  const std::string stranger =
      Token(Integrator("systems/sida-sukoharjo", {"33.11"}));
  for (const std::string& name : {hook.name(), std::string("webhooks/nope")}) {
    v1::GetWebhookRequest req;
    req.set_name(name);
    grpc::ClientContext ctx;
    Prepare(&ctx, stranger);
    v1::Webhook w;
    // Missing or someone else's: the same answer.
    EXPECT_EQ(stub().GetWebhook(&ctx, req, &w).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << name;
  }
  {
    v1::GetWebhookRequest req;
    req.set_name("webhooks/nope");
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(Admin()));
    v1::Webhook w;
    EXPECT_EQ(stub().GetWebhook(&ctx, req, &w).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(VisibleWebhooks(stranger), 0);
  {
    v1::DeleteWebhookRequest req;
    req.set_name(hook.name());
    grpc::ClientContext ctx;
    Prepare(&ctx, stranger);
    google::protobuf::Empty e;
    EXPECT_EQ(stub().DeleteWebhook(&ctx, req, &e).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    // A member is no integrator.
    v1::CreateWebhookRequest req;
    req.mutable_webhook()->set_uri("http://127.0.0.1:1/x");
    req.mutable_webhook()->set_secret(kSecret);
    req.mutable_webhook()->mutable_filter()->add_event_types("*");
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(Member("enterprises/a")));
    v1::Webhook w;
    EXPECT_EQ(stub().CreateWebhook(&ctx, req, &w).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    v1::DeleteWebhookRequest req;
    req.set_name(hook.name());
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(owner_));
    google::protobuf::Empty e;
    EXPECT_TRUE(stub().DeleteWebhook(&ctx, req, &e).ok());
  }
}

TEST_F(WebhookTest, BadWebhooksNameEveryViolationAndStoreNothing) {
  StartService();
  v1::CreateWebhookRequest req;
  req.mutable_webhook()->set_uri("ftp://example.org/x");
  req.mutable_webhook()->set_secret("short");
  req.mutable_webhook()->mutable_filter()->add_regions("33.13");
  req.set_request_id("has spaces");
  grpc::ClientContext ctx;
  Prepare(&ctx, Token(owner_));
  v1::Webhook w;
  grpc::Status s = stub().CreateWebhook(&ctx, req, &w);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<std::string> fields = ViolatedFields(s);
  EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()),
            (std::set<std::string>{"webhook.uri", "webhook.secret",
                                   "webhook.filter.regions[0]", "request_id"}));
  EXPECT_EQ(VisibleWebhooks(Token(Admin())), 0);
}

TEST_F(WebhookTest, InternalOrMalformedEndpointsAreRefusedAtRegistration) {
  StartService();
  for (const char* uri :
       {"http://:0/", "http://user:pw@10.0.0.1:6379/",
        "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1/",
        "http://127.0.0.1:28080/internal", "http://[::1]:8080/",
        "http://[::ffff:10.0.0.1]/"}) {
    v1::CreateWebhookRequest req;
    req.mutable_webhook()->set_uri(uri);
    req.mutable_webhook()->set_secret(kSecret);
    req.mutable_webhook()->mutable_filter()->add_event_types("*");
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(owner_));
    v1::Webhook w;
    grpc::Status s = stub().CreateWebhook(&ctx, req, &w);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << uri;
    EXPECT_EQ(ViolatedFields(s), std::vector<std::string>{"webhook.uri"})
        << uri;
  }
  EXPECT_EQ(VisibleWebhooks(Token(Admin())), 0);
}

TEST_F(WebhookTest, NameResolvingToLoopbackIsNotDeliveredTo) {
  StartService({"JALIN_WEBHOOK_RETRY_INITIAL=50ms",
                "JALIN_WEBHOOK_RETRY_MAX=100ms",
                "JALIN_WEBHOOK_MAX_ATTEMPTS=2"});
  HttpReceiver receiver;
  ASSERT_TRUE(receiver.Start().ok());
  // A name is accepted at registration; where it leads is checked when
  // connecting.
  const v1::Webhook hook =
      Create(absl::StrCat("http://localhost:", receiver.port(), "/in"));
  ASSERT_FALSE(hook.name().empty());
  PublishMix(2);
  ASSERT_TRUE(WaitUntil([&] { return DeadLetters(hook.name()).size() == 2; },
                        absl::Seconds(60)));
  EXPECT_TRUE(receiver.requests().empty());
  const v1::WebhookStats stats = Stats(hook.name());
  EXPECT_EQ(stats.delivered(), 0);
  EXPECT_EQ(stats.failed_attempts(), 4);
  EXPECT_NE(stats.last_error().find(" is not allowed"), std::string::npos)
      << stats.last_error();
  for (const v1::DeadLetter& d : DeadLetters(hook.name())) {
    EXPECT_EQ(d.last_error().rfind("address ", 0), 0u) << d.last_error();
  }
}

}  // namespace
}  // namespace jalin::notification::test
