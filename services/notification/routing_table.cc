#include "services/notification/routing_table.h"

#include "common/status/status_macros.h"

namespace jalin::notification {

const WebhookRecord* WebhookSet::Find(const std::string& id) const {
  auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : &webhooks[it->second];
}

RoutingTable::RoutingTable(SubscriptionStore* subscriptions,
                           WebhookStore* webhooks)
    : subscription_store_(subscriptions),
      webhook_store_(webhooks),
      subscriptions_(std::make_shared<std::vector<v1::Subscription>>()),
      webhooks_(std::make_shared<WebhookSet>()) {}

absl::Status RoutingTable::ReloadSubscriptions() {
  absl::MutexLock reload(&reload_mu_);
  ASSIGN_OR_RETURN(std::vector<v1::Subscription> all,
                   subscription_store_->LoadAll());
  auto snapshot =
      std::make_shared<const std::vector<v1::Subscription>>(std::move(all));
  absl::MutexLock lock(&mu_);
  subscriptions_ = std::move(snapshot);
  return absl::OkStatus();
}

absl::Status RoutingTable::ReloadWebhooks() {
  absl::MutexLock reload(&reload_mu_);
  ASSIGN_OR_RETURN(std::vector<WebhookRecord> all, webhook_store_->LoadAll());
  auto set = std::make_shared<WebhookSet>();
  set->webhooks = std::move(all);
  for (size_t i = 0; i < set->webhooks.size(); ++i) {
    set->by_id[set->webhooks[i].id] = i;
  }
  absl::MutexLock lock(&mu_);
  webhooks_ = std::move(set);
  return absl::OkStatus();
}

std::shared_ptr<const std::vector<v1::Subscription>>
RoutingTable::subscriptions() const {
  absl::MutexLock lock(&mu_);
  return subscriptions_;
}

std::shared_ptr<const WebhookSet> RoutingTable::webhooks() const {
  absl::MutexLock lock(&mu_);
  return webhooks_;
}

}  // namespace jalin::notification
