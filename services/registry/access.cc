#include "services/registry/access.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/policy.h"

namespace jalin::registry {

absl::Status CheckWrite(const auth::Principal& p, Action action,
                        absl::string_view collection, absl::string_view region,
                        absl::string_view organization) {
  switch (p.role) {
    case auth::Role::kAdmin:
      return absl::OkStatus();
    case auth::Role::kFacilitator:
    case auth::Role::kIntegrator:
      if (!region.empty() && p.CoversRegion(region)) return absl::OkStatus();
      return auth::PermissionDenied(
          absl::StrCat("no write access to ", collection, " in ",
                       region.empty() ? "an unknown region" : region));
    case auth::Role::kMember: {
      const bool own =
          !p.organization.empty() && organization == p.organization;
      const bool allowed =
          own && (collection == "listings" || action == Action::kUpdate);
      if (allowed) return absl::OkStatus();
      return auth::PermissionDenied(absl::StrCat(
          "a member may change only its own record and listings (",
          p.organization.empty() ? "no organisation" : p.organization, ")"));
    }
    default:
      return auth::PermissionDenied(absl::StrCat(
          "role ", auth::RoleName(p.role), " may not change ", collection));
  }
}

absl::Status CheckWriteRecord(const auth::Principal& p, Action,
                              const v1::Agreement& record) {
  if (p.role == auth::Role::kAdmin) return absl::OkStatus();
  if (p.role == auth::Role::kFacilitator) {
    for (const std::string& party : record.parties()) {
      if (absl::StartsWith(party, "regions/") && p.CoversRegion(party)) {
        return absl::OkStatus();
      }
    }
  }
  return auth::PermissionDenied(
      "an agreement is changed by an admin or a facilitator of one of its "
      "regions");
}

absl::Status CheckRegionChange(const auth::Principal& p,
                               absl::string_view collection,
                               absl::string_view from, absl::string_view to) {
  if (p.role == auth::Role::kMember) {
    return auth::PermissionDenied(absl::StrCat(
        "a member may not move its record from ", from, " to another region"));
  }
  return CheckWrite(p, Action::kUpdate, collection, to, "");
}

absl::Status CheckClusterReference(const auth::Principal& p,
                                   absl::string_view cluster,
                                   absl::string_view cluster_region,
                                   absl::string_view record_region) {
  switch (p.role) {
    case auth::Role::kAdmin:
      return absl::OkStatus();
    case auth::Role::kFacilitator:
    case auth::Role::kIntegrator:
      if (!cluster_region.empty() && p.CoversRegion(cluster_region)) {
        return absl::OkStatus();
      }
      break;
    case auth::Role::kMember:
      if (!cluster_region.empty() && cluster_region == record_region) {
        return absl::OkStatus();
      }
      break;
    default:
      break;
  }
  return auth::PermissionDenied(absl::StrCat(
      "no write access to ", cluster, " in ",
      cluster_region.empty() ? "an unknown region" : cluster_region,
      ": a record joins or is placed under a cluster only by "
      "someone who may write in the cluster's region"));
}

bool MaySeeContacts(const auth::Principal& p, absl::string_view region,
                    absl::string_view record_name) {
  switch (p.role) {
    case auth::Role::kAdmin:
    case auth::Role::kService:
      return true;
    case auth::Role::kFacilitator:
    case auth::Role::kIntegrator:
      return !region.empty() && p.CoversRegion(region);
    case auth::Role::kMember:
      return !p.organization.empty() && p.organization == record_name;
    default:
      return false;
  }
}

}  // namespace jalin::registry
