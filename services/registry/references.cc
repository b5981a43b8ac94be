#include "services/registry/references.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/status/status_macros.h"
#include "services/registry/access.h"
#include "services/registry/owner_profile.h"
#include "services/registry/record_store.h"
#include "services/registry/validation.h"

namespace jalin::registry {
namespace {

// A violation of `field` unless the record `name` of kind T exists (names
// of another shape were reported by validation already).
template <typename T>
absl::Status CheckExists(storage::Transaction& tx, const std::string& field,
                         const std::string& name, FieldViolations& v,
                         KnownRecords* known) {
  const std::string id = IdOf(name, Kind<T>::kCollection);
  if (id.empty()) return absl::OkStatus();
  if (known != nullptr && known->contains(name)) return absl::OkStatus();
  ASSIGN_OR_RETURN(bool exists, RecordExists<T>(tx, id));
  if (!exists) {
    v.Add(field, absl::StrCat("no such ", Kind<T>::kResource));
  } else if (known != nullptr) {
    known->insert(name);
  }
  return absl::OkStatus();
}

// The stored cluster `name` ("clusters/{id}"); nullopt when `name` has
// another shape or names no record.
absl::StatusOr<std::optional<v1::Cluster>> FindCluster(storage::Transaction& tx,
                                                       absl::string_view name) {
  const std::string id = IdOf(name, "clusters");
  if (id.empty() || !api::IsValidId(id)) return std::nullopt;
  return LoadRecord<v1::Cluster>(tx, id);
}

// PERMISSION_DENIED unless `p` may attach a record in `record_region` to
// the cluster `name` (when it exists).
absl::Status CheckClusterAccess(storage::Transaction& tx,
                                const auth::Principal& p,
                                const std::string& name,
                                absl::string_view record_region) {
  ASSIGN_OR_RETURN(std::optional<v1::Cluster> cluster, FindCluster(tx, name));
  if (!cluster) return absl::OkStatus();
  return CheckClusterReference(p, name, RegionOf(*cluster), record_region);
}

}  // namespace

absl::Status CheckReferences(storage::Transaction& tx, const v1::Cluster& r,
                             FieldViolations& v, KnownRecords* known) {
  if (r.parent_cluster().empty()) return absl::OkStatus();
  if (r.parent_cluster() == r.name()) {
    v.Add("parent_cluster", "cannot be the cluster itself");
    return absl::OkStatus();
  }
  const size_t before = v.size();
  RETURN_IF_ERROR(CheckExists<v1::Cluster>(tx, "parent_cluster",
                                           r.parent_cluster(), v, known));
  if (v.size() != before) return absl::OkStatus();
  // Walk up from the parent: reaching the cluster would make a cycle. The
  // walk is bounded, so a chain stored before this check cannot loop it.
  std::string above = r.parent_cluster();
  for (int depth = 1;; ++depth) {
    ASSIGN_OR_RETURN(std::optional<v1::Cluster> c, FindCluster(tx, above));
    if (!c || c->parent_cluster().empty()) return absl::OkStatus();
    above = c->parent_cluster();
    if (!r.name().empty() && above == r.name()) {
      v.Add("parent_cluster",
            "lies below this cluster: the parent chain would be a cycle");
      return absl::OkStatus();
    }
    if (depth >= kMaxClusterDepth) {
      v.Add("parent_cluster", absl::StrCat("has more than ", kMaxClusterDepth,
                                           " clusters above it"));
      return absl::OkStatus();
    }
  }
}

absl::Status CheckReferenceAccess(storage::Transaction& tx,
                                  const auth::Principal& p,
                                  const v1::Cluster& r,
                                  const v1::Cluster* before) {
  if (r.parent_cluster().empty() ||
      (before != nullptr && before->parent_cluster() == r.parent_cluster())) {
    return absl::OkStatus();
  }
  return CheckClusterAccess(tx, p, r.parent_cluster(), RegionOf(r));
}

absl::Status CheckReferenceAccess(storage::Transaction& tx,
                                  const auth::Principal& p,
                                  const v1::Enterprise& r,
                                  const v1::Enterprise* before) {
  if (r.clusters_size() > kMaxReferences) return absl::OkStatus();
  for (const std::string& cluster : r.clusters()) {
    if (before != nullptr &&
        std::find(before->clusters().begin(), before->clusters().end(),
                  cluster) != before->clusters().end()) {
      continue;
    }
    RETURN_IF_ERROR(CheckClusterAccess(tx, p, cluster, RegionOf(r)));
  }
  return absl::OkStatus();
}

absl::Status CheckReferences(storage::Transaction& tx, const v1::Enterprise& r,
                             FieldViolations& v, KnownRecords* known) {
  for (int i = 0; i < r.clusters_size(); ++i) {
    RETURN_IF_ERROR(CheckExists<v1::Cluster>(
        tx, absl::StrCat("clusters[", i, "]"), r.clusters(i), v, known));
  }
  return absl::OkStatus();
}

absl::Status CheckReferences(storage::Transaction& tx, const v1::Agreement& r,
                             FieldViolations& v, KnownRecords* known) {
  for (int i = 0; i < r.parties_size(); ++i) {
    RETURN_IF_ERROR(CheckExists<v1::Partner>(
        tx, absl::StrCat("parties[", i, "]"), r.parties(i), v, known));
  }
  return absl::OkStatus();
}

absl::Status DeriveFields(storage::Transaction& tx,
                          const TaxonomyData& taxonomy, absl::Time now,
                          v1::Listing* r, FieldViolations& v) {
  if (r->type() == v1::CATEGORY_KIND_UNSPECIFIED) {
    if (const v1::Category* c = taxonomy.Find(r->category()); c != nullptr) {
      r->set_type(c->kind());
    }
  }
  if (r->status() == v1::Listing::STATUS_UNSPECIFIED) {
    r->set_status(v1::Listing::OPEN);
  }
  if (r->owner().empty()) return absl::OkStatus();  // reported by validation
  ASSIGN_OR_RETURN(std::optional<OwnerInfo> owner,
                   LoadOwner(tx, r->owner(), now));
  if (owner) {
    ApplyOwner(*owner, r);
  } else if (!IdOf(r->owner(), "clusters").empty() ||
             !IdOf(r->owner(), "enterprises").empty() ||
             !IdOf(r->owner(), "partners").empty()) {
    v.Add("owner", "no such cluster, enterprise or partner");
  }
  return absl::OkStatus();
}

absl::Status DeriveFields(storage::Transaction&, const TaxonomyData&,
                          absl::Time, v1::Agreement* r, FieldViolations&) {
  if (r->status() == v1::Agreement::STATUS_UNSPECIFIED) {
    r->set_status(v1::Agreement::ACTIVE);
  }
  return absl::OkStatus();
}

}  // namespace jalin::registry
