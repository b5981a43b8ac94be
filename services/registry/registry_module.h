// The registry process: loads the regions and the taxonomy, migrates the
// store, serves RegistryService and consumes the curation events.

#ifndef SERVICES_REGISTRY_REGISTRY_MODULE_H_
#define SERVICES_REGISTRY_REGISTRY_MODULE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/policy.h"
#include "common/config/config.h"
#include "common/events/event_consumer.h"
#include "common/regions/region_table.h"
#include "common/server/service_runtime.h"
#include "common/storage/request_log.h"
#include "services/registry/curation_sync.h"
#include "services/registry/import_batch.h"
#include "services/registry/record_api.h"
#include "services/registry/redis_record_cache.h"
#include "services/registry/registry_service.h"
#include "services/registry/revision_clock.h"
#include "services/registry/taxonomy.h"

namespace jalin::registry {

// The registry's own settings (see services/registry/README.md).
struct RegistrySettings {
  absl::Duration cache_ttl = absl::Minutes(10);
  int64_t import_max_batch_records = 5000;

  void Register(Config& config);
};

// Owns everything the service uses; lives until the process exits. The
// runtime must outlive it.
class RegistryModule final : public ServiceModule {
 public:
  static absl::StatusOr<std::unique_ptr<RegistryModule>> Create(
      ServiceRuntime& rt, const RegistrySettings& settings);

  // Starts the curation consumer.
  absl::Status Start() override;
  void Stop() override;

 private:
  // `revision_floor`: LoadRevisionFloor of the store.
  RegistryModule(ServiceRuntime& rt, const RegistrySettings& settings,
                 regions::RegionTable regions, int64_t revision_floor);

  ServiceRuntime& rt_;
  const regions::RegionTable regions_;
  Taxonomy taxonomy_;
  RevisionClock revisions_;
  RedisRecordCache cache_;
  storage::RequestLog request_log_;
  ApiDeps deps_;
  const auth::MethodPolicy policy_;
  const ImportProcessor import_;
  RegistryService service_;
  const CurationSync curation_;
  events::EventConsumer consumer_;
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_REGISTRY_MODULE_H_
