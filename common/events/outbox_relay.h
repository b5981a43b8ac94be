// Publishes the outbox to the service's Redis stream, in order, and removes
// what was published. Keeps retrying while Redis is down: writes go on
// succeeding meanwhile, and the backlog drains when Redis returns.

#ifndef COMMON_EVENTS_OUTBOX_RELAY_H_
#define COMMON_EVENTS_OUTBOX_RELAY_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "common/storage/database.h"

namespace jalin::events {

struct RelayOptions {
  // "jalin.registry.events".
  std::string stream;
  // Events per XADD pipeline. Each batch ends with a write transaction
  // (marking it sent) that takes the store's write lock and syncs to disk,
  // so a backlog is best drained in few, large batches: under a bulk
  // import, small batches made the relay commit more often than the
  // import itself.
  int batch_size = 2000;
  // Approximate stream length kept (XADD MAXLEN ~): sized for the longest
  // consumer lag to survive.
  int64_t max_stream_length = 1'000'000;
  // Polling interval when nobody calls Notify().
  absl::Duration idle_poll = absl::Milliseconds(250);
  // Backoff after a failure doubles up to this.
  absl::Duration max_backoff = absl::Seconds(2);
};

// Thread-safe. `db` and `redis` must outlive the relay.
class OutboxRelay {
 public:
  OutboxRelay(storage::Database* db, redis::Client* redis,
              RelayOptions options);
  ~OutboxRelay();

  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // Starts the background thread.
  void Start();
  // Wakes the thread: new events were committed.
  void Notify();
  // Publishes what is pending until the outbox is empty or `deadline`
  // passes, then stops the thread. DEADLINE_EXCEEDED if events remain (they
  // are published on the next start).
  absl::Status FlushAndStop(absl::Time deadline);

  // Publishes one batch; returns how many events went out. Used by the
  // thread and by tests.
  absl::StatusOr<int> PublishBatch();

  // True when the last attempt reached Redis.
  bool healthy() const { return healthy_.load(); }
  int64_t published() const { return published_.load(); }

 private:
  void Run();

  storage::Database* const db_;
  redis::Client* const redis_;
  const RelayOptions options_;

  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // Serialises PublishBatch between the thread and FlushAndStop.
  absl::Mutex publish_mu_;
  std::thread thread_;
  std::atomic<bool> healthy_{true};
  std::atomic<int64_t> published_{0};
};

}  // namespace jalin::events

#endif  // COMMON_EVENTS_OUTBOX_RELAY_H_
