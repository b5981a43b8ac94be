// jalin-notification: inboxes, live streams and webhooks.

#include <memory>

#include "common/server/service_runtime.h"
#include "jalin/notification/v1/notification_service.grpc.pb.h"

namespace {

// The API as published so far; methods answer UNIMPLEMENTED until the
// service's issue lands.
class Module final : public jalin::ServiceModule {
 public:
  explicit Module(jalin::ServiceRuntime& rt) {
    rt.host().AddService(&service_);
  }

 private:
  jalin::notification::v1::NotificationService::CallbackService service_;
};

}  // namespace

int main(int argc, char** argv) {
  jalin::ServiceSpec spec;
  spec.name = "notification";
  spec.summary = "inboxes, live streams and webhooks";
  spec.grpc_port = 7104;
  spec.build = [](jalin::ServiceRuntime& rt)
      -> absl::StatusOr<std::unique_ptr<jalin::ServiceModule>> {
    return std::make_unique<Module>(rt);
  };
  return jalin::RunService(argc, argv, spec);
}
