// Checks of registry records against the store: the records they refer to
// exist. Violations use paths relative to the record, like validation.h.

#ifndef SERVICES_REGISTRY_REFERENCES_H_
#define SERVICES_REGISTRY_REFERENCES_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "common/storage/database.h"
#include "services/registry/record_kinds.h"
#include "services/registry/taxonomy.h"

namespace jalin::registry {

// parent_cluster exists and is not the cluster itself.
absl::Status CheckReferences(storage::Transaction& tx, const v1::Cluster& r,
                             FieldViolations& v);
// Every cluster exists.
absl::Status CheckReferences(storage::Transaction& tx, const v1::Enterprise& r,
                             FieldViolations& v);
// Every partner party exists.
absl::Status CheckReferences(storage::Transaction& tx, const v1::Agreement& r,
                             FieldViolations& v);
// Partners refer to categories only; listings' owners are resolved by
// DeriveFields.
inline absl::Status CheckReferences(storage::Transaction&, const v1::Partner&,
                                    FieldViolations&) {
  return absl::OkStatus();
}
inline absl::Status CheckReferences(storage::Transaction&, const v1::Listing&,
                                    FieldViolations&) {
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
