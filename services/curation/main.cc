// jalin-curation: curation campaigns (reviewers, scores, decisions) and the
// verification queue for registry records. See services/curation/README.md.

#include <memory>

#include "common/server/service_runtime.h"
#include "services/curation/curation_module.h"

int main(int argc, char** argv) {
  // Outlives Config::Parse and the module.
  static jalin::curation::CurationSettings settings;
  jalin::ServiceSpec spec;
  spec.name = "curation";
  spec.summary = "curation campaigns and the verification queue";
  spec.grpc_port = 7103;
  spec.add_settings = [](jalin::Config& config) { settings.Register(config); };
  spec.build = [](jalin::ServiceRuntime& rt)
      -> absl::StatusOr<std::unique_ptr<jalin::ServiceModule>> {
    auto module = jalin::curation::CurationModule::Create(rt, settings);
    if (!module.ok()) return module.status();
    return std::unique_ptr<jalin::ServiceModule>(*std::move(module));
  };
  return jalin::RunService(argc, argv, spec);
}
