#include "services/registry/record_kinds.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/auth/principal.h"

namespace jalin::registry {

std::string RegionOf(const v1::Agreement& r) {
  for (const std::string& party : r.parties()) {
    if (absl::StartsWith(party, "regions/")) return party;
  }
  return "";
}

namespace {

const std::vector<std::string>& Fields(std::initializer_list<const char*> f) {
  return *new std::vector<std::string>(f.begin(), f.end());
}

}  // namespace

const std::vector<std::string>& OutputOnlyFields(const v1::Cluster&) {
  static const auto& f =
      Fields({"name", "source", "verification_state", "meta"});
  return f;
}
const std::vector<std::string>& OutputOnlyFields(const v1::Enterprise&) {
  static const auto& f = Fields({"name", "source", "verification_state",
                                 "merged_into", "curation_marks", "meta"});
  return f;
}
const std::vector<std::string>& OutputOnlyFields(const v1::Partner&) {
  static const auto& f =
      Fields({"name", "source", "verification_state", "meta"});
  return f;
}
const std::vector<std::string>& OutputOnlyFields(const v1::Listing&) {
  // The owner is fixed at creation: a listing moves by being recreated.
  static const auto& f =
      Fields({"name", "owner", "region", "source", "meta", "owner_profile"});
  return f;
}
const std::vector<std::string>& OutputOnlyFields(const v1::Agreement&) {
  static const auto& f = Fields({"name", "source", "meta"});
  return f;
}

void ClearOutputOnly(v1::Cluster* r) {
  r->clear_name();
  r->clear_source();
  r->set_verification_state(v1::UNVERIFIED);
  r->clear_meta();
}
void ClearOutputOnly(v1::Enterprise* r) {
  r->clear_name();
  r->clear_source();
  r->set_verification_state(v1::UNVERIFIED);
  r->clear_merged_into();
  r->clear_curation_marks();
  r->clear_meta();
}
void ClearOutputOnly(v1::Partner* r) {
  r->clear_name();
  r->clear_source();
  r->set_verification_state(v1::UNVERIFIED);
  r->clear_meta();
}
void ClearOutputOnly(v1::Listing* r) {
  // The owner is set on create; only later changes are refused.
  r->clear_name();
  r->clear_region();
  r->clear_source();
  r->clear_meta();
  r->clear_owner_profile();
}
void ClearOutputOnly(v1::Agreement* r) {
  r->clear_name();
  r->clear_source();
  r->clear_meta();
}

void StripContacts(v1::Cluster* r) { r->clear_leader(); }
void StripContacts(v1::Enterprise* r) { r->clear_contacts(); }
void StripContacts(v1::Partner* r) { r->clear_contacts(); }

std::string RegionCodeOf(absl::string_view region_name) {
  return auth::RegionCode(region_name);
}

std::string ProvinceCodeOf(absl::string_view region_name) {
  return auth::ProvinceCode(region_name);
}

std::string IdOf(absl::string_view name, absl::string_view collection) {
  if (!absl::ConsumePrefix(&name, collection) ||
      !absl::ConsumePrefix(&name, "/")) {
    return "";
  }
  return std::string(name);
}

}  // namespace jalin::registry
