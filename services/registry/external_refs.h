// "external:<id>" references between records of one import source: an
// enterprise's clusters and a cluster's parent name clusters, a listing's
// owner names an enterprise, cluster or partner of the same source.

#ifndef SERVICES_REGISTRY_EXTERNAL_REFS_H_
#define SERVICES_REGISTRY_EXTERNAL_REFS_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "common/storage/database.h"
#include "services/registry/record_kinds.h"
#include "services/registry/references.h"

namespace jalin::registry {

inline constexpr absl::string_view kExternalPrefix = "external:";

// Resolves the references of one source within one transaction (read or
// write), remembering what it found. Used by one thread; `tx` and `known`
// must outlive it.
class ExternalRefs {
 public:
  // Resolved names are added to `known`.
  ExternalRefs(storage::Transaction& tx, absl::string_view system,
               KnownRecords* known)
      : tx_(tx), system_(system), known_records_(known) {}

  // Replaces `*name` when it is "external:<id>" of a record of kind T;
  // adds a violation of `field` when no such record exists.
  template <typename T>
  absl::Status Resolve(std::string* name, const std::string& field,
                       FieldViolations& v);
  // The same for a listing's owner, of any owner kind.
  absl::Status ResolveOwner(std::string* name, FieldViolations& v);

 private:
  // The resource name of the record of kind T with external id `ext`, or
  // empty.
  template <typename T>
  absl::StatusOr<std::string> Find(absl::string_view ext);

  storage::Transaction& tx_;
  const std::string system_;
  KnownRecords* const known_records_;
  // "<collection>/<external id>" -> resource name.
  absl::flat_hash_map<std::string, std::string> found_;
};

// Resolves every reference of a record; a reference that does not resolve
// is a violation (paths relative to the record).
absl::Status ResolveRefs(ExternalRefs& refs, v1::Cluster* r,
                         FieldViolations& v);
absl::Status ResolveRefs(ExternalRefs& refs, v1::Enterprise* r,
                         FieldViolations& v);
absl::Status ResolveRefs(ExternalRefs& refs, v1::Partner* r,
                         FieldViolations& v);
absl::Status ResolveRefs(ExternalRefs& refs, v1::Listing* r,
                         FieldViolations& v);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_EXTERNAL_REFS_H_
