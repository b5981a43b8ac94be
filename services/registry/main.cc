// jalin-registry: the registry of regions, taxonomy, clusters, UMKM, partners,
// listings and agreements.

#include <memory>

#include "common/server/service_runtime.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"

namespace {

// The API as published so far; methods answer UNIMPLEMENTED until the
// service's issue lands.
class Module final : public jalin::ServiceModule {
 public:
  explicit Module(jalin::ServiceRuntime& rt) {
    rt.host().AddService(&service_);
  }

 private:
  jalin::registry::v1::RegistryService::CallbackService service_;
};

}  // namespace

int main(int argc, char** argv) {
  jalin::ServiceSpec spec;
  spec.name = "registry";
  spec.summary =
      "the registry of regions, taxonomy, clusters, UMKM, partners, listings "
      "and agreements";
  spec.grpc_port = 7101;
  spec.build = [](jalin::ServiceRuntime& rt)
      -> absl::StatusOr<std::unique_ptr<jalin::ServiceModule>> {
    return std::make_unique<Module>(rt);
  };
  return jalin::RunService(argc, argv, spec);
}
