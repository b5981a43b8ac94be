// GetStatistics: counts of UMKM, clusters, partners and open listings for
// the whole country, a province or a kabupaten/kota, broken down by
// province, region, cluster, top-level sector category or scale, from one
// call ("Kabupaten Klaten: 50,000 UMKM in 11 clusters").

#ifndef SERVICES_REGISTRY_STATISTICS_H_
#define SERVICES_REGISTRY_STATISTICS_H_

#include "absl/status/status.h"
#include "jalin/registry/v1/statistics.pb.h"
#include "services/registry/record_api.h"

namespace jalin::registry {

// Thread-safe; `deps` must outlive it.
class StatisticsApi {
 public:
  explicit StatisticsApi(const ApiDeps* deps) : deps_(deps) {}

  absl::Status Get(const v1::GetStatisticsRequest& req,
                   v1::Statistics* out) const;

 private:
  const ApiDeps* const deps_;
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_STATISTICS_H_
