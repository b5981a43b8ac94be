// Reference data: regions (read-only, from data/regions.csv), the category
// taxonomy and its supply links (read from memory; admins add to them).

#ifndef SERVICES_REGISTRY_REFERENCE_API_H_
#define SERVICES_REGISTRY_REFERENCE_API_H_

#include "absl/status/status.h"
#include "common/auth/principal.h"
#include "common/regions/region_table.h"
#include "jalin/registry/v1/registry_service.pb.h"
#include "services/registry/record_api.h"

namespace jalin::registry {

// The Region message of a table entry.
jalin::registry::v1::Region RegionMessage(const regions::RegionInfo& info,
                                          const regions::RegionTable& table);

// Thread-safe; `deps` must outlive it.
class ReferenceApi {
 public:
  explicit ReferenceApi(const ApiDeps* deps) : deps_(deps) {}

  absl::Status GetRegion(const v1::GetRegionRequest& req,
                         v1::Region* out) const;
  absl::Status ListRegions(const v1::ListRegionsRequest& req,
                           v1::ListRegionsResponse* out) const;

  absl::Status GetCategory(const v1::GetCategoryRequest& req,
                           v1::Category* out) const;
  absl::Status ListCategories(const v1::ListCategoriesRequest& req,
                              v1::ListCategoriesResponse* out) const;
  absl::Status SearchCategories(const v1::SearchCategoriesRequest& req,
                                v1::SearchCategoriesResponse* out) const;
  absl::Status CreateCategory(const auth::Principal& p,
                              const v1::CreateCategoryRequest& req,
                              v1::Category* out) const;

  absl::Status ListSupplyLinks(const v1::ListSupplyLinksRequest& req,
                               v1::ListSupplyLinksResponse* out) const;
  absl::Status CreateSupplyLink(const auth::Principal& p,
                                const v1::CreateSupplyLinkRequest& req,
                                v1::SupplyLink* out) const;

 private:
  const ApiDeps* const deps_;
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_REFERENCE_API_H_
