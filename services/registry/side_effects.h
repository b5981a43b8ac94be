// What else changes when a record changes: an owner's listings follow its
// region and standing (and go when it goes); and what must hold before a
// record may be deleted.

#ifndef SERVICES_REGISTRY_SIDE_EFFECTS_H_
#define SERVICES_REGISTRY_SIDE_EFFECTS_H_

#include "absl/status/status.h"
#include "common/storage/database.h"
#include "services/registry/record_kinds.h"
#include "services/registry/write_scope.h"

namespace jalin::registry {

// Runs in the transaction of the change. `before` is null for a created
// record, `after` null for a deleted one.
absl::Status AfterChange(WriteScope& scope, const v1::Cluster* before,
                         const v1::Cluster* after);
absl::Status AfterChange(WriteScope& scope, const v1::Enterprise* before,
                         const v1::Enterprise* after);
absl::Status AfterChange(WriteScope& scope, const v1::Partner* before,
                         const v1::Partner* after);
inline absl::Status AfterChange(WriteScope&, const v1::Listing*,
                                const v1::Listing*) {
  return absl::OkStatus();
}
inline absl::Status AfterChange(WriteScope&, const v1::Agreement*,
                                const v1::Agreement*) {
  return absl::OkStatus();
}

// FAILED_PRECONDITION when the record is still referred to: a cluster
// with member enterprises or child clusters, a partner that is a party to
// an agreement.
absl::Status CheckDeletable(storage::Transaction& tx, const v1::Cluster& r);
absl::Status CheckDeletable(storage::Transaction& tx, const v1::Partner& r);
template <typename T>
absl::Status CheckDeletable(storage::Transaction&, const T&) {
  return absl::OkStatus();
}

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_SIDE_EFFECTS_H_
