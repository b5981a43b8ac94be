#include "services/registry/external_refs.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/status_macros.h"
#include "services/registry/record_store.h"

namespace jalin::registry {

template <typename T>
absl::StatusOr<std::string> ExternalRefs::Find(absl::string_view ext) {
  const std::string key = absl::StrCat(Kind<T>::kCollection, "/", ext);
  if (auto it = found_.find(key); it != found_.end()) return it->second;
  ASSIGN_OR_RETURN(std::string id, FindIdBySource<T>(tx_, system_, ext));
  if (id.empty()) return id;
  // Only hits are remembered: a later record may create the missing one.
  std::string name = absl::StrCat(Kind<T>::kCollection, "/", id);
  found_.emplace(key, name);
  known_records_->insert(name);
  return name;
}

template <typename T>
absl::Status ExternalRefs::Resolve(std::string* name, const std::string& field,
                                   FieldViolations& v) {
  absl::string_view ext = *name;
  if (!absl::ConsumePrefix(&ext, kExternalPrefix)) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string found, Find<T>(ext));
  if (found.empty()) {
    v.Add(field, absl::StrCat("no ", Kind<T>::kResource, " with external id ",
                              ext, " from ", system_));
  } else {
    *name = std::move(found);
  }
  return absl::OkStatus();
}

absl::Status ExternalRefs::ResolveOwner(std::string* name, FieldViolations& v) {
  absl::string_view ext = *name;
  if (!absl::ConsumePrefix(&ext, kExternalPrefix)) return absl::OkStatus();
  std::vector<std::string> found;
  for (auto find :
       {&ExternalRefs::Find<v1::Enterprise>, &ExternalRefs::Find<v1::Cluster>,
        &ExternalRefs::Find<v1::Partner>}) {
    ASSIGN_OR_RETURN(std::string n, (this->*find)(ext));
    if (!n.empty()) found.push_back(std::move(n));
  }
  if (found.empty()) {
    v.Add("owner",
          absl::StrCat("no record with external id ", ext, " from ", system_));
  } else if (found.size() > 1) {
    v.Add("owner", absl::StrCat("external id ", ext,
                                " names more than one record; use the "
                                "resource name"));
  } else {
    *name = std::move(found[0]);
  }
  return absl::OkStatus();
}

absl::Status ResolveRefs(ExternalRefs& refs, v1::Cluster* r,
                         FieldViolations& v) {
  return refs.Resolve<v1::Cluster>(r->mutable_parent_cluster(),
                                   "parent_cluster", v);
}

absl::Status ResolveRefs(ExternalRefs& refs, v1::Enterprise* r,
                         FieldViolations& v) {
  for (int i = 0; i < r->clusters_size(); ++i) {
    RETURN_IF_ERROR(refs.Resolve<v1::Cluster>(
        r->mutable_clusters(i), absl::StrCat("clusters[", i, "]"), v));
  }
  return absl::OkStatus();
}

absl::Status ResolveRefs(ExternalRefs&, v1::Partner*, FieldViolations&) {
  return absl::OkStatus();
}

absl::Status ResolveRefs(ExternalRefs& refs, v1::Listing* r,
                         FieldViolations& v) {
  return refs.ResolveOwner(r->mutable_owner(), v);
}

}  // namespace jalin::registry
