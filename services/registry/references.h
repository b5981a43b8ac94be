// Checks of registry records against the store: the records they refer to
// exist. Violations use paths relative to the record, like validation.h.

#ifndef SERVICES_REGISTRY_REFERENCES_H_
#define SERVICES_REGISTRY_REFERENCES_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/status/errors.h"
#include "common/storage/database.h"
#include "services/registry/record_kinds.h"
#include "services/registry/taxonomy.h"

namespace jalin::registry {

// Names of records known to exist in the current transaction (found or
// written by it), so that a batch checks each reference once. Used by one
// thread inside one transaction; records are not deleted meanwhile.
using KnownRecords = absl::flat_hash_set<std::string>;

// With `known` (optional), found names are added to it and names in it are
// not looked up again.

// Most clusters above a cluster: a longer parent chain is refused.
inline constexpr int kMaxClusterDepth = 16;

// parent_cluster exists, and neither it nor any cluster above it (at most
// kMaxClusterDepth levels) is the cluster itself.
absl::Status CheckReferences(storage::Transaction& tx, const v1::Cluster& r,
                             FieldViolations& v, KnownRecords* known = nullptr);
// Every cluster exists.
absl::Status CheckReferences(storage::Transaction& tx, const v1::Enterprise& r,
                             FieldViolations& v, KnownRecords* known = nullptr);
// Every partner party exists.
absl::Status CheckReferences(storage::Transaction& tx, const v1::Agreement& r,
                             FieldViolations& v, KnownRecords* known = nullptr);
// Partners refer to categories only; listings' owners are resolved by
// DeriveFields.
inline absl::Status CheckReferences(storage::Transaction&, const v1::Partner&,
                                    FieldViolations&, KnownRecords* = nullptr) {
  return absl::OkStatus();
}
inline absl::Status CheckReferences(storage::Transaction&, const v1::Listing&,
                                    FieldViolations&, KnownRecords* = nullptr) {
  return absl::OkStatus();
}

// PERMISSION_DENIED when `r` starts referring to a cluster (a cluster's
// parent_cluster, an enterprise's clusters) that `before` (the stored
// record; null on create) did not refer to, in a region where `p` may not
// attach records (CheckClusterReference in access.h). References of another
// shape, to no record, or in a list above its limit are left to validation.
absl::Status CheckReferenceAccess(storage::Transaction& tx,
                                  const auth::Principal& p,
                                  const v1::Cluster& r,
                                  const v1::Cluster* before);
absl::Status CheckReferenceAccess(storage::Transaction& tx,
                                  const auth::Principal& p,
                                  const v1::Enterprise& r,
                                  const v1::Enterprise* before);
inline absl::Status CheckReferenceAccess(storage::Transaction&,
                                         const auth::Principal&,
                                         const v1::Partner&,
                                         const v1::Partner*) {
  return absl::OkStatus();
}
inline absl::Status CheckReferenceAccess(storage::Transaction&,
                                         const auth::Principal&,
                                         const v1::Listing&,
                                         const v1::Listing*) {
  return absl::OkStatus();
}
inline absl::Status CheckReferenceAccess(storage::Transaction&,
                                         const auth::Principal&,
                                         const v1::Agreement&,
                                         const v1::Agreement*) {
  return absl::OkStatus();
}

// Fills what the registry derives for a listing: region and owner_profile
// from its owner (a violation of "owner" when there is no such record),
// the type from its category when unset, status OPEN when unset. Other
// kinds derive nothing, except that an agreement's status defaults to
// ACTIVE.
absl::Status DeriveFields(storage::Transaction& tx,
                          const TaxonomyData& taxonomy, absl::Time now,
                          v1::Listing* r, FieldViolations& v);
absl::Status DeriveFields(storage::Transaction& tx,
                          const TaxonomyData& taxonomy, absl::Time now,
                          v1::Agreement* r, FieldViolations& v);
template <typename T>
absl::Status DeriveFields(storage::Transaction&, const TaxonomyData&,
                          absl::Time, T*, FieldViolations&) {
  return absl::OkStatus();
}

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_REFERENCES_H_
