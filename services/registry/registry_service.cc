#include "services/registry/registry_service.h"

#include "common/server/service_host.h"
#include "common/status/grpc_status.h"
#include "services/registry/import_reactor.h"
#include "services/registry/snapshot.h"

namespace jalin::registry {
namespace {

using auth::Principal;

// A stream refused before it started: finishes at once with `status`.
template <typename Reactor>
class Refused final : public Reactor {
 public:
  explicit Refused(const absl::Status& status) {
    this->Finish(ToGrpcStatus(status, ErrorDomain()));
  }
  void OnDone() override { delete this; }
};

}  // namespace

RegistryService::RegistryService(const auth::MethodPolicy* policy,
                                 const ApiDeps* deps,
                                 const ImportProcessor* import)
    : policy_(policy),
      deps_(deps),
      import_(import),
      reference_(deps),
      lists_(deps),
      statistics_(deps),
      clusters_(deps),
      enterprises_(deps),
      partners_(deps),
      listings_(deps),
      agreements_(deps) {}

// Reference data.

RegistryService::Unary* RegistryService::GetRegion(
    Ctx* c, const v1::GetRegionRequest* q, v1::Region* r) {
  return Call(c, "GetRegion",
              [&](const Principal&) { return reference_.GetRegion(*q, r); });
}
RegistryService::Unary* RegistryService::ListRegions(
    Ctx* c, const v1::ListRegionsRequest* q, v1::ListRegionsResponse* r) {
  return Call(c, "ListRegions",
              [&](const Principal&) { return reference_.ListRegions(*q, r); });
}
RegistryService::Unary* RegistryService::GetCategory(
    Ctx* c, const v1::GetCategoryRequest* q, v1::Category* r) {
  return Call(c, "GetCategory",
              [&](const Principal&) { return reference_.GetCategory(*q, r); });
}
RegistryService::Unary* RegistryService::ListCategories(
    Ctx* c, const v1::ListCategoriesRequest* q, v1::ListCategoriesResponse* r) {
  return Call(c, "ListCategories", [&](const Principal&) {
    return reference_.ListCategories(*q, r);
  });
}
RegistryService::Unary* RegistryService::SearchCategories(
    Ctx* c, const v1::SearchCategoriesRequest* q,
    v1::SearchCategoriesResponse* r) {
  return Call(c, "SearchCategories", [&](const Principal&) {
    return reference_.SearchCategories(*q, r);
  });
}
RegistryService::Unary* RegistryService::CreateCategory(
    Ctx* c, const v1::CreateCategoryRequest* q, v1::Category* r) {
  return Call(c, "CreateCategory", [&](const Principal& p) {
    return reference_.CreateCategory(p, *q, r);
  });
}
RegistryService::Unary* RegistryService::ListSupplyLinks(
    Ctx* c, const v1::ListSupplyLinksRequest* q,
    v1::ListSupplyLinksResponse* r) {
  return Call(c, "ListSupplyLinks", [&](const Principal&) {
    return reference_.ListSupplyLinks(*q, r);
  });
}
RegistryService::Unary* RegistryService::CreateSupplyLink(
    Ctx* c, const v1::CreateSupplyLinkRequest* q, v1::SupplyLink* r) {
  return Call(c, "CreateSupplyLink", [&](const Principal& p) {
    return reference_.CreateSupplyLink(p, *q, r);
  });
}

// Clusters.

RegistryService::Unary* RegistryService::CreateCluster(
    Ctx* c, const v1::CreateClusterRequest* q, v1::Cluster* r) {
  return Call(c, "CreateCluster", [&](const Principal& p) {
    return clusters_.Create(p, *q, q->cluster(), q->cluster_id(),
                            q->request_id(), q->validate_only(), r);
  });
}
RegistryService::Unary* RegistryService::GetCluster(
    Ctx* c, const v1::GetClusterRequest* q, v1::Cluster* r) {
  return Call(c, "GetCluster", [&](const Principal& p) {
    return clusters_.Get(p, q->name(), r);
  });
}
RegistryService::Unary* RegistryService::ListClusters(
    Ctx* c, const v1::ListClustersRequest* q, v1::ListClustersResponse* r) {
  return Call(c, "ListClusters",
              [&](const Principal& p) { return lists_.Clusters(p, *q, r); });
}
RegistryService::Unary* RegistryService::UpdateCluster(
    Ctx* c, const v1::UpdateClusterRequest* q, v1::Cluster* r) {
  return Call(c, "UpdateCluster", [&](const Principal& p) {
    return clusters_.Update(p, *q, q->cluster(), q->update_mask(),
                            q->request_id(), r);
  });
}
RegistryService::Unary* RegistryService::DeleteCluster(
    Ctx* c, const v1::DeleteClusterRequest* q, google::protobuf::Empty*) {
  return Call(c, "DeleteCluster", [&](const Principal& p) {
    return clusters_.Delete(p, *q, q->name(), q->etag(), q->request_id());
  });
}

// Enterprises.

RegistryService::Unary* RegistryService::CreateEnterprise(
    Ctx* c, const v1::CreateEnterpriseRequest* q, v1::Enterprise* r) {
  return Call(c, "CreateEnterprise", [&](const Principal& p) {
    return enterprises_.Create(p, *q, q->enterprise(), q->enterprise_id(),
                               q->request_id(), q->validate_only(), r);
  });
}
RegistryService::Unary* RegistryService::GetEnterprise(
    Ctx* c, const v1::GetEnterpriseRequest* q, v1::Enterprise* r) {
  return Call(c, "GetEnterprise", [&](const Principal& p) {
    return enterprises_.Get(p, q->name(), r);
  });
}
RegistryService::Unary* RegistryService::ListEnterprises(
    Ctx* c, const v1::ListEnterprisesRequest* q,
    v1::ListEnterprisesResponse* r) {
  return Call(c, "ListEnterprises",
              [&](const Principal& p) { return lists_.Enterprises(p, *q, r); });
}
RegistryService::Unary* RegistryService::UpdateEnterprise(
    Ctx* c, const v1::UpdateEnterpriseRequest* q, v1::Enterprise* r) {
  return Call(c, "UpdateEnterprise", [&](const Principal& p) {
    return enterprises_.Update(p, *q, q->enterprise(), q->update_mask(),
                               q->request_id(), r);
  });
}
RegistryService::Unary* RegistryService::DeleteEnterprise(
    Ctx* c, const v1::DeleteEnterpriseRequest* q, google::protobuf::Empty*) {
  return Call(c, "DeleteEnterprise", [&](const Principal& p) {
    return enterprises_.Delete(p, *q, q->name(), q->etag(), q->request_id());
  });
}

// Partners.

RegistryService::Unary* RegistryService::CreatePartner(
    Ctx* c, const v1::CreatePartnerRequest* q, v1::Partner* r) {
  return Call(c, "CreatePartner", [&](const Principal& p) {
    return partners_.Create(p, *q, q->partner(), q->partner_id(),
                            q->request_id(), q->validate_only(), r);
  });
}
RegistryService::Unary* RegistryService::GetPartner(
    Ctx* c, const v1::GetPartnerRequest* q, v1::Partner* r) {
  return Call(c, "GetPartner", [&](const Principal& p) {
    return partners_.Get(p, q->name(), r);
  });
}
RegistryService::Unary* RegistryService::ListPartners(
    Ctx* c, const v1::ListPartnersRequest* q, v1::ListPartnersResponse* r) {
  return Call(c, "ListPartners",
              [&](const Principal& p) { return lists_.Partners(p, *q, r); });
}
RegistryService::Unary* RegistryService::UpdatePartner(
    Ctx* c, const v1::UpdatePartnerRequest* q, v1::Partner* r) {
  return Call(c, "UpdatePartner", [&](const Principal& p) {
    return partners_.Update(p, *q, q->partner(), q->update_mask(),
                            q->request_id(), r);
  });
}
RegistryService::Unary* RegistryService::DeletePartner(
    Ctx* c, const v1::DeletePartnerRequest* q, google::protobuf::Empty*) {
  return Call(c, "DeletePartner", [&](const Principal& p) {
    return partners_.Delete(p, *q, q->name(), q->etag(), q->request_id());
  });
}

// Listings.

RegistryService::Unary* RegistryService::CreateListing(
    Ctx* c, const v1::CreateListingRequest* q, v1::Listing* r) {
  return Call(c, "CreateListing", [&](const Principal& p) {
    return listings_.Create(p, *q, q->listing(), q->listing_id(),
                            q->request_id(), q->validate_only(), r);
  });
}
RegistryService::Unary* RegistryService::GetListing(
    Ctx* c, const v1::GetListingRequest* q, v1::Listing* r) {
  return Call(c, "GetListing", [&](const Principal& p) {
    return listings_.Get(p, q->name(), r);
  });
}
RegistryService::Unary* RegistryService::ListListings(
    Ctx* c, const v1::ListListingsRequest* q, v1::ListListingsResponse* r) {
  return Call(c, "ListListings",
              [&](const Principal& p) { return lists_.Listings(p, *q, r); });
}
RegistryService::Unary* RegistryService::UpdateListing(
    Ctx* c, const v1::UpdateListingRequest* q, v1::Listing* r) {
  return Call(c, "UpdateListing", [&](const Principal& p) {
    return listings_.Update(p, *q, q->listing(), q->update_mask(),
                            q->request_id(), r);
  });
}
RegistryService::Unary* RegistryService::DeleteListing(
    Ctx* c, const v1::DeleteListingRequest* q, google::protobuf::Empty*) {
  return Call(c, "DeleteListing", [&](const Principal& p) {
    return listings_.Delete(p, *q, q->name(), q->etag(), q->request_id());
  });
}

// Agreements.

RegistryService::Unary* RegistryService::CreateAgreement(
    Ctx* c, const v1::CreateAgreementRequest* q, v1::Agreement* r) {
  return Call(c, "CreateAgreement", [&](const Principal& p) {
    return agreements_.Create(p, *q, q->agreement(), q->agreement_id(),
                              q->request_id(), q->validate_only(), r);
  });
}
RegistryService::Unary* RegistryService::GetAgreement(
    Ctx* c, const v1::GetAgreementRequest* q, v1::Agreement* r) {
  return Call(c, "GetAgreement", [&](const Principal& p) {
    return agreements_.Get(p, q->name(), r);
  });
}
RegistryService::Unary* RegistryService::ListAgreements(
    Ctx* c, const v1::ListAgreementsRequest* q, v1::ListAgreementsResponse* r) {
  return Call(c, "ListAgreements",
              [&](const Principal& p) { return lists_.Agreements(p, *q, r); });
}
RegistryService::Unary* RegistryService::UpdateAgreement(
    Ctx* c, const v1::UpdateAgreementRequest* q, v1::Agreement* r) {
  return Call(c, "UpdateAgreement", [&](const Principal& p) {
    return agreements_.Update(p, *q, q->agreement(), q->update_mask(),
                              q->request_id(), r);
  });
}
RegistryService::Unary* RegistryService::DeleteAgreement(
    Ctx* c, const v1::DeleteAgreementRequest* q, google::protobuf::Empty*) {
  return Call(c, "DeleteAgreement", [&](const Principal& p) {
    return agreements_.Delete(p, *q, q->name(), q->etag(), q->request_id());
  });
}

// Bulk import, snapshot, statistics.

grpc::ServerBidiReactor<v1::ImportRecordsRequest, v1::ImportRecordsResponse>*
RegistryService::ImportRecords(Ctx* c) {
  absl::StatusOr<Principal> p = policy_->Authorize(*c, "ImportRecords");
  if (p.ok()) {
    if (absl::Status s = import_->CheckCaller(*p); !s.ok()) p = s;
  }
  if (!p.ok()) {
    return new Refused<grpc::ServerBidiReactor<v1::ImportRecordsRequest,
                                               v1::ImportRecordsResponse>>(
        p.status());
  }
  return new ImportReactor(import_, *std::move(p));
}

grpc::ServerWriteReactor<v1::ExportSnapshotResponse>*
RegistryService::ExportSnapshot(Ctx* c, const v1::ExportSnapshotRequest* q) {
  using Writer = grpc::ServerWriteReactor<v1::ExportSnapshotResponse>;
  absl::StatusOr<Principal> p = policy_->Authorize(*c, "ExportSnapshot");
  if (!p.ok()) return new Refused<Writer>(p.status());
  absl::StatusOr<int> chunk = SnapshotChunkSize(q->chunk_size());
  if (!chunk.ok()) return new Refused<Writer>(chunk.status());
  absl::StatusOr<Snapshot> snapshot =
      ReadSnapshot(*deps_->db, q->include_closed());
  if (!snapshot.ok()) return new Refused<Writer>(snapshot.status());
  return new SnapshotWriter(*std::move(snapshot), *chunk);
}

RegistryService::Unary* RegistryService::GetStatistics(
    Ctx* c, const v1::GetStatisticsRequest* q, v1::Statistics* r) {
  return Call(c, "GetStatistics",
              [&](const Principal&) { return statistics_.Get(*q, r); });
}

}  // namespace jalin::registry
