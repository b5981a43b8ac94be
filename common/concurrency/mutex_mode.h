// absl::Mutex's deadlock detector, switched off in programs that serve
// traffic.
//
// Debian's Abseil is built without NDEBUG, which leaves the detector on:
// every lock taken while another is held is recorded in a process-wide
// lock-order graph under one global lock. In a profile of the
// notification-fanout benchmark 1.3% of the machine's samples were in its
// graph code alone, on gRPC's threads and the service's. The services
// (RunService) and jalin-bench switch it off at start; unit tests keep it,
// so a lock-order cycle there still aborts the test.

#ifndef COMMON_CONCURRENCY_MUTEX_MODE_H_
#define COMMON_CONCURRENCY_MUTEX_MODE_H_

namespace jalin {

// Call once, first thing in main (before other threads take locks).
void SkipMutexDeadlockDetection();

}  // namespace jalin

#endif  // COMMON_CONCURRENCY_MUTEX_MODE_H_
