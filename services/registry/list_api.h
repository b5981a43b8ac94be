// The List methods of the record kinds: filters as the API documents them,
// keyset pages in id order, total counts, contacts redacted per caller.

#ifndef SERVICES_REGISTRY_LIST_API_H_
#define SERVICES_REGISTRY_LIST_API_H_

#include "absl/status/status.h"
#include "common/auth/principal.h"
#include "jalin/registry/v1/registry_service.pb.h"
#include "services/registry/record_api.h"

namespace jalin::registry {

// Thread-safe; `deps` must outlive it.
class ListApi {
 public:
  explicit ListApi(const ApiDeps* deps) : deps_(deps) {}

  absl::Status Clusters(const auth::Principal& p,
                        const v1::ListClustersRequest& req,
                        v1::ListClustersResponse* resp) const;
  absl::Status Enterprises(const auth::Principal& p,
                           const v1::ListEnterprisesRequest& req,
                           v1::ListEnterprisesResponse* resp) const;
  absl::Status Partners(const auth::Principal& p,
                        const v1::ListPartnersRequest& req,
                        v1::ListPartnersResponse* resp) const;
  absl::Status Listings(const auth::Principal& p,
                        const v1::ListListingsRequest& req,
                        v1::ListListingsResponse* resp) const;
  absl::Status Agreements(const auth::Principal& p,
                          const v1::ListAgreementsRequest& req,
                          v1::ListAgreementsResponse* resp) const;

 private:
  const ApiDeps* const deps_;
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_LIST_API_H_
