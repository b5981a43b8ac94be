// Every NotificationService method has a policy entry, and the roles are
// the intended ones.

#include "services/notification/policy.h"

#include "common/auth/jwt.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "jalin/notification/v1/notification_service.grpc.pb.h"

namespace jalin::notification {
namespace {

TEST(NotificationPolicyTest, EveryMethodIsCovered) {
  auth::Authenticator authenticator(auth::JwtKeys{}, SystemClock::Get());
  auth::MethodPolicy policy = MakeNotificationPolicy(&authenticator);
  const auto* service =
      v1::ListNotificationsRequest::descriptor()->file()->FindServiceByName(
          "NotificationService");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->method_count(), 15);
  EXPECT_TRUE(policy.MissingMethods(*service).empty());
}

}  // namespace
}  // namespace jalin::notification
