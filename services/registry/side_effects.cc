#include "services/registry/side_effects.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/registry/owner_profile.h"

namespace jalin::registry {
namespace {

// An owner's listings follow it: refreshed when it changes, deleted with
// it. A new owner has no listings yet. `profile` gives the changed owner's
// profile; it is only built when there are listings to refresh.
template <typename T, typename Profile>
absl::Status OwnerChanged(WriteScope& scope, const T* before, const T* after,
                          Profile profile) {
  if (after == nullptr) return DeleteListingsOf(scope, before->name());
  if (before == nullptr) return absl::OkStatus();
  return RefreshListingsOf(scope, after->name(),
                           OwnerInfo{RegionOf(*after), profile(*after)});
}

absl::Status StillUsed(absl::string_view what, int64_t count,
                       absl::string_view by) {
  if (count == 0) return absl::OkStatus();
  return WithErrorInfo(
      absl::FailedPreconditionError(absl::StrCat(
          what, " is still used by ", count, " ", by, "; remove those first")),
      "STILL_REFERENCED");
}

}  // namespace

absl::Status AfterChange(WriteScope& scope, const v1::Cluster* before,
                         const v1::Cluster* after) {
  return OwnerChanged(scope, before, after,
                      [](const v1::Cluster& c) { return ProfileOf(c); });
}

absl::Status AfterChange(WriteScope& scope, const v1::Enterprise* before,
                         const v1::Enterprise* after) {
  return OwnerChanged(scope, before, after, [&](const v1::Enterprise& e) {
    return ProfileOf(e, scope.now());
  });
}

absl::Status AfterChange(WriteScope& scope, const v1::Partner* before,
                         const v1::Partner* after) {
  return OwnerChanged(scope, before, after,
                      [](const v1::Partner& p) { return ProfileOf(p); });
}

absl::Status CheckDeletable(storage::Transaction& tx, const v1::Cluster& r) {
  const std::string id = IdOf(r.name(), "clusters");
  ASSIGN_OR_RETURN(
      int64_t members,
      storage::QueryInt(
          tx, "SELECT COUNT(*) FROM enterprise_clusters WHERE cluster_id = ?",
          {storage::Param(id)}));
  RETURN_IF_ERROR(StillUsed(r.name(), members, "member enterprises"));
  ASSIGN_OR_RETURN(
      int64_t children,
      storage::QueryInt(tx, "SELECT COUNT(*) FROM clusters WHERE parent = ?",
                        {storage::Param(id)}));
  return StillUsed(r.name(), children, "child clusters");
}

absl::Status CheckDeletable(storage::Transaction& tx, const v1::Partner& r) {
  ASSIGN_OR_RETURN(
      int64_t agreements,
      storage::QueryInt(
          tx, "SELECT COUNT(*) FROM agreement_parties WHERE party = ?",
          {storage::Param(r.name())}));
  return StillUsed(r.name(), agreements, "agreements");
}

}  // namespace jalin::registry
