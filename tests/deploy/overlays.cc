#include "tests/deploy/overlays.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace jalin::deploy {

std::vector<std::string> OverlayNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(JALIN_SOURCE_DIR) / "k8s" / "overlays", ec)) {
    if (std::filesystem::exists(entry.path() / "kustomization.yaml")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<const Manifests*> RenderedOverlay(const std::string& name) {
  static auto* const cache =
      new std::map<std::string, absl::StatusOr<Manifests>>();
  auto it = cache->find(name);
  if (it == cache->end()) {
    it = cache->emplace(name, Manifests::Render("k8s/overlays/" + name)).first;
  }
  if (!it->second.ok()) return it->second.status();
  return &*it->second;
}

}  // namespace jalin::deploy
