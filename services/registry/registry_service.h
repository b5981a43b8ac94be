// The gRPC face of the registry: authorises each call against the method
// table and hands it to the API classes, which do the work. Thin on
// purpose: no logic lives here.

#ifndef SERVICES_REGISTRY_REGISTRY_SERVICE_H_
#define SERVICES_REGISTRY_REGISTRY_SERVICE_H_

#include "absl/strings/string_view.h"
#include "common/auth/policy.h"
#include "common/rpc/unary.h"
#include "common/status/status_macros.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "services/registry/import_batch.h"
#include "services/registry/list_api.h"
#include "services/registry/record_api.h"
#include "services/registry/reference_api.h"
#include "services/registry/statistics.h"

namespace jalin::registry {

// Thread-safe. `policy`, `deps` and `import` must outlive the service.
class RegistryService final : public v1::RegistryService::CallbackService {
 public:
  RegistryService(const auth::MethodPolicy* policy, const ApiDeps* deps,
                  const ImportProcessor* import);

  using Ctx = grpc::CallbackServerContext;
  using Unary = grpc::ServerUnaryReactor;

  Unary* GetRegion(Ctx* c, const v1::GetRegionRequest* q,
                   v1::Region* r) override;
  Unary* ListRegions(Ctx* c, const v1::ListRegionsRequest* q,
                     v1::ListRegionsResponse* r) override;
  Unary* GetCategory(Ctx* c, const v1::GetCategoryRequest* q,
                     v1::Category* r) override;
  Unary* ListCategories(Ctx* c, const v1::ListCategoriesRequest* q,
                        v1::ListCategoriesResponse* r) override;
  Unary* SearchCategories(Ctx* c, const v1::SearchCategoriesRequest* q,
                          v1::SearchCategoriesResponse* r) override;
  Unary* CreateCategory(Ctx* c, const v1::CreateCategoryRequest* q,
                        v1::Category* r) override;
  Unary* ListSupplyLinks(Ctx* c, const v1::ListSupplyLinksRequest* q,
                         v1::ListSupplyLinksResponse* r) override;
  Unary* CreateSupplyLink(Ctx* c, const v1::CreateSupplyLinkRequest* q,
                          v1::SupplyLink* r) override;

  Unary* CreateCluster(Ctx* c, const v1::CreateClusterRequest* q,
                       v1::Cluster* r) override;
  Unary* GetCluster(Ctx* c, const v1::GetClusterRequest* q,
                    v1::Cluster* r) override;
  Unary* ListClusters(Ctx* c, const v1::ListClustersRequest* q,
                      v1::ListClustersResponse* r) override;
  Unary* UpdateCluster(Ctx* c, const v1::UpdateClusterRequest* q,
                       v1::Cluster* r) override;
  Unary* DeleteCluster(Ctx* c, const v1::DeleteClusterRequest* q,
                       google::protobuf::Empty* r) override;

  Unary* CreateEnterprise(Ctx* c, const v1::CreateEnterpriseRequest* q,
                          v1::Enterprise* r) override;
  Unary* GetEnterprise(Ctx* c, const v1::GetEnterpriseRequest* q,
                       v1::Enterprise* r) override;
  Unary* ListEnterprises(Ctx* c, const v1::ListEnterprisesRequest* q,
                         v1::ListEnterprisesResponse* r) override;
  Unary* UpdateEnterprise(Ctx* c, const v1::UpdateEnterpriseRequest* q,
                          v1::Enterprise* r) override;
  Unary* DeleteEnterprise(Ctx* c, const v1::DeleteEnterpriseRequest* q,
                          google::protobuf::Empty* r) override;

  Unary* CreatePartner(Ctx* c, const v1::CreatePartnerRequest* q,
                       v1::Partner* r) override;
  Unary* GetPartner(Ctx* c, const v1::GetPartnerRequest* q,
                    v1::Partner* r) override;
  Unary* ListPartners(Ctx* c, const v1::ListPartnersRequest* q,
                      v1::ListPartnersResponse* r) override;
  Unary* UpdatePartner(Ctx* c, const v1::UpdatePartnerRequest* q,
                       v1::Partner* r) override;
  Unary* DeletePartner(Ctx* c, const v1::DeletePartnerRequest* q,
                       google::protobuf::Empty* r) override;

  Unary* CreateListing(Ctx* c, const v1::CreateListingRequest* q,
                       v1::Listing* r) override;
  Unary* GetListing(Ctx* c, const v1::GetListingRequest* q,
                    v1::Listing* r) override;
  Unary* ListListings(Ctx* c, const v1::ListListingsRequest* q,
                      v1::ListListingsResponse* r) override;
  Unary* UpdateListing(Ctx* c, const v1::UpdateListingRequest* q,
                       v1::Listing* r) override;
  Unary* DeleteListing(Ctx* c, const v1::DeleteListingRequest* q,
                       google::protobuf::Empty* r) override;

  Unary* CreateAgreement(Ctx* c, const v1::CreateAgreementRequest* q,
                         v1::Agreement* r) override;
  Unary* GetAgreement(Ctx* c, const v1::GetAgreementRequest* q,
                      v1::Agreement* r) override;
  Unary* ListAgreements(Ctx* c, const v1::ListAgreementsRequest* q,
                        v1::ListAgreementsResponse* r) override;
  Unary* UpdateAgreement(Ctx* c, const v1::UpdateAgreementRequest* q,
                         v1::Agreement* r) override;
  Unary* DeleteAgreement(Ctx* c, const v1::DeleteAgreementRequest* q,
                         google::protobuf::Empty* r) override;

  grpc::ServerBidiReactor<v1::ImportRecordsRequest, v1::ImportRecordsResponse>*
  ImportRecords(Ctx* c) override;
  grpc::ServerWriteReactor<v1::ExportSnapshotResponse>* ExportSnapshot(
      Ctx* c, const v1::ExportSnapshotRequest* q) override;
  Unary* GetStatistics(Ctx* c, const v1::GetStatisticsRequest* q,
                       v1::Statistics* r) override;

 private:
  // Authorises `method`, then runs `body(principal)` and finishes the call.
  template <typename Body>
  Unary* Call(Ctx* ctx, absl::string_view method, Body body) {
    return rpc::Unary(ctx, [&]() -> absl::Status {
      ASSIGN_OR_RETURN(auth::Principal p, policy_->Authorize(*ctx, method));
      return body(p);
    });
  }

  const auth::MethodPolicy* const policy_;
  const ApiDeps* const deps_;
  const ImportProcessor* const import_;
  const ReferenceApi reference_;
  const ListApi lists_;
  const StatisticsApi statistics_;
  const RecordApi<v1::Cluster> clusters_;
  const RecordApi<v1::Enterprise> enterprises_;
  const RecordApi<v1::Partner> partners_;
  const RecordApi<v1::Listing> listings_;
  const RecordApi<v1::Agreement> agreements_;
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_REGISTRY_SERVICE_H_
