// jalin-matching: explainable matching, channeling reports and proposals.

#include <memory>

#include "common/server/service_runtime.h"
#include "jalin/matching/v1/matching_service.grpc.pb.h"

namespace {

// The API as published so far; methods answer UNIMPLEMENTED until the
// service's issue lands.
class Module final : public jalin::ServiceModule {
 public:
  explicit Module(jalin::ServiceRuntime& rt) {
    rt.host().AddService(&service_);
  }

 private:
  jalin::matching::v1::MatchingService::CallbackService service_;
};

}  // namespace

int main(int argc, char** argv) {
  jalin::ServiceSpec spec;
  spec.name = "matching";
  spec.summary = "explainable matching, channeling reports and proposals";
  spec.grpc_port = 7102;
  spec.build = [](jalin::ServiceRuntime& rt)
      -> absl::StatusOr<std::unique_ptr<jalin::ServiceModule>> {
    return std::make_unique<Module>(rt);
  };
  return jalin::RunService(argc, argv, spec);
}
