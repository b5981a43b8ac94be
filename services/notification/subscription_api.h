// The subscription methods of NotificationService: standing interests by
// region, province, cluster, category and event type.
//
// A subscription belongs to the principal that created it (`owner`) and
// delivers to `recipient` (by default the creator's own inbox). Only its
// owner, its recipient or an admin may see or delete it; for anyone else it
// answers PERMISSION_DENIED whether or not it exists.

#ifndef SERVICES_NOTIFICATION_SUBSCRIPTION_API_H_
#define SERVICES_NOTIFICATION_SUBSCRIPTION_API_H_

#include <functional>

#include "absl/status/status.h"
#include "common/auth/policy.h"
#include "common/clock.h"
#include "common/storage/database.h"
#include "common/storage/request_log.h"
#include "google/protobuf/empty.pb.h"
#include "grpcpp/server_context.h"
#include "jalin/notification/v1/notification_service.pb.h"
#include "services/notification/subscription_store.h"

namespace jalin::notification {

// Thread-safe. Every pointer must outlive the API. `changed` runs after a
// transaction that changed subscriptions commits (reloads the routing
// table).
class SubscriptionApi {
 public:
  SubscriptionApi(const auth::MethodPolicy* policy, storage::Database* db,
                  SubscriptionStore* store, storage::RequestLog* requests,
                  const Clock* clock, std::function<void()> changed);

  absl::Status Create(const grpc::ServerContextBase& ctx,
                      const v1::CreateSubscriptionRequest& req,
                      v1::Subscription* resp);
  absl::Status List(const grpc::ServerContextBase& ctx,
                    const v1::ListSubscriptionsRequest& req,
                    v1::ListSubscriptionsResponse* resp);
  absl::Status Delete(const grpc::ServerContextBase& ctx,
                      const v1::DeleteSubscriptionRequest& req,
                      google::protobuf::Empty* resp);

 private:
  const auth::MethodPolicy* const policy_;
  storage::Database* const db_;
  SubscriptionStore* const store_;
  storage::RequestLog* const requests_;
  const Clock* const clock_;
  const std::function<void()> changed_;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_SUBSCRIPTION_API_H_
