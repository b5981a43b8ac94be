// Checks of registry records against the store: the records they refer to
// exist. Violations use paths relative to the record, like validation.h.

#ifndef SERVICES_REGISTRY_REFERENCES_H_
#define SERVICES_REGISTRY_REFERENCES_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
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

// parent_cluster exists and is not the cluster itself.
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
