// In-memory copies of the subscriptions and webhooks that routing matches
// every event against, so that routing an event reads no table.
//
// Each change to subscriptions or webhooks reloads the affected list after
// its transaction commits. Reloads are serialised and read the committed
// state, so the last reload always reflects every change before it.

#ifndef SERVICES_NOTIFICATION_ROUTING_TABLE_H_
#define SERVICES_NOTIFICATION_ROUTING_TABLE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/notification/subscription_store.h"
#include "services/notification/webhook_store.h"

namespace jalin::notification {

struct WebhookSet {
  std::vector<WebhookRecord> webhooks;
  // Index into `webhooks` by id.
  absl::flat_hash_map<std::string, size_t> by_id;

  const WebhookRecord* Find(const std::string& id) const;
};

// Thread-safe. The stores must outlive the table.
class RoutingTable {
 public:
  RoutingTable(SubscriptionStore* subscriptions, WebhookStore* webhooks);

  absl::Status ReloadSubscriptions();
  absl::Status ReloadWebhooks();

  // Immutable snapshots; hold on to them as long as needed.
  std::shared_ptr<const std::vector<v1::Subscription>> subscriptions() const;
  std::shared_ptr<const WebhookSet> webhooks() const;

 private:
  SubscriptionStore* const subscription_store_;
  WebhookStore* const webhook_store_;

  // Serialises reloads (held across the store read).
  absl::Mutex reload_mu_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const std::vector<v1::Subscription>> subscriptions_
      ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const WebhookSet> webhooks_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_ROUTING_TABLE_H_
