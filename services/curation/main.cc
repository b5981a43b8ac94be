// jalin-curation: curation campaigns and the verification queue.

#include <memory>

#include "common/server/service_runtime.h"
#include "jalin/curation/v1/curation_service.grpc.pb.h"

namespace {

// The API as published so far; methods answer UNIMPLEMENTED until the
// service's issue lands.
class Module final : public jalin::ServiceModule {
 public:
  explicit Module(jalin::ServiceRuntime& rt) {
    rt.host().AddService(&service_);
  }

 private:
  jalin::curation::v1::CurationService::CallbackService service_;
};

}  // namespace

int main(int argc, char** argv) {
  jalin::ServiceSpec spec;
  spec.name = "curation";
  spec.summary = "curation campaigns and the verification queue";
  spec.grpc_port = 7103;
  spec.build = [](jalin::ServiceRuntime& rt)
      -> absl::StatusOr<std::unique_ptr<jalin::ServiceModule>> {
    return std::make_unique<Module>(rt);
  };
  return jalin::RunService(argc, argv, spec);
}
