// Subscriptions (standing interests of facilitators and integrators) in the
// service's store.

#ifndef SERVICES_NOTIFICATION_SUBSCRIPTION_STORE_H_
#define SERVICES_NOTIFICATION_SUBSCRIPTION_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/database.h"
#include "jalin/notification/v1/notification.pb.h"

namespace jalin::notification {

// Thread-safe. `db` must outlive the store.
class SubscriptionStore {
 public:
  explicit SubscriptionStore(storage::Database* db) : db_(db) {}

  // In `tx`: stores `s` (name "subscriptions/{id}", every field set).
  static absl::Status Insert(storage::Transaction& tx,
                             const v1::Subscription& s);
  // In `tx`: NOT_FOUND if there is no such subscription.
  static absl::StatusOr<v1::Subscription> Get(storage::Transaction& tx,
                                              absl::string_view id);
  static absl::Status Delete(storage::Transaction& tx, absl::string_view id);

  // A page in id order after `after_id`; an empty `recipient` lists all.
  absl::StatusOr<std::vector<v1::Subscription>> ListPage(
      absl::string_view recipient, absl::string_view after_id, int limit,
      bool* more);

  // Every subscription (for the routing table).
  absl::StatusOr<std::vector<v1::Subscription>> LoadAll();

 private:
  storage::Database* const db_;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_SUBSCRIPTION_STORE_H_
