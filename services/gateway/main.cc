// jalin-gateway: HTTP/JSON and Server-Sent Events in front of the gRPC
// services, and the dashboard's files. The gRPC port serves health and
// metrics like every service; the HTTP server is the gateway itself.

#include <memory>

#include "common/server/service_runtime.h"
#include "services/gateway/gateway_stack.h"

namespace {

// Owns the gateway stack for the process's lifetime.
class Module final : public jalin::ServiceModule {
 public:
  explicit Module(std::unique_ptr<jalin::gateway::GatewayStack> stack)
      : stack_(std::move(stack)) {}
  void Stop() override { stack_->Stop(); }

 private:
  std::unique_ptr<jalin::gateway::GatewayStack> stack_;
};

}  // namespace

int main(int argc, char** argv) {
  static jalin::gateway::GatewaySettings settings;
  jalin::ServiceSpec spec;
  spec.name = "gateway";
  spec.summary = "HTTP/JSON gateway and dashboard";
  spec.grpc_port = 7105;
  spec.has_store = false;
  spec.add_settings = [](jalin::Config& config) { settings.Register(config); };
  spec.build = [](jalin::ServiceRuntime& rt)
      -> absl::StatusOr<std::unique_ptr<jalin::ServiceModule>> {
    jalin::gateway::StackEnvironment env;
    env.service = rt.service();
    env.redis = &rt.redis();
    env.authenticator = &rt.authenticator();
    env.metrics = &rt.host().metrics().registry();
    env.clock = &rt.clock();
    env.drain = rt.settings().drain_timeout;
    auto stack = jalin::gateway::GatewayStack::Create(settings, env);
    if (!stack.ok()) return stack.status();
    jalin::gateway::GatewayStack* s = stack->get();
    // Ready only while HTTP is served.
    rt.host().AddReadinessCheck(
        "http",
        [s] {
          return s->serving() ? absl::OkStatus()
                              : absl::UnavailableError("HTTP not serving");
        },
        /*required=*/true);
    return std::unique_ptr<jalin::ServiceModule>(
        std::make_unique<Module>(*std::move(stack)));
  };
  return jalin::RunService(argc, argv, spec);
}
