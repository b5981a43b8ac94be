// jalin-notification: routing of every service's events to inboxes, live
// streams and webhooks (DESIGN §10).

#include <memory>

#include "common/server/service_runtime.h"
#include "services/notification/notification_module.h"
#include "services/notification/notification_settings.h"

int main(int argc, char** argv) {
  jalin::notification::NotificationSettings settings;
  jalin::ServiceSpec spec;
  spec.name = "notification";
  spec.summary = "inboxes, live streams and webhooks";
  spec.grpc_port = 7104;
  spec.add_settings = [&settings](jalin::Config& config) {
    settings.Register(config);
  };
  spec.build = [&settings](jalin::ServiceRuntime& rt)
      -> absl::StatusOr<std::unique_ptr<jalin::ServiceModule>> {
    return jalin::notification::NotificationModule::Create(rt, settings);
  };
  return jalin::RunService(argc, argv, spec);
}
