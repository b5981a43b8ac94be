// The curation service process: wires the managers to the runtime (store,
// outbox, clock, keys), the registry client, the gRPC service, and the
// consumer of the registry's events that feeds the verification queue.

#ifndef SERVICES_CURATION_CURATION_MODULE_H_
#define SERVICES_CURATION_CURATION_MODULE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config/config.h"
#include "common/events/event_consumer.h"
#include "common/regions/region_table.h"
#include "common/server/service_runtime.h"
#include "common/storage/request_log.h"
#include "services/curation/curation_deps.h"
#include "services/curation/curation_service.h"
#include "services/curation/enterprise_directory.h"

namespace jalin::curation {

// The service's own settings (see the README).
struct CurationSettings {
  std::string registry_address = "127.0.0.1:7101";
  absl::Duration registry_timeout = absl::Seconds(5);

  // Registers the settings; this object must outlive Config::Parse.
  void Register(Config& config);
};

// Created and run by main(); Start/Stop from ServiceRuntime::Run.
class CurationModule final : public ServiceModule {
 public:
  static absl::StatusOr<std::unique_ptr<CurationModule>> Create(
      ServiceRuntime& rt, const CurationSettings& settings);
  ~CurationModule() override;

  // Starts following "jalin.registry.events" (consumer group "curation").
  absl::Status Start() override;
  void Stop() override;

 private:
  CurationModule() = default;

  regions::RegionTable regions_;
  storage::RequestLog requests_;
  std::unique_ptr<RegistryDirectory> directory_;
  CurationDeps deps_;
  std::unique_ptr<CurationService> service_;
  std::unique_ptr<events::EventConsumer> consumer_;
};

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_CURATION_MODULE_H_
