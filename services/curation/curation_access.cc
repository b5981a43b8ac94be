#include "services/curation/curation_access.h"

#include "absl/strings/str_cat.h"
#include "common/auth/policy.h"

namespace jalin::curation {

using auth::Role;

bool IsOrganiser(const auth::Principal& p,
                 const jalin::curation::v1::Campaign& c) {
  if (p.IsGlobal()) return true;
  return p.role == Role::kFacilitator && p.CoversRegion(c.region());
}

absl::Status RequireOrganiser(const auth::Principal& p,
                              const jalin::curation::v1::Campaign& c) {
  if (IsOrganiser(p, c)) return absl::OkStatus();
  return auth::PermissionDenied(absl::StrCat("only admins and facilitators of ",
                                             c.region(), " manage ", c.name()));
}

bool ActsForApplicant(const auth::Principal& p, absl::string_view enterprise,
                      absl::string_view region) {
  switch (p.role) {
    case Role::kMember:
      return !enterprise.empty() && p.organization == enterprise;
    case Role::kIntegrator:
      return p.CoversRegion(region);
    default:
      return false;
  }
}

bool MayReadProgress(const auth::Principal& p,
                     const jalin::curation::v1::Campaign& c) {
  if (IsOrganiser(p, c) || p.role == Role::kCurator) return true;
  return (p.role == Role::kViewer || p.role == Role::kIntegrator) &&
         p.CoversRegion(c.region());
}

}  // namespace jalin::curation
