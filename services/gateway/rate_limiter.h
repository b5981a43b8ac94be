// A per-client request limit kept in Redis, so that every gateway replica
// counts against the same budget: a fixed window of `window` per client,
// `limit` requests in each (INCR + PEXPIRE on
// "<prefix><client>:<window index>").
//
// Checks are asynchronous: a worker thread sends every check waiting in its
// queue in one pipelined round trip, so an HTTP thread never blocks on
// Redis and a busy gateway pays about one round trip per batch. When Redis
// cannot be reached, traffic is let through and the limiter reports itself
// degraded (and skips Redis for `retry_after_failure`).
//
// Thread-safe. `redis` and `clock` must outlive the limiter.

#ifndef SERVICES_GATEWAY_RATE_LIMITER_H_
#define SERVICES_GATEWAY_RATE_LIMITER_H_

#include <atomic>
#include <deque>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/redis/redis_client.h"

namespace jalin::gateway {

struct RateLimitOptions {
  // Requests per window per client; 0 disables the limit.
  int64_t limit = 0;
  absl::Duration window = absl::Minutes(1);
  std::string key_prefix = "jalin:gateway:ratelimit:";
  absl::Duration retry_after_failure = absl::Seconds(1);
  // Most checks sent in one pipeline.
  size_t max_batch = 256;
};

struct RateDecision {
  bool allowed = true;
  // When refused: until the window ends (at least one second).
  absl::Duration retry_after;
  // Redis could not be asked: allowed without counting.
  bool degraded = false;
};

class RateLimiter {
 public:
  RateLimiter(redis::Client* redis, RateLimitOptions options,
              const Clock* clock);
  ~RateLimiter();

  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Decides for `client` and calls `done` exactly once: on the worker
  // thread, or at once (on the caller's thread) when the limit is off or
  // Redis is known to be down. After Stop(), allows at once.
  void Check(std::string client, std::function<void(RateDecision)> done);

  bool enabled() const { return options_.limit > 0; }
  // True while Redis is failing.
  bool degraded() const { return degraded_.load(); }

  // Answers what is queued (allowed) and joins the worker.
  void Stop();

 private:
  struct Pending {
    std::string client;
    std::function<void(RateDecision)> done;
  };

  void Run();
  void Decide(std::deque<Pending>& batch);
  void SetDegraded(bool degraded, const std::string& why);

  redis::Client* const redis_;
  const RateLimitOptions options_;
  const Clock* const clock_;
  std::atomic<bool> degraded_{false};
  std::atomic<int64_t> skip_until_micros_{0};

  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread worker_;
};

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_RATE_LIMITER_H_
