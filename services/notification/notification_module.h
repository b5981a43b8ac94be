// Wires the notification service together on a ServiceRuntime: stores,
// routing table, renderer, registry directory, router and one event
// consumer per producing service, live hub, webhook dispatcher, retention,
// and the gRPC service.
//
// Lifetime: built before the host serves (tables loaded, live hub running);
// Start() starts consumers, webhook delivery and retention after serving
// begins; Stop() stops consumers first (nothing new is routed), then the
// rest.

#ifndef SERVICES_NOTIFICATION_NOTIFICATION_MODULE_H_
#define SERVICES_NOTIFICATION_NOTIFICATION_MODULE_H_

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/policy.h"
#include "common/events/event_consumer.h"
#include "common/regions/region_table.h"
#include "common/server/service_runtime.h"
#include "common/storage/request_log.h"
#include "common/storage/sqlite_checkpointer.h"
#include "services/notification/cluster_directory.h"
#include "services/notification/curl_http_client.h"
#include "services/notification/delivery_dispatcher.h"
#include "services/notification/inbox_api.h"
#include "services/notification/janitor.h"
#include "services/notification/live_hub.h"
#include "services/notification/notification_service.h"
#include "services/notification/notification_settings.h"
#include "services/notification/notification_store.h"
#include "services/notification/renderer.h"
#include "services/notification/router.h"
#include "services/notification/routing_table.h"
#include "services/notification/subscription_api.h"
#include "services/notification/subscription_store.h"
#include "services/notification/webhook_api.h"
#include "services/notification/webhook_store.h"

namespace jalin::notification {

class NotificationModule final : public ServiceModule {
 public:
  // `rt` must outlive the module.
  static absl::StatusOr<std::unique_ptr<NotificationModule>> Create(
      ServiceRuntime& rt, const NotificationSettings& settings);
  ~NotificationModule() override;

  absl::Status Start() override;
  void Stop() override;

 private:
  NotificationModule(ServiceRuntime& rt, const NotificationSettings& settings);
  absl::Status Init();

  ServiceRuntime& rt_;
  const NotificationSettings settings_;

  std::unique_ptr<storage::SqliteCheckpointer> checkpointer_;
  std::optional<regions::RegionTable> regions_;
  auth::MethodPolicy policy_;
  storage::RequestLog requests_;
  NotificationStore notifications_;
  SubscriptionStore subscriptions_;
  WebhookStore webhooks_;
  RoutingTable table_;
  std::unique_ptr<Renderer> renderer_;
  std::unique_ptr<registry::v1::RegistryService::Stub> registry_;
  std::unique_ptr<RegistryClusterDirectory> directory_;
  std::unique_ptr<LiveHub> hub_;
  std::unique_ptr<CurlHttpClient> http_;
  std::unique_ptr<DeliveryDispatcher> dispatcher_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<Janitor> janitor_;
  std::unique_ptr<InboxApi> inbox_api_;
  std::unique_ptr<SubscriptionApi> subscription_api_;
  std::unique_ptr<WebhookApi> webhook_api_;
  std::unique_ptr<NotificationServiceImpl> service_;
  std::vector<std::unique_ptr<events::EventConsumer>> consumers_;
  std::atomic<bool> started_{false};
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_NOTIFICATION_MODULE_H_
