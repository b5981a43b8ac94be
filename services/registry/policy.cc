#include "services/registry/policy.h"

namespace jalin::registry {

auth::MethodPolicy RegistryPolicy(const auth::Authenticator* authenticator) {
  using auth::Role;
  auth::MethodPolicy policy(authenticator);
  for (const char* read :
       {"GetRegion", "ListRegions", "GetCategory", "ListCategories",
        "SearchCategories", "ListSupplyLinks", "GetCluster", "ListClusters",
        "GetEnterprise", "ListEnterprises", "GetPartner", "ListPartners",
        "GetListing", "ListListings", "GetAgreement", "ListAgreements",
        "GetStatistics"}) {
    policy.AllowAuthenticated(read);
  }
  policy.Allow("CreateCategory", {Role::kAdmin});
  policy.Allow("CreateSupplyLink", {Role::kAdmin});
  for (const char* kind : {"Cluster", "Enterprise", "Partner"}) {
    const std::string k(kind);
    policy.Allow("Create" + k,
                 {Role::kAdmin, Role::kFacilitator, Role::kIntegrator});
    policy.Allow("Update" + k, {Role::kAdmin, Role::kFacilitator,
                                Role::kIntegrator, Role::kMember});
    policy.Allow("Delete" + k,
                 {Role::kAdmin, Role::kFacilitator, Role::kIntegrator});
  }
  for (const char* verb : {"CreateListing", "UpdateListing", "DeleteListing"}) {
    policy.Allow(verb, {Role::kAdmin, Role::kFacilitator, Role::kIntegrator,
                        Role::kMember});
  }
  for (const char* verb :
       {"CreateAgreement", "UpdateAgreement", "DeleteAgreement"}) {
    policy.Allow(verb, {Role::kAdmin, Role::kFacilitator});
  }
  policy.Allow("ImportRecords", {Role::kAdmin, Role::kIntegrator});
  policy.Allow("ExportSnapshot", {Role::kAdmin, Role::kService});
  return policy;
}

}  // namespace jalin::registry
