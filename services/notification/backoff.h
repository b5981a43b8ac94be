// Retry delays for webhook deliveries: exponential backoff with jitter.
// After failed attempt n the delivery waits a random time in [d/2, d], where
// d = initial * 2^(n-1), capped at max; the randomness spreads the retries
// of many deliveries to one endpoint that failed together.

#ifndef SERVICES_NOTIFICATION_BACKOFF_H_
#define SERVICES_NOTIFICATION_BACKOFF_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jalin::notification {

struct BackoffPolicy {
  absl::Duration initial = absl::Seconds(1);
  absl::Duration max = absl::Minutes(10);
  // Attempts in all (the first one included); then the delivery is dead.
  int max_attempts = 10;
};

// Thread-safe.
class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy) : policy_(policy) {}

  // The delay after failed attempt number `attempt` (1 for the first).
  absl::Duration Delay(int attempt);
  // The cap before jitter for `attempt`.
  absl::Duration Ceiling(int attempt) const;
  bool Exhausted(int attempts) const {
    return attempts >= policy_.max_attempts;
  }

  const BackoffPolicy& policy() const { return policy_; }

 private:
  const BackoffPolicy policy_;
  absl::Mutex mu_;
  absl::BitGen gen_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_BACKOFF_H_
