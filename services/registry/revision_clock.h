// Revisions of registry records. A record's etag is its revision, and the
// cache orders what it holds by it (redis_record_cache.h): a value or a
// tombstone refuses anything older. So a revision must be larger than
// every one handed out before, by this process and by every earlier run on
// the same store; a change that got a smaller one (a restart after the
// clock stepped back: NTP, a VM migration) would be refused by the cache,
// which would go on serving the record it replaced, and two versions of a
// record could share an etag.
//
// A revision is the clock's microseconds, bumped past the last one when the
// clock stalls or steps back. Across restarts the store keeps a high-water
// mark (table registry_revision_mark) at or above every revision a
// committed transaction used, a deletion's too (only the cache sees that
// one): a write covers each revision it takes in its own transaction
// (Cover), which raises the mark kMarkLead ahead whenever a revision passes
// it, so the mark costs one row write a minute rather than one per change.
// A new process starts above the mark (LoadRevisionFloor).
//
// One process per store: two processes on one store would each hand out
// revisions below their own marks, unordered between them (see the
// registry README, "Cache").

#ifndef SERVICES_REGISTRY_REVISION_CLOCK_H_
#define SERVICES_REGISTRY_REVISION_CLOCK_H_

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/storage/database.h"

namespace jalin::registry {

// Thread-safe. `clock` must outlive it, and it must outlive every
// transaction passed to Cover.
class RevisionClock {
 public:
  // How far above a revision Cover sets the mark (one minute of revisions).
  static constexpr int64_t kMarkLead = 60'000'000;

  // Hands out revisions above `floor` (LoadRevisionFloor).
  explicit RevisionClock(const Clock* clock, int64_t floor = 0)
      : clock_(clock), last_(floor) {}

  // A revision larger than the floor and every one handed out before.
  int64_t Next();

  // Makes the store's mark at least `revision` once `tx` commits. A
  // revision must be covered by the transaction that commits a change made
  // at it (or sends it to the cache) before that commits. Writes only when
  // `revision` is above the mark known to be committed.
  absl::Status Cover(storage::Transaction& tx, int64_t revision);

 private:
  const Clock* const clock_;
  absl::Mutex mu_;
  int64_t last_ ABSL_GUARDED_BY(mu_);
  // The mark as this process last committed it (0: not yet).
  int64_t committed_mark_ ABSL_GUARDED_BY(mu_) = 0;
};

// The revision a new RevisionClock on `db` must start above: the store's
// mark, or, in a store written before the mark existed, the largest
// revision of its records, which then becomes the mark. `db` must be
// migrated (MigrateRegistry).
absl::StatusOr<int64_t> LoadRevisionFloor(storage::Database& db);

// The etag of a revision, and back (0 for an etag this service did not
// issue).
std::string EtagOf(int64_t revision);
int64_t RevisionOf(absl::string_view etag);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_REVISION_CLOCK_H_
