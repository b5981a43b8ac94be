#include "common/auth/principal.h"

#include <array>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace jalin::auth {
namespace {

constexpr std::array<std::pair<Role, absl::string_view>, 7> kRoles = {{
    {Role::kAdmin, "admin"},
    {Role::kFacilitator, "facilitator"},
    {Role::kIntegrator, "integrator"},
    {Role::kMember, "member"},
    {Role::kCurator, "curator"},
    {Role::kViewer, "viewer"},
    {Role::kService, "service"},
}};

}  // namespace

absl::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) return name;
  }
  return "viewer";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (const auto& [r, n] : kRoles) {
    if (n == name) return r;
  }
  return std::nullopt;
}

std::string RegionCode(absl::string_view region) {
  if (absl::StartsWith(region, "regions/")) region.remove_prefix(8);
  if (region.empty() || region.find('/') != absl::string_view::npos) return "";
  return std::string(region);
}

std::string ProvinceCode(absl::string_view region) {
  std::string code = RegionCode(region);
  size_t dot = code.find('.');
  return dot == std::string::npos ? code : code.substr(0, dot);
}

bool Principal::CoversRegion(absl::string_view region) const {
  if (IsGlobal()) return true;
  std::string code = RegionCode(region);
  if (code.empty()) return false;
  for (const std::string& scope : regions) {
    if (scope == code) return true;
    // "33" covers "33.13"; "33.13" covers its kecamatan "33.13.05".
    if (code.size() > scope.size() && absl::StartsWith(code, scope) &&
        code[scope.size()] == '.') {
      return true;
    }
  }
  return false;
}

}  // namespace jalin::auth
