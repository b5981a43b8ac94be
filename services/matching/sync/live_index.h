// The index the service answers from: one MatchIndex behind a reader/writer
// lock. Queries read it concurrently; registry events change it in place;
// a rebuild swaps in a fresh one.

#ifndef SERVICES_MATCHING_SYNC_LIVE_INDEX_H_
#define SERVICES_MATCHING_SYNC_LIVE_INDEX_H_

#include <cstdint>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/matching/index/match_index.h"

namespace jalin::matching {

struct IndexInfo {
  absl::Time build_time = absl::InfinitePast();
  double build_seconds = 0;
  // Registry events applied since the build.
  int64_t events_applied = 0;
};

// Thread-safe.
class LiveIndex {
 public:
  LiveIndex() = default;
  LiveIndex(const LiveIndex&) = delete;
  LiveIndex& operator=(const LiveIndex&) = delete;

  // Runs `fn` on the index under the shared lock; UNAVAILABLE before the
  // first index is in place.
  absl::Status Read(
      absl::FunctionRef<absl::Status(const MatchIndex&)> fn) const;
  // Runs `fn` under the exclusive lock; UNAVAILABLE before the first index.
  absl::Status Write(absl::FunctionRef<absl::Status(MatchIndex&)> fn);

  // Puts `next` in place; returns the previous index (to be destroyed
  // outside the lock).
  std::unique_ptr<MatchIndex> Swap(std::unique_ptr<MatchIndex> next,
                                   IndexInfo info);
  void CountEvent();

  bool ready() const;
  IndexInfo info() const;

 private:
  mutable absl::Mutex mu_;
  std::unique_ptr<MatchIndex> index_ ABSL_GUARDED_BY(mu_);
  IndexInfo info_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SYNC_LIVE_INDEX_H_
