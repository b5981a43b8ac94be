// Revisions of registry records: every change gets a number larger than
// any handed out before by this process (microseconds of the clock, bumped
// past the last one when the clock stalls or steps back). A record's etag
// is its revision; the cache orders what it holds by it.

#ifndef SERVICES_REGISTRY_REVISION_CLOCK_H_
#define SERVICES_REGISTRY_REVISION_CLOCK_H_

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"

namespace jalin::registry {

// Thread-safe. `clock` must outlive it.
class RevisionClock {
 public:
  explicit RevisionClock(const Clock* clock) : clock_(clock) {}

  int64_t Next();

 private:
  const Clock* const clock_;
  absl::Mutex mu_;
  int64_t last_ ABSL_GUARDED_BY(mu_) = 0;
};

// The etag of a revision, and back (0 for an etag this service did not
// issue).
std::string EtagOf(int64_t revision);
int64_t RevisionOf(absl::string_view etag);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_REVISION_CLOCK_H_
