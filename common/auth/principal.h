// Who is calling, as established from a verified token (never from a request
// field), and what region scope they hold.

#ifndef COMMON_AUTH_PRINCIPAL_H_
#define COMMON_AUTH_PRINCIPAL_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jalin::auth {

enum class Role {
  kAdmin,
  // Bappeda/Dinas staff, scoped to regions.
  kFacilitator,
  // A kabupaten/provincial system, scoped to regions: writes only its own.
  kIntegrator,
  // An UMKM, cluster or partner, scoped to its organisation.
  kMember,
  kCurator,
  kViewer,
  // Another jalin service.
  kService,
};

// "admin", "facilitator", ...
absl::string_view RoleName(Role role);
std::optional<Role> ParseRole(absl::string_view name);

struct Principal {
  // Token subject: "users/ani", "systems/sida-karanganyar",
  // "services/matching".
  std::string subject;
  Role role = Role::kViewer;
  // Region scope, as codes: "33" (a whole province) or "33.13".
  std::vector<std::string> regions;
  // For members: the organisation they act for ("enterprises/{id}",
  // "clusters/{id}", "partners/{id}").
  std::string organization;
  // For integrators: the pushing system's id, stamped on imported records.
  std::string source_system;
  // When the token that established this principal expires.
  absl::Time expire_time = absl::InfiniteFuture();

  // Admins and services act everywhere.
  bool IsGlobal() const {
    return role == Role::kAdmin || role == Role::kService;
  }
  // True when the principal's region scope contains `region`, given as a
  // code ("33.13") or a resource name ("regions/33.13"). A province scope
  // ("33") covers its regencies. Global principals cover everything.
  bool CoversRegion(absl::string_view region) const;
};

// "33.13" from "regions/33.13" or "33.13"; empty if neither.
std::string RegionCode(absl::string_view region);
// "33" from "33.13" or "regions/33.13".
std::string ProvinceCode(absl::string_view region);

}  // namespace jalin::auth

#endif  // COMMON_AUTH_PRINCIPAL_H_
