#include "services/registry/references.h"

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "services/registry/owner_profile.h"
#include "services/registry/record_store.h"

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

}  // namespace

absl::Status CheckReferences(storage::Transaction& tx, const v1::Cluster& r,
                             FieldViolations& v, KnownRecords* known) {
  if (r.parent_cluster().empty()) return absl::OkStatus();
  if (r.parent_cluster() == r.name()) {
    v.Add("parent_cluster", "cannot be the cluster itself");
    return absl::OkStatus();
  }
  return CheckExists<v1::Cluster>(tx, "parent_cluster", r.parent_cluster(), v,
                                  known);
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
