// Sends pending webhook deliveries: a scheduler thread picks the deliveries
// that are due from the store and hands them to a fixed pool of worker
// threads, which POST them (signed) and record the outcome. Failures are
// retried with exponential backoff and jitter until the attempt limit, then
// dead-lettered. Consumers only insert delivery rows, so a slow or dead
// endpoint never holds up event processing; each endpoint has at most
// `max_in_flight_per_webhook` requests open, so one slow endpoint cannot
// take every worker.
//
// Delivery is at least once per endpoint: an answer lost between the
// endpoint and this process (or a crash between the POST and recording
// it) means the same delivery, with the same X-Jalin-Event-Id, is sent
// again. Receivers drop repeats by that id.

#ifndef SERVICES_NOTIFICATION_DELIVERY_DISPATCHER_H_
#define SERVICES_NOTIFICATION_DELIVERY_DISPATCHER_H_

#include <atomic>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "services/notification/backoff.h"
#include "services/notification/http_client.h"
#include "services/notification/routing_table.h"
#include "services/notification/webhook_store.h"

namespace jalin::notification {

struct DispatcherOptions {
  int workers = 4;
  int max_in_flight_per_webhook = 2;
  // Deadline of one HTTP request.
  absl::Duration request_timeout = absl::Seconds(10);
  BackoffPolicy backoff;
};

// Thread-safe. Every pointer must outlive the dispatcher.
class DeliveryDispatcher {
 public:
  DeliveryDispatcher(WebhookStore* store, const RoutingTable* table,
                     HttpClient* http, const Clock* clock,
                     DispatcherOptions options);
  ~DeliveryDispatcher();

  DeliveryDispatcher(const DeliveryDispatcher&) = delete;
  DeliveryDispatcher& operator=(const DeliveryDispatcher&) = delete;

  void Start();
  // Cancels requests in flight and stops the threads. Deliveries not yet
  // recorded stay pending in the store for the next start.
  void Stop();

  // Deliveries were added, replayed or a webhook changed: look again.
  void Notify();

  int64_t attempts() const { return attempts_.load(); }

 private:
  struct Job {
    DeliveryJob delivery;
    std::string uri;
    std::string secret;
    std::string webhook_name;
  };

  void SchedulerLoop();
  // Queues what is due; returns when to look again (InfiniteFuture: only
  // when notified).
  absl::Time ScheduleOnce();
  void WorkerLoop();
  void Attempt(const Job& job);

  WebhookStore* const store_;
  const RoutingTable* const table_;
  HttpClient* const http_;
  const Clock* const clock_;
  const DispatcherOptions options_;
  Backoff backoff_;

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<Job> queue_ ABSL_GUARDED_BY(mu_);
  // Deliveries queued or being sent, and how many per webhook.
  absl::flat_hash_set<std::string> in_flight_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> per_webhook_ ABSL_GUARDED_BY(mu_);
  // Deliveries whose outcome was recorded since the scheduler's current
  // pass began: the rows that pass read may predate the outcome, so it
  // must not queue them again (the next pass reads them afresh).
  absl::flat_hash_set<std::string> settled_ ABSL_GUARDED_BY(mu_);

  std::thread scheduler_;
  std::vector<std::thread> workers_;
  std::atomic<int64_t> attempts_{0};
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_DELIVERY_DISPATCHER_H_
