// Every JALIN_* setting the service binaries accept (their --settings) is
// documented in deploy/README.md, and each overlay sets it where the README
// says: in the ConfigMap, in the service's Deployment, or nowhere (the
// binary's default on purpose). Failures say which setting is missing where.

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "tests/deploy/manifests.h"
#include "tests/deploy/overlays.h"
#include "tests/deploy/service_settings.h"

namespace jalin::deploy {
namespace {

constexpr char kReadme[] = "deploy/README.md";
const std::set<std::string>& Places() {
  static const auto* const places =
      new std::set<std::string>{"ConfigMap", "Deployment", "default"};
  return *places;
}

class DeploySettingsDocs : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<const std::vector<ServiceInfo>*> s = Services();
    ASSERT_TRUE(s.ok()) << s.status();
    services_ = *s;
    absl::StatusOr<std::string> readme = ReadSourceFile(kReadme);
    ASSERT_TRUE(readme.ok()) << readme.status();
    absl::StatusOr<std::map<std::string, DocumentedSetting>> rows =
        ParseDocumentedSettings(*readme);
    ASSERT_TRUE(rows.ok()) << rows.status();
    documented_ = *std::move(rows);
  }

  void Check(const std::vector<std::string>& problems) {
    EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
  }

  const std::vector<ServiceInfo>* services_ = nullptr;
  std::map<std::string, DocumentedSetting> documented_;
};

TEST_F(DeploySettingsDocs, EverySettingOfEveryBinaryIsDocumented) {
  std::vector<std::string> problems;
  std::map<std::string, std::vector<std::string>> accepted_by;
  for (const ServiceInfo& s : *services_) {
    for (const Setting& setting : s.settings) {
      accepted_by[setting.env].push_back("jalin-" + s.name);
    }
  }
  for (const auto& [env, binaries] : accepted_by) {
    if (!documented_.count(env)) {
      problems.push_back(absl::StrCat(
          env, " (accepted by ", absl::StrJoin(binaries, ", "),
          ") is not documented in ", kReadme, ": add a row | `", env,
          "` | default | ConfigMap, Deployment or default | meaning |"));
    }
  }
  EXPECT_FALSE(accepted_by.empty());
  Check(problems);
}

TEST_F(DeploySettingsDocs, EveryDocumentedSettingIsAccepted) {
  std::vector<std::string> problems;
  for (const auto& [env, row] : documented_) {
    bool accepted = false;
    for (const ServiceInfo& s : *services_) accepted |= s.Find(env) != nullptr;
    if (!accepted) {
      problems.push_back(
          absl::StrCat(kReadme, ":", row.line, ": ", env,
                       " is accepted by no service binary "
                       "(--settings); remove or rename the row"));
    }
  }
  Check(problems);
}

TEST_F(DeploySettingsDocs, DocumentedDefaultsAndPlacesAreValid) {
  std::vector<std::string> problems;
  for (const auto& [env, row] : documented_) {
    if (!Places().count(row.where)) {
      problems.push_back(absl::StrCat(
          kReadme, ":", row.line, ": ", env, ": the Kubernetes cell is '",
          row.where, "', want ConfigMap, Deployment or default"));
    }
    // A single literal default (`2s`, or an empty cell) must be what every
    // binary prints; cells with placeholders (<port>) or prose are skipped.
    absl::string_view cell = row.default_cell;
    bool literal =
        cell.empty() ||
        (absl::ConsumePrefix(&cell, "`") && absl::ConsumeSuffix(&cell, "`") &&
         !absl::StrContains(cell, "`") && !absl::StrContains(cell, "<"));
    if (!literal) continue;
    for (const ServiceInfo& s : *services_) {
      const Setting* setting = s.Find(env);
      if (setting != nullptr && setting->default_value != cell) {
        problems.push_back(
            absl::StrCat(kReadme, ":", row.line, ": ", env, " defaults to '",
                         cell, "' in the README but to '",
                         setting->default_value, "' in jalin-", s.name));
      }
    }
  }
  Check(problems);
}

class DeployKubernetesSettings
    : public DeploySettingsDocs,
      public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    DeploySettingsDocs::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<const Manifests*> m = RenderedOverlay(GetParam());
    ASSERT_TRUE(m.ok()) << m.status();
    manifests_ = *m;
  }

  std::string Where() const { return "k8s/overlays/" + GetParam(); }

  const Manifests* manifests_ = nullptr;
};

TEST_P(DeployKubernetesSettings, EverySettingIsSetWhereTheReadmeSays) {
  std::vector<std::string> problems;
  for (const ServiceInfo& s : *services_) {
    std::optional<Workload> w = manifests_->FindWorkload(s.name);
    YAML::Node c = w.has_value() ? ContainerNamed(w->pod_spec(), s.name)
                                 : YAML::Node(YAML::NodeType::Undefined);
    if (!c) {
      problems.push_back(absl::StrCat(Where(), ": no Deployment/", s.name,
                                      " with a container ", s.name));
      continue;
    }
    Environment env = manifests_->EnvironmentOf(c, &problems);
    for (const Setting& setting : s.settings) {
      auto row = documented_.find(setting.env);
      if (row == documented_.end()) continue;  // reported by the docs test
      auto set = env.find(setting.env);
      const std::string& place = row->second.where;
      const std::string said =
          absl::StrCat(kReadme, ":", row->second.line, " says ", place);
      if (place == "ConfigMap" &&
          (set == env.end() ||
           !absl::StartsWith(set->second.source, "ConfigMap/"))) {
        problems.push_back(absl::StrCat(Where(), ": ", setting.env,
                                        " of jalin-", s.name, " (", said,
                                        ") is not in the ConfigMap ", w->id(),
                                        " loads: add it to "
                                        "configMapGenerator jalin-config in "
                                        "k8s/base/jalin/kustomization.yaml"));
      } else if (place == "Deployment" &&
                 (set == env.end() ||
                  set->second.source.rfind("env", 0) != 0)) {
        problems.push_back(
            absl::StrCat(Where(), ": ", setting.env, " of jalin-", s.name, " (",
                         said, ") is not in the env of ", w->id(),
                         ": add it to k8s/base/jalin/", s.name, ".yaml"));
      } else if (place == "default" && set != env.end()) {
        problems.push_back(absl::StrCat(
            Where(), ": ", setting.env, " of jalin-", s.name, " (", said,
            ") is set by ", set->second.source, " for ", w->id(),
            ": mark it ConfigMap or Deployment in the README, or remove it"));
      }
    }
  }
  Check(problems);
}

TEST_P(DeployKubernetesSettings, ContainersGetOnlySettingsTheirBinaryAccepts) {
  std::vector<std::string> problems;
  // ConfigMap key → the services that load that ConfigMap.
  std::map<std::string, std::map<std::string, std::vector<const ServiceInfo*>>>
      loaders;
  for (const ServiceInfo& s : *services_) {
    std::optional<Workload> w = manifests_->FindWorkload(s.name);
    if (!w.has_value()) continue;
    YAML::Node c = ContainerNamed(w->pod_spec(), s.name);
    for (const YAML::Node& e : c["env"]) {
      const std::string name = Str(e["name"]);
      if (absl::StartsWith(name, "JALIN_") && s.Find(name) == nullptr) {
        problems.push_back(absl::StrCat(Where(), ": ", w->id(), " sets ", name,
                                        " in env, which jalin-", s.name,
                                        " does not accept (--settings): a "
                                        "typo, or a setting not yet built"));
      }
    }
    for (const YAML::Node& from : c["envFrom"]) {
      const std::string map = Str(from["configMapRef"]["name"]);
      if (const Object* cm = manifests_->Find("ConfigMap", map)) {
        for (const auto& [key, value] : LabelsOf(cm->node["data"])) {
          loaders[cm->id()][key].push_back(&s);
        }
      }
    }
  }
  for (const auto& [map, keys] : loaders) {
    for (const auto& [key, services] : keys) {
      if (!absl::StartsWith(key, "JALIN_")) continue;
      bool accepted = false;
      std::vector<std::string> names;
      for (const ServiceInfo* s : services) {
        accepted |= s->Find(key) != nullptr;
        names.push_back("jalin-" + s->name);
      }
      if (!accepted) {
        problems.push_back(absl::StrCat(Where(), ": ", map, " has ", key,
                                        ", which none of the services "
                                        "loading it accepts (",
                                        absl::StrJoin(names, ", "), ")"));
      }
    }
  }
  Check(problems);
}

INSTANTIATE_TEST_SUITE_P(Overlays, DeployKubernetesSettings,
                         ::testing::ValuesIn(OverlayNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace jalin::deploy
