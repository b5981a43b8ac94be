#include "services/notification/policy.h"

namespace jalin::notification {

auth::MethodPolicy MakeNotificationPolicy(
    const auth::Authenticator* authenticator) {
  using auth::Role;
  auth::MethodPolicy policy(authenticator);
  // Inboxes: every principal is a recipient (members by organisation,
  // everyone else by subject).
  policy.AllowAuthenticated("ListNotifications")
      .AllowAuthenticated("GetNotification")
      .AllowAuthenticated("MarkRead")
      .AllowAuthenticated("GetUnreadCount")
      .AllowAuthenticated("Subscribe");
  // Subscriptions by region, cluster, category and event type: the people
  // and systems that follow regions.
  for (const char* m :
       {"CreateSubscription", "ListSubscriptions", "DeleteSubscription"}) {
    policy.Allow(m, {Role::kAdmin, Role::kFacilitator, Role::kIntegrator});
  }
  // Webhooks: kabupaten and provincial systems.
  for (const char* m :
       {"CreateWebhook", "GetWebhook", "ListWebhooks", "DeleteWebhook",
        "GetWebhookStats", "ListDeadLetters", "ReplayDeadLetters"}) {
    policy.Allow(m, {Role::kAdmin, Role::kIntegrator});
  }
  return policy;
}

}  // namespace jalin::notification
