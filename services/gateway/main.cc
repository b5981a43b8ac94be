// jalin-gateway: HTTP/JSON and Server-Sent Events in front of the gRPC
// services, and the dashboard.

#include <memory>

#include "common/server/service_runtime.h"

namespace {

class Module final : public jalin::ServiceModule {};

}  // namespace

int main(int argc, char** argv) {
  jalin::ServiceSpec spec;
  spec.name = "gateway";
  spec.summary = "HTTP/JSON gateway and dashboard";
  spec.grpc_port = 7105;
  spec.has_store = false;
  spec.build = [](jalin::ServiceRuntime&)
      -> absl::StatusOr<std::unique_ptr<jalin::ServiceModule>> {
    return std::make_unique<Module>();
  };
  return jalin::RunService(argc, argv, spec);
}
