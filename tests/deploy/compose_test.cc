// deploy/compose.yaml cannot be run here (no Docker engine), so its content
// is checked against the binaries: one service per binary from the one
// image, listening where its health check asks, stores on volumes, only
// settings the binaries accept, Redis with an append-only file.

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/deploy/manifests.h"
#include "tests/deploy/service_settings.h"

namespace jalin::deploy {
namespace {

// Resolves YAML merge keys ("<<: *anchor"), which Compose files use and
// yaml-cpp leaves as ordinary keys. Keys of the map itself win.
YAML::Node Merged(const YAML::Node& node) {
  if (node.IsSequence()) {
    YAML::Node out(YAML::NodeType::Sequence);
    for (const YAML::Node& item : node) out.push_back(Merged(item));
    return out;
  }
  if (!node.IsMap()) return node;
  YAML::Node out(YAML::NodeType::Map);
  for (const auto& entry : node) {
    if (entry.first.Scalar() == "<<") continue;
    out[entry.first.Scalar()] = Merged(entry.second);
  }
  if (node["<<"]) {
    std::vector<YAML::Node> sources;
    if (node["<<"].IsSequence()) {
      for (const YAML::Node& s : node["<<"]) sources.push_back(s);
    } else {
      sources.push_back(node["<<"]);
    }
    for (const YAML::Node& source : sources) {
      YAML::Node merged = Merged(source);
      for (const auto& entry : merged) {
        if (!out[entry.first.Scalar()])
          out[entry.first.Scalar()] = entry.second;
      }
    }
  }
  return out;
}

std::vector<std::string> Strings(const YAML::Node& list) {
  std::vector<std::string> out;
  for (const YAML::Node& item : list) out.push_back(Str(item));
  return out;
}

class DeployCompose : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<const std::vector<ServiceInfo>*> s = Services();
    ASSERT_TRUE(s.ok()) << s.status();
    services_ = *s;
    absl::StatusOr<std::string> text = ReadSourceFile("deploy/compose.yaml");
    ASSERT_TRUE(text.ok()) << text.status();
    try {
      compose_ = Merged(YAML::Load(*text));
    } catch (const YAML::Exception& e) {
      FAIL() << "deploy/compose.yaml: " << e.what();
    }
    absl::StatusOr<std::string> version = ProjectVersion();
    ASSERT_TRUE(version.ok()) << version.status();
    version_ = *version;
  }

  // The compose service of each binary, reported missing once.
  std::vector<std::pair<const ServiceInfo*, YAML::Node>> Pairs() {
    std::vector<std::pair<const ServiceInfo*, YAML::Node>> out;
    for (const ServiceInfo& s : *services_) {
      YAML::Node service = compose_["services"][s.name];
      if (service) out.emplace_back(&s, service);
    }
    return out;
  }

  // The named volume mounted at the directory holding `path`, or "".
  std::string VolumeHolding(const YAML::Node& service,
                            const std::string& path) {
    std::string best, best_dir;
    for (const std::string& mount : Strings(service["volumes"])) {
      std::vector<std::string> parts = absl::StrSplit(mount, ':');
      if (parts.size() < 2) continue;
      const std::string& dir = parts[1];
      if (absl::StartsWith(path, dir + "/") && dir.size() > best_dir.size() &&
          compose_["volumes"] && compose_["volumes"][parts[0]].IsDefined()) {
        best = parts[0];
        best_dir = dir;
      }
    }
    return best;
  }

  void Check(const std::vector<std::string>& problems) {
    EXPECT_TRUE(problems.empty())
        << "deploy/compose.yaml:\n  " << absl::StrJoin(problems, "\n  ");
  }

  const std::vector<ServiceInfo>* services_ = nullptr;
  YAML::Node compose_;
  std::string version_;
};

TEST_F(DeployCompose, RunsEveryServiceFromTheOneImageWithoutPrivileges) {
  std::vector<std::string> problems;
  for (const ServiceInfo& s : *services_) {
    if (!compose_["services"][s.name]) {
      problems.push_back("no service " + s.name);
    }
  }
  for (const auto& [s, service] : Pairs()) {
    const std::string image = Str(service["image"]);
    if (image != "jalin:" + version_) {
      problems.push_back(absl::StrCat(s->name, ": image '", image,
                                      "', want 'jalin:", version_, "'"));
    }
    if (Strings(service["command"]) != std::vector<std::string>{s->name}) {
      problems.push_back(
          absl::StrCat(s->name, ": command [",
                       absl::StrJoin(Strings(service["command"]), ", "),
                       "], want [", s->name, "]"));
    }
    const std::string user = Str(service["user"]);
    if (user.empty() || absl::StartsWith(user, "0") ||
        absl::StartsWith(user, "root")) {
      problems.push_back(
          absl::StrCat(s->name, ": user '", user, "', want a non-root uid"));
    }
    if (Str(service["read_only"]) != "true") {
      problems.push_back(s->name + ": read_only is not true");
    }
    if (Strings(service["cap_drop"]) != std::vector<std::string>{"ALL"}) {
      problems.push_back(s->name + ": cap_drop is not [ALL]");
    }
  }
  Check(problems);
}

TEST_F(DeployCompose, ServicesListenWhereTheirHealthCheckAsks) {
  std::vector<std::string> problems;
  for (const auto& [s, service] : Pairs()) {
    const YAML::Node& env = service["environment"];
    for (const auto& [setting, port] : s->ListenSettings()) {
      const std::string want = absl::StrCat("0.0.0.0:", port);
      if (Str(env[setting]) != want) {
        problems.push_back(absl::StrCat(s->name, ": ", setting, " is '",
                                        Str(env[setting]), "', want '", want,
                                        "'"));
      }
    }
    const std::vector<std::string> want_check = {
        "CMD", "jalinctl", "health", "--address",
        absl::StrCat("127.0.0.1:", s->grpc_port)};
    if (Strings(service["healthcheck"]["test"]) != want_check) {
      problems.push_back(absl::StrCat(
          s->name, ": healthcheck.test [",
          absl::StrJoin(Strings(service["healthcheck"]["test"]), ", "),
          "], want [", absl::StrJoin(want_check, ", "), "]"));
    }
    // Schema migrations run before the port opens; the services that wait
    // for this one must not give up during a long one.
    absl::Duration start_period;
    if (!absl::ParseDuration(Str(service["healthcheck"]["start_period"]),
                             &start_period) ||
        start_period < absl::Minutes(10)) {
      problems.push_back(absl::StrCat(
          s->name, ": healthcheck.start_period is '",
          Str(service["healthcheck"]["start_period"]),
          "', want at least 10m (time for start-up work such as schema "
          "migrations)"));
    }
    bool waits_for_redis = false;
    if (service["depends_on"]["redis"]) {
      waits_for_redis =
          Str(service["depends_on"]["redis"]["condition"]) == "service_healthy";
    }
    if (!waits_for_redis) {
      problems.push_back(s->name + ": does not wait for a healthy redis");
    }
  }
  Check(problems);
}

TEST_F(DeployCompose, SettingsAreAcceptedAndPointAtTheOtherContainers) {
  std::vector<std::string> problems;
  for (const auto& [s, service] : Pairs()) {
    const YAML::Node& env = service["environment"];
    for (const auto& entry : env) {
      const std::string name = entry.first.Scalar();
      if (absl::StartsWith(name, "JALIN_") && s->Find(name) == nullptr) {
        problems.push_back(absl::StrCat(s->name, ": sets ", name,
                                        ", which jalin-", s->name,
                                        " does not accept (--settings)"));
      }
    }
    for (const ServiceInfo& callee : *services_) {
      const std::string setting = AddressSetting(callee.name);
      if (s->Find(setting) == nullptr) continue;
      const std::string want = absl::StrCat(callee.name, ":", callee.grpc_port);
      if (Str(env[setting]) != want) {
        problems.push_back(absl::StrCat(s->name, ": ", setting, " is '",
                                        Str(env[setting]), "', want '", want,
                                        "'"));
      }
    }
    if (Str(env["JALIN_REDIS"]) != "redis:6379") {
      problems.push_back(absl::StrCat(s->name, ": JALIN_REDIS is '",
                                      Str(env["JALIN_REDIS"]),
                                      "', want 'redis:6379'"));
    }
    for (const char* key :
         {"JALIN_JWT_HS256_SECRET_FILE", "JALIN_JWT_RS256_PUBLIC_KEY_FILE"}) {
      const std::string path = Str(env[key]);
      if (!path.empty() && VolumeHolding(service, path).empty()) {
        problems.push_back(absl::StrCat(s->name, ": ", key, " '", path,
                                        "' is not on a mounted volume"));
      }
    }
    if (Str(env["JALIN_JWT_HS256_SECRET_FILE"]).empty() &&
        Str(env["JALIN_JWT_RS256_PUBLIC_KEY_FILE"]).empty()) {
      problems.push_back(s->name + ": no token verification key");
    }
    // Stop grace: the drain time plus the outbox flush.
    absl::Duration drain, grace;
    const Setting* drain_setting = s->Find("JALIN_DRAIN_TIMEOUT");
    std::string drain_text =
        env["JALIN_DRAIN_TIMEOUT"]
            ? Str(env["JALIN_DRAIN_TIMEOUT"])
            : (drain_setting ? drain_setting->default_value : "");
    if (!absl::ParseDuration(drain_text, &drain) ||
        !absl::ParseDuration(Str(service["stop_grace_period"], "10s"),
                             &grace) ||
        grace < drain + absl::Seconds(2)) {
      problems.push_back(absl::StrCat(
          s->name, ": stop_grace_period '", Str(service["stop_grace_period"]),
          "' is shorter than the drain time '", drain_text, "' + 2 s"));
    }
  }
  Check(problems);
}

TEST_F(DeployCompose, StoresAndRedisLiveOnVolumes) {
  std::vector<std::string> problems;
  for (const auto& [s, service] : Pairs()) {
    if (!s->has_store()) continue;
    const std::string store = Str(service["environment"]["JALIN_STORE"]);
    if (store.empty() || VolumeHolding(service, store).empty()) {
      problems.push_back(absl::StrCat(s->name, ": JALIN_STORE '", store,
                                      "' is not on a named volume"));
    }
  }
  const YAML::Node& redis = compose_["services"]["redis"];
  const std::string command = absl::StrJoin(Strings(redis["command"]), " ");
  if (!absl::StrContains(command, "--appendonly yes")) {
    problems.push_back("redis: command lacks --appendonly yes (" + command +
                       ")");
  }
  if (VolumeHolding(redis, "/data/appendonly.aof").empty()) {
    problems.push_back("redis: /data is not a named volume");
  }
  if (!redis["healthcheck"]) problems.push_back("redis: no healthcheck");
  Check(problems);
}

TEST(DeployComposeMerge, MergeKeysFillMissingKeysOnly) {
  YAML::Node merged = Merged(YAML::Load(R"(
base: &base {a: 1, b: 2, nested: &n {x: 1}}
derived: {<<: *base, b: 3, nested: {<<: *n, y: 2}}
)"));
  EXPECT_EQ(Str(merged["derived"]["a"]), "1");
  EXPECT_EQ(Str(merged["derived"]["b"]), "3");
  EXPECT_EQ(Str(merged["derived"]["nested"]["x"]), "1");
  EXPECT_EQ(Str(merged["derived"]["nested"]["y"]), "2");
  EXPECT_FALSE(merged["derived"]["<<"]);
}

}  // namespace
}  // namespace jalin::deploy
