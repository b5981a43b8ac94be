// The inbox and subscription API of the real service: recipient A cannot
// list, read, mark or count B's inbox (permission before existence); bad
// input names every violation and stores nothing; MarkRead is idempotent;
// pages walk the whole inbox; facilitators' subscriptions stay in scope.

#include <functional>
#include <set>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/testing/violations.h"
#include "gtest/gtest.h"
#include "tests/services/notification/service_fixture.h"

namespace jalin::notification::test {
namespace {

using ::jalin::testing::ViolatedFields;

class ApiTest : public ServiceTest {
 protected:
  // Publishes `n` decisions for `enterprise` and waits until its inbox
  // holds at least `total`.
  void Deliver(const std::string& enterprise, int n, int64_t total) {
    std::vector<events::v1::Event> batch;
    for (int i = 0; i < n; ++i) batch.push_back(DecisionEvent(enterprise));
    ASSERT_TRUE(Publish(redis(), "jalin.curation.events", batch).ok());
    ASSERT_TRUE(WaitUntil([&] { return Unread(enterprise) >= total; },
                          absl::Seconds(30)));
  }

  grpc::StatusCode ListCode(const std::string& token,
                            const std::string& parent) {
    v1::ListNotificationsRequest req;
    req.set_parent(parent);
    grpc::ClientContext ctx;
    Prepare(&ctx, token);
    v1::ListNotificationsResponse resp;
    return stub().ListNotifications(&ctx, req, &resp).error_code();
  }
  grpc::StatusCode GetCode(const std::string& token, const std::string& name) {
    v1::GetNotificationRequest req;
    req.set_name(name);
    grpc::ClientContext ctx;
    Prepare(&ctx, token);
    v1::Notification resp;
    return stub().GetNotification(&ctx, req, &resp).error_code();
  }
  grpc::Status MarkRead(const std::string& token, const std::string& name,
                        const std::string& request_id, int* marked) {
    v1::MarkReadRequest req;
    req.set_name(name);
    req.set_request_id(request_id);
    grpc::ClientContext ctx;
    Prepare(&ctx, token);
    v1::MarkReadResponse resp;
    grpc::Status s = stub().MarkRead(&ctx, req, &resp);
    if (marked != nullptr) *marked = resp.marked();
    return s;
  }
  grpc::StatusCode CountCode(const std::string& token,
                             const std::string& parent) {
    v1::GetUnreadCountRequest req;
    req.set_parent(parent);
    grpc::ClientContext ctx;
    Prepare(&ctx, token);
    v1::UnreadCount resp;
    return stub().GetUnreadCount(&ctx, req, &resp).error_code();
  }
};

TEST_F(ApiTest, RecipientACannotReachBsInbox) {
  StartService();
  Deliver("enterprises/b", 2, 2);
  const std::vector<v1::Notification> b_inbox = ListAll("enterprises/b");
  ASSERT_EQ(b_inbox.size(), 2u);
  const std::string b_name = b_inbox.front().name();
  const std::string a = Token(Member("enterprises/a"));
  const std::string b = Token(Member("enterprises/b"));
  const std::string b_parent = "recipients/enterprises~b";

  EXPECT_EQ(ListCode(a, b_parent), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(GetCode(a, b_name), grpc::StatusCode::PERMISSION_DENIED);
  // Whether or not the notification exists, A learns nothing.
  EXPECT_EQ(GetCode(a, b_parent + "/notifications/987654321"),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(MarkRead(a, b_name, "", nullptr).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      MarkRead(a, b_parent + "/notifications/-", "", nullptr).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CountCode(a, b_parent), grpc::StatusCode::PERMISSION_DENIED);
  // Nothing was marked.
  EXPECT_EQ(Unread("enterprises/b"), 2);

  // B (and an admin) may; a missing notification of B's is NOT_FOUND to B.
  EXPECT_EQ(ListCode(b, b_parent), grpc::StatusCode::OK);
  EXPECT_EQ(GetCode(b, b_name), grpc::StatusCode::OK);
  EXPECT_EQ(GetCode(b, b_parent + "/notifications/987654321"),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GetCode(Token(Admin()), b_name), grpc::StatusCode::OK);
  // No token at all.
  EXPECT_EQ(ListCode("", b_parent), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ApiTest, MarkReadOneAllAndIdempotently) {
  StartService();
  const std::string b = Token(Member("enterprises/b"));
  Deliver("enterprises/b", 5, 5);
  std::vector<v1::Notification> inbox = ListAll("enterprises/b");
  ASSERT_EQ(inbox.size(), 5u);
  int marked = -1;
  ASSERT_TRUE(MarkRead(b, inbox[0].name(), "mark-1", &marked).ok());
  EXPECT_EQ(marked, 1);
  // The same request again: the first answer, nothing more.
  ASSERT_TRUE(MarkRead(b, inbox[0].name(), "mark-1", &marked).ok());
  EXPECT_EQ(marked, 1);
  EXPECT_EQ(Unread("enterprises/b"), 4);
  // The same id for a different request is refused.
  grpc::Status reuse = MarkRead(b, inbox[1].name(), "mark-1", &marked);
  EXPECT_EQ(reuse.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::ListNotificationsRequest unread;
  unread.set_parent("recipients/enterprises~b");
  unread.set_unread_only(true);
  {
    grpc::ClientContext ctx;
    Prepare(&ctx, b);
    v1::ListNotificationsResponse resp;
    ASSERT_TRUE(stub().ListNotifications(&ctx, unread, &resp).ok());
    EXPECT_EQ(resp.notifications_size(), 4);
    for (const auto& n : resp.notifications()) EXPECT_FALSE(n.read());
  }
  ASSERT_TRUE(
      MarkRead(b, "recipients/enterprises~b/notifications/-", "", &marked)
          .ok());
  EXPECT_EQ(marked, 4);
  EXPECT_EQ(Unread("enterprises/b"), 0);
  {
    grpc::ClientContext ctx;
    Prepare(&ctx, b);
    v1::ListNotificationsResponse resp;
    ASSERT_TRUE(stub().ListNotifications(&ctx, unread, &resp).ok());
    EXPECT_EQ(resp.notifications_size(), 0);
  }
}

TEST_F(ApiTest, PagesWalkTheWholeInboxNewestFirst) {
  StartService();
  const std::string b = Token(Member("enterprises/b"));
  Deliver("enterprises/b", 23, 23);
  v1::ListNotificationsRequest req;
  req.set_parent("recipients/enterprises~b");
  req.set_page_size(5);
  std::vector<std::string> cursors;
  std::string first_token;
  while (true) {
    grpc::ClientContext ctx;
    Prepare(&ctx, b);
    v1::ListNotificationsResponse resp;
    ASSERT_TRUE(stub().ListNotifications(&ctx, req, &resp).ok());
    for (const auto& n : resp.notifications()) cursors.push_back(n.cursor());
    if (resp.next_page_token().empty()) break;
    if (first_token.empty()) first_token = resp.next_page_token();
    req.set_page_token(resp.next_page_token());
  }
  ASSERT_EQ(cursors.size(), 23u);
  EXPECT_EQ(std::set<std::string>(cursors.begin(), cursors.end()).size(), 23u);
  // A token of one query does not serve another.
  v1::ListNotificationsRequest other;
  other.set_parent("recipients/enterprises~b");
  other.set_unread_only(true);
  other.set_page_token(first_token);
  grpc::ClientContext ctx;
  Prepare(&ctx, b);
  v1::ListNotificationsResponse resp;
  EXPECT_EQ(stub().ListNotifications(&ctx, other, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ApiTest, SubscriptionsStayInScopeAndRouteByRegion) {
  StartService();
  const std::string budi = Token(Facilitator("users/budi", {"33.13"}));
  // Outside the facilitator's scope.
  {
    v1::CreateSubscriptionRequest req;
    req.mutable_subscription()->mutable_filter()->add_regions("regions/35");
    grpc::ClientContext ctx;
    Prepare(&ctx, budi);
    v1::Subscription s;
    EXPECT_EQ(stub().CreateSubscription(&ctx, req, &s).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  // For someone else's inbox.
  {
    v1::CreateSubscriptionRequest req;
    req.mutable_subscription()->set_recipient("users/ani");
    req.mutable_subscription()->mutable_filter()->add_event_types("*");
    grpc::ClientContext ctx;
    Prepare(&ctx, budi);
    v1::Subscription s;
    EXPECT_EQ(stub().CreateSubscription(&ctx, req, &s).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  // Members do not subscribe by region.
  {
    v1::CreateSubscriptionRequest req;
    req.mutable_subscription()->mutable_filter()->add_event_types("*");
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(Member("enterprises/a")));
    v1::Subscription s;
    EXPECT_EQ(stub().CreateSubscription(&ctx, req, &s).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  v1::Subscription created;
  {
    v1::CreateSubscriptionRequest req;
    req.mutable_subscription()->mutable_filter()->add_event_types(
        "jalin.curation.submission.*");
    req.set_request_id("sub-1");
    grpc::ClientContext ctx;
    Prepare(&ctx, budi);
    ASSERT_TRUE(stub().CreateSubscription(&ctx, req, &created).ok());
    EXPECT_EQ(created.recipient(), "users/budi");
    EXPECT_EQ(created.owner(), "users/budi");
    ASSERT_EQ(created.filter().regions_size(), 1);
    EXPECT_EQ(created.filter().regions(0), "regions/33.13");
    // Replayed: the same subscription, not a second one.
    grpc::ClientContext again;
    Prepare(&again, budi);
    v1::Subscription replayed;
    ASSERT_TRUE(stub().CreateSubscription(&again, req, &replayed).ok());
    EXPECT_EQ(replayed.name(), created.name());
  }
  std::vector<events::v1::Event> batch = {
      DecisionEvent("enterprises/x", "regions/33.13"),
      DecisionEvent("enterprises/y", "regions/33.11"),
      DecisionEvent("enterprises/z", "regions/33.13")};
  ASSERT_TRUE(Publish(redis(), "jalin.curation.events", batch).ok());
  ASSERT_TRUE(WaitUntil([&] { return Unread("enterprises/z") == 1; },
                        absl::Seconds(30)));
  std::vector<v1::Notification> inbox = ListAll("users/budi");
  std::set<std::string> ids;
  for (const auto& n : inbox) ids.insert(n.event_id());
  EXPECT_EQ(ids, (std::set<std::string>{batch[0].id(), batch[2].id()}));
  // Budi reads his own inbox with his own token.
  EXPECT_EQ(ListCode(budi, "recipients/users~budi"), grpc::StatusCode::OK);

  // Listing shows it once; another facilitator cannot delete it.
  {
    v1::ListSubscriptionsRequest req;
    grpc::ClientContext ctx;
    Prepare(&ctx, budi);
    v1::ListSubscriptionsResponse resp;
    ASSERT_TRUE(stub().ListSubscriptions(&ctx, req, &resp).ok());
    ASSERT_EQ(resp.subscriptions_size(), 1);
    EXPECT_EQ(resp.subscriptions(0).name(), created.name());
  }
  {
    v1::DeleteSubscriptionRequest req;
    req.set_name(created.name());
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(Facilitator("users/sari", {"33.13"})));
    google::protobuf::Empty e;
    EXPECT_EQ(stub().DeleteSubscription(&ctx, req, &e).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    v1::DeleteSubscriptionRequest req;
    req.set_name(created.name());
    grpc::ClientContext ctx;
    Prepare(&ctx, budi);
    google::protobuf::Empty e;
    ASSERT_TRUE(stub().DeleteSubscription(&ctx, req, &e).ok());
  }
  // After deletion nothing new reaches Budi.
  std::vector<events::v1::Event> later = {
      DecisionEvent("enterprises/w", "regions/33.13")};
  ASSERT_TRUE(Publish(redis(), "jalin.curation.events", later).ok());
  ASSERT_TRUE(WaitUntil([&] { return Unread("enterprises/w") == 1; },
                        absl::Seconds(30)));
  EXPECT_EQ(ListAll("users/budi").size(), 2u);
}

TEST_F(ApiTest, BadInputNamesEveryViolationAndStoresNothing) {
  StartService();
  const std::string budi = Token(Facilitator("users/budi", {"33.13"}));
  v1::CreateSubscriptionRequest req;
  req.mutable_subscription()->set_recipient("not a recipient");
  req.mutable_subscription()->mutable_filter()->add_event_types("jalin.*.x");
  req.mutable_subscription()->mutable_filter()->add_clusters("clusters/");
  req.set_request_id(std::string(200, 'x'));
  grpc::ClientContext ctx;
  Prepare(&ctx, budi);
  v1::Subscription s;
  grpc::Status status = stub().CreateSubscription(&ctx, req, &s);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<std::string> fields = ViolatedFields(status);
  EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()),
            (std::set<std::string>{
                "subscription.recipient", "subscription.filter.event_types[0]",
                "subscription.filter.clusters[0]", "request_id"}));
  v1::ListSubscriptionsRequest list;
  grpc::ClientContext lctx;
  Prepare(&lctx, Token(Admin()));
  v1::ListSubscriptionsResponse resp;
  ASSERT_TRUE(stub().ListSubscriptions(&lctx, list, &resp).ok());
  EXPECT_EQ(resp.subscriptions_size(), 0);

  // Malformed names and page sizes, all at once where they meet.
  v1::ListNotificationsRequest l;
  l.set_parent("enterprises/b");
  grpc::ClientContext c2;
  Prepare(&c2, Token(Admin()));
  v1::ListNotificationsResponse r2;
  EXPECT_EQ(stub().ListNotifications(&c2, l, &r2).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  l.set_parent("recipients/enterprises~b");
  l.set_page_size(-1);
  grpc::ClientContext c3;
  Prepare(&c3, Token(Admin()));
  EXPECT_EQ(stub().ListNotifications(&c3, l, &r2).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Values of 100,000 characters are named abbreviated, never whole: the
// status message travels as gRPC metadata, which C++ clients (the gateway,
// jalinctl) refuse above 8 KiB with RESOURCE_EXHAUSTED instead of the
// answer.
TEST_F(ApiTest, HugeValuesAreNamedNotRepeated) {
  StartService();
  const std::string huge_region = "regions/" + std::string(100'000, '9');
  // A region of that length, on a subscription and a webhook: not the
  // shape of a region code, named in a short message.
  auto refused =
      [&](const std::string& token, const std::string& field,
          const std::function<grpc::Status(grpc::ClientContext*)>& call) {
        grpc::ClientContext ctx;
        Prepare(&ctx, token);
        const grpc::Status status = call(&ctx);
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
            << status.error_message().substr(0, 200);
        EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{field});
        EXPECT_LT(status.error_message().size(), 300u);
      };
  {
    v1::CreateSubscriptionRequest req;
    req.mutable_subscription()->mutable_filter()->add_regions(huge_region);
    v1::Subscription s;
    refused(Token(Facilitator("users/budi", {"33.13"})),
            "subscription.filter.regions[0]", [&](grpc::ClientContext* ctx) {
              return stub().CreateSubscription(ctx, req, &s);
            });
  }
  {
    v1::CreateWebhookRequest req;
    req.mutable_webhook()->set_uri("https://hooks.example.com/jalin");
    req.mutable_webhook()->set_secret(std::string(32, 's'));
    req.mutable_webhook()->mutable_filter()->add_regions(huge_region);
    v1::Webhook w;
    refused(Token(Integrator("users/sistem-sragen", {"33.14"})),
            "webhook.filter.regions[0]", [&](grpc::ClientContext* ctx) {
              return stub().CreateWebhook(ctx, req, &w);
            });
  }
  // A malformed name is named, not repeated.
  {
    v1::GetNotificationRequest req;
    req.set_name("recipients/enterprises~b/notifications/" +
                 std::string(100'000, 'n'));
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(Admin()));
    v1::Notification n;
    grpc::Status status = stub().GetNotification(&ctx, req, &n);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << status.error_message().substr(0, 200);
    EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"name"});
  }
  // Nothing was stored.
  v1::ListSubscriptionsRequest list;
  grpc::ClientContext lctx;
  Prepare(&lctx, Token(Admin()));
  v1::ListSubscriptionsResponse resp;
  ASSERT_TRUE(stub().ListSubscriptions(&lctx, list, &resp).ok());
  EXPECT_EQ(resp.subscriptions_size(), 0);
}

}  // namespace
}  // namespace jalin::notification::test
