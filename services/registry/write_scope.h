// One write transaction of the registry and what it changed: events go to
// the outbox inside the transaction, cache invalidations are sent once it
// commits (and dropped if it rolls back).

#ifndef SERVICES_REGISTRY_WRITE_SCOPE_H_
#define SERVICES_REGISTRY_WRITE_SCOPE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/events/outbox.h"
#include "common/regions/region_table.h"
#include "common/storage/database.h"
#include "google/protobuf/message.h"
#include "jalin/events/v1/event.pb.h"
#include "jalin/registry/v1/record_meta.pb.h"
#include "services/registry/record_cache.h"
#include "services/registry/revision_clock.h"
#include "services/registry/taxonomy.h"

namespace jalin::registry {

// Who and when a change was made, stamped on its events.
struct EventOrigin {
  absl::Time now;
  // The caller's subject, or "system".
  std::string actor;
  std::string request_id;
};

// A "jalin.registry.<type>" event (`type` is "<resource>.<verb>").
jalin::events::v1::Event RegistryEvent(absl::string_view type,
                                       absl::string_view subject,
                                       const google::protobuf::Message& payload,
                                       std::vector<std::string> regions,
                                       std::vector<std::string> parties,
                                       const EventOrigin& origin);

// The record metadata of a change made at `now` with `revision`
// (create_time only when `created`).
void StampMeta(jalin::registry::v1::RecordMeta* meta, absl::Time now,
               int64_t revision, bool created);

// The long-lived parts every write needs. Owned by the registry module;
// all must outlive every WriteScope.
struct WriteDeps {
  const events::Outbox* outbox = nullptr;
  RecordCache* cache = nullptr;
  RevisionClock* revisions = nullptr;
  const regions::RegionTable* regions = nullptr;
};

// Lives inside one Database::Write callback and is used by its thread only.
class WriteScope {
 public:
  // `actor` and `request_id` are stamped on every event.
  WriteScope(storage::Transaction& tx, const WriteDeps& deps,
             std::shared_ptr<const TaxonomyData> taxonomy, absl::Time now,
             std::string actor, std::string request_id);

  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;

  storage::Transaction& tx() { return tx_; }
  const TaxonomyData& taxonomy() const { return *taxonomy_; }
  const regions::RegionTable& regions() const { return *deps_.regions; }
  absl::Time now() const { return origin_.now; }
  const EventOrigin& origin() const { return origin_; }

  // A new revision, covered in this transaction (RevisionClock::Cover),
  // and the record metadata of a change made at it (create_time only when
  // `created`).
  absl::StatusOr<int64_t> NextRevision();
  // Covers a revision taken before the transaction (an import record
  // prepared outside it).
  absl::Status CoverRevision(int64_t revision) {
    return deps_.revisions->Cover(tx_, revision);
  }
  void Stamp(jalin::registry::v1::RecordMeta* meta, int64_t revision,
             bool created) const;

  // Appends RegistryEvent(type, ...) with this scope's origin to the
  // outbox.
  absl::Status Emit(absl::string_view type, absl::string_view subject,
                    const google::protobuf::Message& payload,
                    std::vector<std::string> regions,
                    std::vector<std::string> parties);
  // Appends an event built beforehand.
  absl::Status Append(const jalin::events::v1::Event& event);
  // Appends an event built and serialised beforehand.
  absl::Status Append(const events::SerializedEvent& event);

  // After commit, values of `name` older than `revision` leave the cache.
  void Invalidate(std::string name, int64_t revision);

 private:
  storage::Transaction& tx_;
  const WriteDeps& deps_;
  const std::shared_ptr<const TaxonomyData> taxonomy_;
  const EventOrigin origin_;
  // Shared with the commit hook, which may outlive the scope.
  std::shared_ptr<std::vector<RecordCache::Change>> invalidations_;
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_WRITE_SCOPE_H_
