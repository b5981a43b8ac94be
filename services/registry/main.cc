// jalin-registry: the registry of regions, taxonomy, clusters, UMKM,
// partners, listings and agreements, with bulk import from kabupaten
// systems.

#include <memory>

#include "common/server/service_runtime.h"
#include "services/registry/registry_module.h"

int main(int argc, char** argv) {
  static jalin::registry::RegistrySettings settings;
  jalin::ServiceSpec spec;
  spec.name = "registry";
  spec.summary =
      "the registry of regions, taxonomy, clusters, UMKM, partners, listings "
      "and agreements";
  spec.grpc_port = 7101;
  spec.add_settings = [](jalin::Config& config) { settings.Register(config); };
  spec.build = [](jalin::ServiceRuntime& rt)
      -> absl::StatusOr<std::unique_ptr<jalin::ServiceModule>> {
    auto module = jalin::registry::RegistryModule::Create(rt, settings);
    if (!module.ok()) return module.status();
    return std::unique_ptr<jalin::ServiceModule>(*std::move(module));
  };
  return jalin::RunService(argc, argv, spec);
}
