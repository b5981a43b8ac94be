// The overlays the deployment tests render, rendered once per test process.

#ifndef TESTS_DEPLOY_OVERLAYS_H_
#define TESTS_DEPLOY_OVERLAYS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/deploy/manifests.h"

namespace jalin::deploy {

// "dev", "prod": every directory under k8s/overlays.
std::vector<std::string> OverlayNames();

// k8s/overlays/<name> rendered by kubectl kustomize; the pointer stays valid
// until exit. Not thread-safe.
absl::StatusOr<const Manifests*> RenderedOverlay(const std::string& name);

}  // namespace jalin::deploy

#endif  // TESTS_DEPLOY_OVERLAYS_H_
