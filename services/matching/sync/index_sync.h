// Keeps the live index in step with the registry: loads a snapshot into a
// fresh index, swaps it in, and follows the registry's events from the
// snapshot's position. On start the load is retried in the background until
// the registry answers; RebuildIndex runs the same load on demand. When the
// feed cannot start after a swap (Redis unreachable), a background thread
// keeps starting it at the new snapshot's position, with backoff, until it
// starts, a later load takes over, or Stop().
//
// Events already contained in the index (sequence <= the index's sequence)
// are skipped, so a restart or a rebuild never applies one twice and, as the
// feed resumes at the snapshot's stream position, never misses one.

#ifndef SERVICES_MATCHING_SYNC_INDEX_SYNC_H_
#define SERVICES_MATCHING_SYNC_INDEX_SYNC_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "jalin/events/v1/event.pb.h"
#include "jalin/registry/v1/snapshot.pb.h"
#include "services/matching/index/match_index.h"
#include "services/matching/sync/live_index.h"
#include "services/matching/sync/registry_source.h"

namespace jalin::matching {

struct SyncOptions {
  absl::Duration retry_initial = absl::Milliseconds(200);
  absl::Duration retry_max = absl::Seconds(10);
  // Listings to reserve room for in a fresh index.
  size_t expected_listings = 0;
};

// Listings that became OPEN and indexed through an event (names).
using ListingsOpened = std::function<void(const std::vector<std::string>&)>;

// Thread-safe. Everything passed in must outlive the sync.
class IndexSync {
 public:
  IndexSync(std::shared_ptr<const RegionGrid> grid, SnapshotSource* source,
            RegistryFeed* feed, LiveIndex* live, const Clock* clock,
            SyncOptions options, ListingsOpened on_opened = nullptr);
  ~IndexSync();

  IndexSync(const IndexSync&) = delete;
  IndexSync& operator=(const IndexSync&) = delete;

  // One full load: snapshot into a fresh index, swap, follow events from
  // the snapshot's position. Loads are serialised; queries keep using the
  // previous index (still following events) while the next one loads.
  // When the feed does not start, the new index is in place all the same,
  // the feed is retried in the background, and the error is returned.
  absl::Status Load();
  // Retries Load() on a background thread until the snapshot is in (the
  // feed, should it fail, is retried as above) or Stop().
  void StartBackgroundLoad();
  // Stops the background load, the feed's retries and the feed.
  void Stop();

  // Applies one registry event to the live index (the feed's handler).
  absl::Status Apply(const events::v1::Event& event);
  // Drops listings past their valid_until from the live index.
  int PurgeExpired();

  // Whether the index follows the registry's events now: false while the
  // feed waits to be started again or cannot read.
  bool feed_healthy() const;

 private:
  // Load(); `*swapped` tells whether the new index went in.
  absl::Status LoadOnce(bool* swapped);
  void BackgroundLoad();
  // Starts the feed at `position`; on failure leaves the position for the
  // restarter (starting its thread if need be).
  absl::Status StartFeed(const registry::v1::SnapshotPosition& position)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(load_mu_);
  // The restarter thread: starts the feed at unstarted_, with backoff,
  // whenever it is set, until Stop().
  void RestartFeed();

  const std::shared_ptr<const RegionGrid> grid_;
  SnapshotSource* const source_;
  RegistryFeed* const feed_;
  LiveIndex* const live_;
  const Clock* const clock_;
  const SyncOptions options_;
  const ListingsOpened on_opened_;

  // Held by a load and by a restart attempt (acquired before mu_).
  absl::Mutex load_mu_;
  // Set by Stop(): a load in progress gives up at its next chunk.
  std::atomic<bool> cancel_{false};

  mutable absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // The position of the index in place when its feed failed to start;
  // written with load_mu_ held too, cleared once the feed starts.
  std::optional<registry::v1::SnapshotPosition> unstarted_ ABSL_GUARDED_BY(mu_);
  std::thread loader_;
  // Started on the first failed feed start; runs until Stop().
  std::thread restarter_ ABSL_GUARDED_BY(mu_);
};

// Applies one registry event to `index` (no locking, no sequence check);
// `opened` receives listings that are now OPEN and indexed. Unknown event
// types change nothing. INVALID_ARGUMENT when the payload does not decode.
absl::Status ApplyRegistryEvent(MatchIndex& index,
                                const events::v1::Event& event, absl::Time now,
                                std::vector<std::string>* opened);

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SYNC_INDEX_SYNC_H_
