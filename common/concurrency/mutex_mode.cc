#include "common/concurrency/mutex_mode.h"

#include "absl/synchronization/mutex.h"

namespace jalin {

void SkipMutexDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace jalin
