#include "services/notification/backoff.h"

#include <algorithm>

namespace jalin::notification {

absl::Duration Backoff::Ceiling(int attempt) const {
  absl::Duration d = policy_.initial;
  for (int i = 1; i < attempt && d < policy_.max; ++i) d *= 2;
  return std::min(d, policy_.max);
}

absl::Duration Backoff::Delay(int attempt) {
  const absl::Duration ceiling = Ceiling(attempt);
  const int64_t hi = absl::ToInt64Microseconds(ceiling);
  const int64_t lo = hi / 2;
  absl::MutexLock lock(&mu_);
  return absl::Microseconds(
      hi > lo ? absl::Uniform<int64_t>(absl::IntervalClosed, gen_, lo, hi)
              : hi);
}

}  // namespace jalin::notification
