// Background work of the matching service:
//  - Sweeper: every interval, expires unanswered proposals past their
//    expire_time and drops listings past their valid_until from the index
//    (queries already skip them; this frees their room).
//  - AutoProposer: the automatic rule. When a listing opens, its best
//    counterparts scoring at or above a threshold are proposed as "system"
//    (each pair once, ever). Off unless configured.

#ifndef SERVICES_MATCHING_SERVICE_HOUSEKEEPING_H_
#define SERVICES_MATCHING_SERVICE_HOUSEKEEPING_H_

#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "services/matching/proposals/proposals.h"
#include "services/matching/scoring/signals.h"
#include "services/matching/scoring/weights.h"
#include "services/matching/sync/index_sync.h"
#include "services/matching/sync/live_index.h"

namespace jalin::matching {

// Thread-safe start/stop. `proposals` and `sync` must outlive it.
class Sweeper {
 public:
  Sweeper(Proposals* proposals, IndexSync* sync, absl::Duration interval);
  ~Sweeper();

  void Start();
  void Stop();
  // One round (the thread's body; tests call it directly).
  void SweepOnce();

 private:
  Proposals* const proposals_;
  IndexSync* const sync_;
  const absl::Duration interval_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

struct AutoProposeOptions {
  bool enabled = false;
  // Proposes matches scoring at least this.
  double min_score = 0.85;
  // Best counterparts considered per opened listing.
  int max_per_listing = 3;
};

// Thread-safe. Everything passed in must outlive it.
class AutoProposer {
 public:
  AutoProposer(const LiveIndex* index, const Signals* signals,
               const Weights* weights, const Clock* clock,
               Proposals* proposals, AutoProposeOptions options);

  // For IndexSync's ListingsOpened; runs on the feed's thread.
  void OnListingsOpened(const std::vector<std::string>& listings);

 private:
  const LiveIndex* const index_;
  const Signals* const signals_;
  const Weights* const weights_;
  const Clock* const clock_;
  Proposals* const proposals_;
  const AutoProposeOptions options_;
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SERVICE_HOUSEKEEPING_H_
