// The webhook methods of NotificationService: endpoints of kabupaten
// systems, their statistics and dead letters.
//
// A webhook belongs to the principal that registered it. Only the owner or
// an admin may use it; anyone else gets PERMISSION_DENIED whether or not it
// exists (an admin asking for a missing one gets NOT_FOUND).

#ifndef SERVICES_NOTIFICATION_WEBHOOK_API_H_
#define SERVICES_NOTIFICATION_WEBHOOK_API_H_

#include <functional>

#include "absl/status/status.h"
#include "common/auth/policy.h"
#include "common/clock.h"
#include "common/storage/database.h"
#include "common/storage/request_log.h"
#include "google/protobuf/empty.pb.h"
#include "grpcpp/server_context.h"
#include "jalin/notification/v1/notification_service.pb.h"
#include "services/notification/address_policy.h"
#include "services/notification/webhook_store.h"

namespace jalin::notification {

struct WebhookApiOptions {
  // Refuse plain http URIs.
  bool require_https = false;
  // Literal IP hosts it refuses are refused at registration.
  AddressPolicy addresses;
};

struct WebhookHooks {
  // After a transaction that added or removed webhooks commits.
  std::function<void()> webhooks_changed;
  // After a transaction that made deliveries pending again commits.
  std::function<void()> deliveries_changed;
};

// Thread-safe. Every pointer must outlive the API.
class WebhookApi {
 public:
  WebhookApi(const auth::MethodPolicy* policy, storage::Database* db,
             WebhookStore* store, storage::RequestLog* requests,
             const Clock* clock, WebhookApiOptions options, WebhookHooks hooks);

  absl::Status Create(const grpc::ServerContextBase& ctx,
                      const v1::CreateWebhookRequest& req, v1::Webhook* resp);
  absl::Status Get(const grpc::ServerContextBase& ctx,
                   const v1::GetWebhookRequest& req, v1::Webhook* resp);
  absl::Status List(const grpc::ServerContextBase& ctx,
                    const v1::ListWebhooksRequest& req,
                    v1::ListWebhooksResponse* resp);
  absl::Status Delete(const grpc::ServerContextBase& ctx,
                      const v1::DeleteWebhookRequest& req,
                      google::protobuf::Empty* resp);
  absl::Status Stats(const grpc::ServerContextBase& ctx,
                     const v1::GetWebhookStatsRequest& req,
                     v1::WebhookStats* resp);
  absl::Status ListDeadLetters(const grpc::ServerContextBase& ctx,
                               const v1::ListDeadLettersRequest& req,
                               v1::ListDeadLettersResponse* resp);
  absl::Status Replay(const grpc::ServerContextBase& ctx,
                      const v1::ReplayDeadLettersRequest& req,
                      v1::ReplayDeadLettersResponse* resp);

 private:
  // The webhook `id` if `p` may use it; PERMISSION_DENIED (or, for admins,
  // NOT_FOUND) otherwise.
  absl::StatusOr<WebhookRecord> Load(storage::Transaction& tx,
                                     const auth::Principal& p,
                                     const std::string& id);
  absl::StatusOr<WebhookRecord> LoadForRead(const auth::Principal& p,
                                            const std::string& id);

  const auth::MethodPolicy* const policy_;
  storage::Database* const db_;
  WebhookStore* const store_;
  storage::RequestLog* const requests_;
  const Clock* const clock_;
  const WebhookApiOptions options_;
  const WebhookHooks hooks_;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_WEBHOOK_API_H_
