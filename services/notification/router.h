// Turns one event into inbox entries and webhook deliveries, inside the
// consumer's transaction (so that an event applied twice is caught by the
// consumer's dedupe record, and, should that be gone, by the unique keys
// (recipient, event) and (webhook, event)).
//
// Recipients: the organisations the event names (EventFacts::parties) and
// the recipients of every subscription whose filter matches. A cluster
// recipient's notification is addressed to the cluster's leader, whose
// contact comes from the registry (cached). Webhooks: every enabled webhook
// whose filter matches gets one delivery.

#ifndef SERVICES_NOTIFICATION_ROUTER_H_
#define SERVICES_NOTIFICATION_ROUTER_H_

#include <atomic>
#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "common/clock.h"
#include "common/storage/database.h"
#include "jalin/events/v1/event.pb.h"
#include "services/notification/cluster_directory.h"
#include "services/notification/notification_store.h"
#include "services/notification/renderer.h"
#include "services/notification/routing_table.h"

namespace jalin::notification {

struct RouterHooks {
  // Run after a transaction that added inbox entries commits, with the
  // entries one event added, complete and in sequence order (hands them to
  // the live streams). Runs on the committing thread, outside the store's
  // lock: hooks of concurrent transactions may run in either order.
  std::function<void(std::vector<StoredNotification> added)>
      notifications_committed;
  // Run after a transaction that added webhook deliveries commits (wakes
  // the delivery dispatcher).
  std::function<void()> deliveries_committed;
};

// Thread-safe. Every pointer must outlive the router; `directory` may be
// null (no contacts).
class Router {
 public:
  Router(const Renderer* renderer, ClusterDirectory* directory,
         const RoutingTable* table, const Clock* clock, RouterHooks hooks);

  // The consumer handler: applies `event` in `tx`.
  absl::Status Route(const events::v1::Event& event, storage::Transaction& tx);

  int64_t notifications_created() const { return notifications_.load(); }
  int64_t deliveries_created() const { return deliveries_.load(); }

 private:
  const Renderer* const renderer_;
  ClusterDirectory* const directory_;
  const RoutingTable* const table_;
  const Clock* const clock_;
  const RouterHooks hooks_;
  std::atomic<int64_t> notifications_{0};
  std::atomic<int64_t> deliveries_{0};
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_ROUTER_H_
