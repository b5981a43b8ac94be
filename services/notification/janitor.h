// Retention: removes notifications, delivered webhook deliveries and dead
// letters (by their last attempt) older than the configured retention, and
// deliveries of webhooks that no longer exist, in small batches on its own
// thread. Pending deliveries are kept until delivered or dead-lettered.

#ifndef SERVICES_NOTIFICATION_JANITOR_H_
#define SERVICES_NOTIFICATION_JANITOR_H_

#include <cstdint>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "services/notification/notification_store.h"
#include "services/notification/webhook_store.h"

namespace jalin::notification {

struct JanitorOptions {
  absl::Duration retention = absl::Hours(24 * 90);
  absl::Duration interval = absl::Minutes(10);
  // Rows per delete transaction, so that writers are never held up long.
  int batch = 1000;
};

// Thread-safe. The stores and clock must outlive the janitor.
class Janitor {
 public:
  Janitor(NotificationStore* notifications, WebhookStore* webhooks,
          const Clock* clock, JanitorOptions options);
  ~Janitor();

  void Start();
  void Stop();

  // One pass: deletes everything past retention. Returns rows deleted.
  absl::StatusOr<int64_t> RunOnce();

 private:
  NotificationStore* const notifications_;
  WebhookStore* const webhooks_;
  const Clock* const clock_;
  const JanitorOptions options_;

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_JANITOR_H_
