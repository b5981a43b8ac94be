// A per-client request limit kept in Redis, so that every gateway replica
// counts against the same budget: fixed windows of `window`, at most
// `limit` admitted requests per client in each, counted under
// "<prefix><client>:<window index>".
//
// Decisions are taken at once, without waiting for Redis: each process
// knows a client's count as Redis last reported it plus what it admitted
// since, and refuses once that reaches the limit. A worker thread adds what
// was admitted to Redis (INCRBY, pipelined for every client that has
// something to report) and learns the totals every replica reached. With
// one replica the limit is exact; with several, a replica can overshoot by
// what the others admitted since its last report (one round trip).
//
// When Redis cannot be reached, traffic passes uncounted-by-Redis, the
// limiter reports itself degraded, and Redis is tried again after
// `retry_after_failure`.
//
// Thread-safe. `redis` and `clock` must outlive the limiter.

#ifndef SERVICES_GATEWAY_RATE_LIMITER_H_
#define SERVICES_GATEWAY_RATE_LIMITER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
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
};

struct RateDecision {
  bool allowed = true;
  // When refused: until the window ends (at least one second).
  absl::Duration retry_after;
};

class RateLimiter {
 public:
  RateLimiter(redis::Client* redis, RateLimitOptions options,
              const Clock* clock);
  ~RateLimiter();

  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Decides for `client` and, when allowed, counts the request.
  RateDecision Check(const std::string& client);

  bool enabled() const { return options_.limit > 0; }
  // True while Redis is failing.
  bool degraded() const { return degraded_.load(); }

  // Reports what is left to Redis (best effort) and joins the worker.
  void Stop();

 private:
  struct Count {
    int64_t window = 0;
    // The total Redis reported last (every replica's admissions).
    int64_t known = 0;
    // Admitted here and not yet sent / being sent to Redis.
    int64_t unsent = 0;
    int64_t sending = 0;
  };

  void Run();
  // One round trip: sends every unsent count. False if Redis failed.
  bool Sync();
  void SetDegraded(bool degraded, const std::string& why);
  int64_t WindowIndex(absl::Time t) const;

  redis::Client* const redis_;
  const RateLimitOptions options_;
  const Clock* const clock_;
  std::atomic<bool> degraded_{false};

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Count> counts_ ABSL_GUARDED_BY(mu_);
  bool dirty_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time retry_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::thread worker_;
};

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_RATE_LIMITER_H_
