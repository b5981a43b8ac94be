// Webhooks, their pending and finished deliveries, and per-endpoint
// statistics, in the service's store. Pending deliveries live here, so a
// restart loses none.
//
// A delivery is in one of three states: pending (waiting for its next
// attempt), delivered, or dead (every attempt failed; listed as a dead
// letter until replayed).

#ifndef SERVICES_NOTIFICATION_WEBHOOK_STORE_H_
#define SERVICES_NOTIFICATION_WEBHOOK_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "jalin/notification/v1/webhook.pb.h"

namespace jalin::notification {

struct WebhookRecord {
  // name, uri, filter, disabled, create_time, owner; never the secret.
  v1::Webhook webhook;
  std::string id;
  std::string secret;
};

// One delivery due for an attempt.
struct DeliveryJob {
  std::string id;
  std::string webhook_id;
  std::string event_id;
  std::string body;
  // Attempts made before this one.
  int attempts = 0;
};

enum class DeliveryState { kPending = 0, kDelivered = 1, kDead = 2 };

// Thread-safe. `db` must outlive the store.
class WebhookStore {
 public:
  explicit WebhookStore(storage::Database* db) : db_(db) {}

  storage::Database* db() const { return db_; }

  // --- webhooks -----------------------------------------------------------
  // In `tx`: stores the webhook (name "webhooks/{id}") and its secret.
  static absl::Status InsertWebhook(storage::Transaction& tx,
                                    const v1::Webhook& webhook,
                                    absl::string_view secret);
  // NOT_FOUND if there is none.
  static absl::StatusOr<WebhookRecord> GetWebhook(storage::Transaction& tx,
                                                  absl::string_view id);
  // In `tx`: removes the webhook with its deliveries and statistics.
  static absl::Status DeleteWebhook(storage::Transaction& tx,
                                    absl::string_view id);
  // A page in id order after `after_id`; an empty `owner` lists all.
  absl::StatusOr<std::vector<v1::Webhook>> ListWebhooks(
      absl::string_view owner, absl::string_view after_id, int limit,
      bool* more);
  absl::StatusOr<std::vector<WebhookRecord>> LoadAll();

  // --- deliveries ---------------------------------------------------------
  // In `tx`: a pending delivery of `event_id` to the webhook, due at
  // `now`, unless that webhook already has one for the event or no longer
  // exists (deleted after the caller's routing table was loaded). Returns
  // true when added.
  static absl::StatusOr<bool> InsertDelivery(storage::Transaction& tx,
                                             absl::string_view webhook_id,
                                             absl::string_view event_id,
                                             absl::string_view event_type,
                                             absl::string_view body,
                                             absl::Time now);
  // Pending deliveries of one webhook due at `now`, earliest first.
  absl::StatusOr<std::vector<DeliveryJob>> Due(absl::string_view webhook_id,
                                               absl::Time now, int limit);
  // The earliest attempt time of a pending delivery after `now`, if any.
  absl::StatusOr<std::optional<absl::Time>> NextDueAfter(absl::Time now);

  // Records the outcome of one attempt, with the webhook's statistics.
  absl::Status RecordSuccess(const DeliveryJob& job, absl::Time now,
                             double duration_ms);
  // `retry_at` empty: the last attempt failed, the delivery is dead.
  absl::Status RecordFailure(const DeliveryJob& job, absl::Time now,
                             absl::string_view error,
                             std::optional<absl::Time> retry_at);

  // --- dead letters and statistics ----------------------------------------
  absl::StatusOr<std::vector<v1::DeadLetter>> ListDeadLetters(
      absl::string_view webhook_id, absl::string_view after_id, int limit,
      bool* more);
  // In `tx`: makes dead letters pending again, due at `now`, attempts
  // counting from zero: one (`delivery_id`) or all of the webhook's
  // ("-"). NOT_FOUND when a named one is not a dead letter of the webhook.
  static absl::StatusOr<int> Replay(storage::Transaction& tx,
                                    absl::string_view webhook_id,
                                    absl::string_view delivery_id,
                                    absl::Time now);
  absl::StatusOr<v1::WebhookStats> Stats(absl::string_view webhook_id);

  // Deletes up to `limit` delivered deliveries created before `cutoff`.
  absl::StatusOr<int64_t> DeleteDeliveredOlderThan(absl::Time cutoff,
                                                   int limit);
  // Deletes up to `limit` dead letters whose last attempt was before
  // `cutoff`.
  absl::StatusOr<int64_t> DeleteDeadOlderThan(absl::Time cutoff, int limit);
  // Deletes up to `limit` deliveries (and any statistics) of webhooks that
  // no longer exist.
  absl::StatusOr<int64_t> DeleteOrphans(int limit);

 private:
  storage::Database* const db_;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_WEBHOOK_STORE_H_
