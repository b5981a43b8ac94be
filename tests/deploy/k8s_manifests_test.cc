// Renders every overlay under k8s/overlays with kubectl kustomize and checks
// each rule an operator relies on, for every workload. A failure names the
// offending object and what is wrong with it.

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/deploy/manifests.h"
#include "tests/deploy/overlay_test.h"
#include "tests/deploy/overlays.h"
#include "tests/deploy/service_settings.h"

namespace jalin::deploy {
namespace {

// What the kubelet gives a service beyond its drain time: the outbox flush
// after the drain (the services exit within drain + 2 s) ...
constexpr absl::Duration kShutdownAfterDrain = absl::Seconds(2);
// ... and at most this much more, so the grace period follows the drain time
// rather than Kubernetes' 30 s default.
constexpr absl::Duration kGraceMargin = absl::Seconds(10);

class DeployManifests : public OverlayTest {
 protected:
  // Each service with its workload; RendersEveryService reports the missing.
  std::vector<std::pair<const ServiceInfo*, Workload>> ServiceWorkloads() {
    std::vector<std::pair<const ServiceInfo*, Workload>> out;
    for (const ServiceInfo& s : *services_) {
      std::optional<Workload> w = manifests_->FindWorkload(s.name);
      if (w.has_value()) out.emplace_back(&s, *w);
    }
    return out;
  }
};

std::string ImageTag(const std::string& image) {
  size_t slash = image.rfind('/');
  size_t colon = image.rfind(':');
  if (colon == std::string::npos ||
      (slash != std::string::npos && colon < slash)) {
    return "";
  }
  return image.substr(colon + 1);
}

std::string ImageRepository(const std::string& image) {
  std::string tag = ImageTag(image);
  return tag.empty() ? image : image.substr(0, image.size() - tag.size() - 1);
}

// The mount whose path holds `path`, and the volume it mounts.
struct Mounted {
  YAML::Node mount;
  YAML::Node volume;
};
std::optional<Mounted> MountHolding(const YAML::Node& pod_spec,
                                    const YAML::Node& container,
                                    const std::string& path) {
  std::optional<Mounted> best;
  size_t best_length = 0;
  for (const YAML::Node& m : container["volumeMounts"]) {
    std::string dir = Str(m["mountPath"]);
    if (!absl::StartsWith(path, dir.back() == '/' ? dir : dir + "/")) continue;
    if (dir.size() <= best_length) continue;
    for (const YAML::Node& v : pod_spec["volumes"]) {
      if (Str(v["name"]) == Str(m["name"])) {
        best = Mounted{m, v};
        best_length = dir.size();
      }
    }
  }
  return best;
}

TEST_P(DeployManifests, RendersEveryService) {
  std::vector<std::string> problems;
  EXPECT_GT(manifests_->objects().size(), 0u);
  for (const ServiceInfo& s : *services_) {
    std::optional<Workload> w = manifests_->FindWorkload(s.name);
    if (!w.has_value() || w->object->kind != "Deployment") {
      problems.push_back(absl::StrCat("Deployment/", s.name,
                                      ": missing (services/", s.name,
                                      " has no Deployment)"));
      continue;
    }
    if (w->pod_labels["app.kubernetes.io/name"] != s.name) {
      problems.push_back(absl::StrCat(
          w->id(), ": pod label app.kubernetes.io/name is '",
          w->pod_labels["app.kubernetes.io/name"], "', want '", s.name, "'"));
    }
  }
  Check(problems);
}

TEST_P(DeployManifests, EveryImageHasAPinnedTag) {
  absl::StatusOr<std::string> version = ProjectVersion();
  ASSERT_TRUE(version.ok()) << version.status();
  std::vector<std::string> problems;
  for (const Workload& w : manifests_->Workloads()) {
    for (const char* list : {"initContainers", "containers"}) {
      for (const YAML::Node& c : w.pod_spec()[list]) {
        const std::string image = Str(c["image"]);
        const std::string tag = ImageTag(image);
        if (tag.empty() && !absl::StrContains(image, "@sha256:")) {
          problems.push_back(absl::StrCat(w.id(), ": container ",
                                          Str(c["name"]), ": image '", image,
                                          "' has no tag"));
        } else if (tag == "latest") {
          problems.push_back(absl::StrCat(w.id(), ": container ",
                                          Str(c["name"]), ": image '", image,
                                          "' uses the moving tag 'latest'"));
        }
      }
    }
  }
  // One image for all services, tagged with the version it is built from.
  for (const auto& [service, w] : ServiceWorkloads()) {
    YAML::Node c = ContainerNamed(w.pod_spec(), service->name);
    if (!c) {
      problems.push_back(
          absl::StrCat(w.id(), ": no container named ", service->name));
      continue;
    }
    const std::string image = Str(c["image"]);
    if (!absl::EndsWith(ImageRepository(image), "jalin") ||
        ImageTag(image) != *version) {
      problems.push_back(absl::StrCat(w.id(), ": image '", image,
                                      "', want the jalin image tagged ",
                                      *version, " (CMakeLists.txt)"));
    }
    std::vector<std::string> command;
    for (const YAML::Node& a : c["command"]) command.push_back(Str(a));
    for (const YAML::Node& a : c["args"]) command.push_back(Str(a));
    if (command != std::vector<std::string>{service->name}) {
      problems.push_back(absl::StrCat(
          w.id(), ": command+args [", absl::StrJoin(command, ", "), "], want [",
          service->name, "] (the image runs the named service)"));
    }
  }
  Check(problems);
}

TEST_P(DeployManifests, ServicesListenWhereTheirServiceAndProbesLook) {
  std::vector<std::string> problems;
  for (const auto& [service, w] : ServiceWorkloads()) {
    YAML::Node c = ContainerNamed(w.pod_spec(), service->name);
    if (!c) continue;  // reported by EveryImageHasAPinnedTag
    Environment env = manifests_->EnvironmentOf(c, &problems);
    std::map<std::string, int> ports;
    std::set<int> numbers;
    for (const YAML::Node& p : c["ports"]) {
      int n = 0;
      absl::SimpleAtoi(Str(p["containerPort"]), &n);
      ports[Str(p["name"])] = n;
      numbers.insert(n);
    }
    // Every listener (gRPC, metrics, HTTP, ...) on all interfaces, on the
    // port of its default, and declared as a container port.
    for (const auto& [setting, port] : service->ListenSettings()) {
      const std::string want = absl::StrCat("0.0.0.0:", port);
      if (env[setting].value != want) {
        problems.push_back(absl::StrCat(w.id(), ": ", setting, " is '",
                                        env[setting].value, "', want '", want,
                                        "' (reachable from other pods)"));
      }
      if (!numbers.count(port)) {
        problems.push_back(absl::StrCat(w.id(), ": no container port ", port,
                                        " for ", setting));
      }
    }
    if (ports["grpc"] != service->grpc_port) {
      problems.push_back(absl::StrCat(w.id(), ": container port 'grpc' is ",
                                      ports["grpc"], ", want ",
                                      service->grpc_port));
    }
    if (ports["metrics"] != service->metrics_port) {
      problems.push_back(absl::StrCat(w.id(), ": container port 'metrics' is ",
                                      ports["metrics"], ", want ",
                                      service->metrics_port));
    }
    // A Service of the same name selects these pods and exposes gRPC on the
    // service's own port (what JALIN_<SERVICE>_ADDRESS points at).
    const Object* svc = manifests_->Find("Service", service->name);
    if (svc == nullptr) {
      problems.push_back(absl::StrCat("Service/", service->name, ": missing"));
      continue;
    }
    if (!svc->node["spec"]["selector"]) {
      problems.push_back(absl::StrCat(svc->id(), ": has no selector"));
      continue;
    }
    bool selects = true;
    for (const auto& [k, v] : LabelsOf(svc->node["spec"]["selector"])) {
      auto it = w.pod_labels.find(k);
      if (it == w.pod_labels.end() || it->second != v) selects = false;
    }
    if (!selects) {
      problems.push_back(absl::StrCat(svc->id(),
                                      ": selector does not match the "
                                      "pods of ",
                                      w.id()));
    }
    bool grpc_exposed = false;
    for (const YAML::Node& p : svc->node["spec"]["ports"]) {
      int port = 0;
      absl::SimpleAtoi(Str(p["port"]), &port);
      std::string target = Str(p["targetPort"], Str(p["port"]));
      int target_port = 0;
      if (!absl::SimpleAtoi(target, &target_port)) target_port = ports[target];
      if (target_port == 0) {
        problems.push_back(
            absl::StrCat(svc->id(), ": port ", Str(p["name"]), " targets '",
                         target, "', which the container does not have"));
      }
      if (port == service->grpc_port && target_port == service->grpc_port) {
        grpc_exposed = true;
      }
    }
    if (!grpc_exposed) {
      problems.push_back(absl::StrCat(svc->id(), ": does not expose gRPC on ",
                                      service->grpc_port));
    }
  }
  Check(problems);
}

TEST_P(DeployManifests, ProbesUseTheGrpcHealthService) {
  std::vector<std::string> problems;
  std::set<std::string> jalin;
  for (const auto& [service, w] : ServiceWorkloads()) {
    jalin.insert(w.id());
    YAML::Node c = ContainerNamed(w.pod_spec(), service->name);
    if (!c) continue;
    const YAML::Node& ready = c["readinessProbe"]["grpc"];
    const YAML::Node& live = c["livenessProbe"]["grpc"];
    if (!ready || Str(ready["port"]) != absl::StrCat(service->grpc_port) ||
        !Str(ready["service"]).empty()) {
      problems.push_back(absl::StrCat(
          w.id(), ": readinessProbe must be grpc on port ", service->grpc_port,
          " with service \"\" (readiness follows the store)"));
    }
    if (!live || Str(live["port"]) != absl::StrCat(service->grpc_port) ||
        Str(live["service"]) != "liveness") {
      problems.push_back(absl::StrCat(
          w.id(), ": livenessProbe must be grpc on port ", service->grpc_port,
          " with service \"liveness\" (never depends on Redis or the store)"));
    }
    // Migrations run before the port opens: without a start-up budget the
    // liveness probe would kill a long one, and it would start over on
    // every restart.
    const YAML::Node& startup = c["startupProbe"];
    int period = 0;
    int failures = 0;
    absl::SimpleAtoi(Str(startup["periodSeconds"], "10"), &period);
    absl::SimpleAtoi(Str(startup["failureThreshold"], "3"), &failures);
    if (!startup["grpc"] ||
        Str(startup["grpc"]["port"]) != absl::StrCat(service->grpc_port) ||
        Str(startup["grpc"]["service"]) != "liveness" ||
        period * failures < 600) {
      problems.push_back(absl::StrCat(
          w.id(), ": startupProbe must be grpc on port ", service->grpc_port,
          " with service \"liveness\" and allow at least 10 minutes "
          "(periodSeconds x failureThreshold) for start-up work such as "
          "schema migrations"));
    }
  }
  for (const Workload& w : manifests_->Workloads()) {
    if (jalin.count(w.id())) continue;
    for (const YAML::Node& c : w.pod_spec()["containers"]) {
      for (const char* probe : {"readinessProbe", "livenessProbe"}) {
        if (!c[probe]) {
          problems.push_back(absl::StrCat(w.id(), ": container ",
                                          Str(c["name"]), " has no ", probe));
        }
      }
    }
  }
  Check(problems);
}

TEST_P(DeployManifests, EveryContainerHasRequestsAndLimits) {
  std::vector<std::string> problems;
  for (const Workload& w : manifests_->Workloads()) {
    for (const YAML::Node& c : w.pod_spec()["containers"]) {
      for (const char* resource : {"cpu", "memory"}) {
        const std::string request = Str(c["resources"]["requests"][resource]);
        const std::string limit = Str(c["resources"]["limits"][resource]);
        std::optional<double> r = ParseQuantity(request);
        std::optional<double> l = ParseQuantity(limit);
        if (!r.has_value() || !l.has_value()) {
          problems.push_back(
              absl::StrCat(w.id(), ": container ", Str(c["name"]), ": ",
                           resource, " request '", request, "' and limit '",
                           limit, "' must both be set"));
        } else if (*r > *l || *r <= 0) {
          problems.push_back(absl::StrCat(
              w.id(), ": container ", Str(c["name"]), ": ", resource,
              " request ", request, " is not within (0, limit ", limit, "]"));
        }
      }
    }
  }
  Check(problems);
}

TEST_P(DeployManifests, PodsRunAsNonRootOnAReadOnlyRootWithoutCapabilities) {
  std::vector<std::string> problems;
  for (const Workload& w : manifests_->Workloads()) {
    const YAML::Node& spec = w.pod_spec();
    const YAML::Node& pod_sc = spec["securityContext"];
    for (const char* host : {"hostNetwork", "hostPID", "hostIPC"}) {
      if (Str(spec[host]) == "true") {
        problems.push_back(absl::StrCat(w.id(), ": ", host, " is on"));
      }
    }
    for (const YAML::Node& c : spec["containers"]) {
      const std::string who =
          absl::StrCat(w.id(), ": container ", Str(c["name"]));
      const YAML::Node& sc = c["securityContext"];
      auto field = [&](const char* name) {
        return sc[name] ? Str(sc[name]) : Str(pod_sc[name]);
      };
      if (field("runAsNonRoot") != "true") {
        problems.push_back(who + ": runAsNonRoot is not true");
      }
      if (field("runAsUser") == "0")
        problems.push_back(who + ": runAsUser is 0");
      const std::string seccomp = sc["seccompProfile"]
                                      ? Str(sc["seccompProfile"]["type"])
                                      : Str(pod_sc["seccompProfile"]["type"]);
      if (seccomp != "RuntimeDefault" && seccomp != "Localhost") {
        problems.push_back(who + ": seccompProfile is not RuntimeDefault");
      }
      if (Str(sc["readOnlyRootFilesystem"]) != "true") {
        problems.push_back(who + ": readOnlyRootFilesystem is not true");
      }
      if (Str(sc["allowPrivilegeEscalation"]) != "false") {
        problems.push_back(who + ": allowPrivilegeEscalation is not false");
      }
      if (Str(sc["privileged"]) == "true") {
        problems.push_back(who + ": privileged");
      }
      bool drops_all = false;
      for (const YAML::Node& d : sc["capabilities"]["drop"]) {
        if (Str(d) == "ALL") drops_all = true;
      }
      if (!drops_all) problems.push_back(who + ": capabilities.drop lacks ALL");
      if (sc["capabilities"]["add"] && sc["capabilities"]["add"].size() > 0) {
        problems.push_back(who + ": adds capabilities");
      }
    }
  }
  Check(problems);
}

TEST_P(DeployManifests, TerminationGraceMatchesTheDrainTime) {
  std::vector<std::string> problems;
  for (const auto& [service, w] : ServiceWorkloads()) {
    YAML::Node c = ContainerNamed(w.pod_spec(), service->name);
    if (!c) continue;
    Environment env = manifests_->EnvironmentOf(c, &problems);
    const Setting* setting = service->Find("JALIN_DRAIN_TIMEOUT");
    if (setting == nullptr) {
      problems.push_back(
          absl::StrCat("jalin-", service->name, " has no JALIN_DRAIN_TIMEOUT"));
      continue;
    }
    std::string text = env.count("JALIN_DRAIN_TIMEOUT")
                           ? env["JALIN_DRAIN_TIMEOUT"].value
                           : setting->default_value;
    absl::Duration drain;
    if (!absl::ParseDuration(text, &drain)) {
      problems.push_back(absl::StrCat(w.id(), ": JALIN_DRAIN_TIMEOUT '", text,
                                      "' is not a duration"));
      continue;
    }
    int64_t grace = 30;  // the API's default
    if (w.pod_spec()["terminationGracePeriodSeconds"]) {
      absl::SimpleAtoi(Str(w.pod_spec()["terminationGracePeriodSeconds"]),
                       &grace);
    }
    const absl::Duration low = drain + kShutdownAfterDrain;
    const absl::Duration high = drain + kGraceMargin;
    if (absl::Seconds(grace) < low || absl::Seconds(grace) > high) {
      problems.push_back(
          absl::StrCat(w.id(), ": terminationGracePeriodSeconds ", grace,
                       " does not match the drain time ", text, ": want ",
                       absl::ToInt64Seconds(absl::Ceil(low, absl::Seconds(1))),
                       " to ", absl::ToInt64Seconds(high), " s"));
    }
  }
  Check(problems);
}

// Names of the HorizontalPodAutoscalers' targets.
std::map<std::string, const Object*> AutoscaledDeployments(const Manifests& m) {
  std::map<std::string, const Object*> out;
  for (const Object* hpa : m.OfKind("HorizontalPodAutoscaler")) {
    out[Str(hpa->node["spec"]["scaleTargetRef"]["kind"]) + "/" +
        Str(hpa->node["spec"]["scaleTargetRef"]["name"])] = hpa;
  }
  return out;
}

TEST_P(DeployManifests, StoresLiveOnPersistentVolumesWithOneWriter) {
  std::vector<std::string> problems;
  std::map<std::string, const Object*> autoscaled =
      AutoscaledDeployments(*manifests_);
  for (const auto& [service, w] : ServiceWorkloads()) {
    YAML::Node c = ContainerNamed(w.pod_spec(), service->name);
    if (!c) continue;
    const YAML::Node& spec = w.object->node["spec"];
    std::optional<Mounted> tmp = MountHolding(w.pod_spec(), c, "/tmp/x");
    if (!tmp.has_value() || !tmp->volume["emptyDir"]) {
      problems.push_back(absl::StrCat(
          w.id(),
          ": /tmp is not an emptyDir (the root file system is "
          "read-only; SQLite and libraries write temporary files)"));
    }
    if (!service->has_store()) {
      for (const YAML::Node& v : w.pod_spec()["volumes"]) {
        if (v["persistentVolumeClaim"]) {
          problems.push_back(absl::StrCat(w.id(), ": has no store but mounts ",
                                          "a PersistentVolumeClaim"));
        }
      }
      continue;
    }
    std::vector<std::string> env_problems;
    Environment env = manifests_->EnvironmentOf(c, &env_problems);
    const std::string store = env["JALIN_STORE"].value;
    std::optional<Mounted> mounted =
        store.empty() ? std::nullopt : MountHolding(w.pod_spec(), c, store);
    const Object* claim = nullptr;
    if (mounted.has_value() && mounted->volume["persistentVolumeClaim"]) {
      claim = manifests_->Find(
          "PersistentVolumeClaim",
          Str(mounted->volume["persistentVolumeClaim"]["claimName"]));
    }
    if (claim == nullptr) {
      problems.push_back(absl::StrCat(
          w.id(), ": JALIN_STORE '", store,
          "' is not on a rendered PersistentVolumeClaim (the store must "
          "outlive the pod)"));
    }
    // SQLite has one writer: one replica, and never two pods at once.
    if (Str(spec["replicas"], "1") != "1") {
      problems.push_back(absl::StrCat(w.id(), ": replicas ",
                                      Str(spec["replicas"]),
                                      " for a SQLite store; want 1 (scale out "
                                      "with the PostgreSQL store)"));
    }
    if (w.object->kind == "Deployment" &&
        Str(spec["strategy"]["type"]) != "Recreate") {
      problems.push_back(absl::StrCat(
          w.id(),
          ": strategy must be Recreate: a rolling update would run "
          "two pods on one ReadWriteOnce store"));
    }
    if (autoscaled.count(w.id())) {
      problems.push_back(absl::StrCat(autoscaled[w.id()]->id(), ": scales ",
                                      w.id(), ", which has a SQLite store"));
    }
  }
  Check(problems);
}

TEST_P(DeployManifests, AutoscalersAndDisruptionBudgetsFitTheirTargets) {
  std::vector<std::string> problems;
  std::map<std::string, int> min_replicas;  // workload id → fewest pods
  for (const Workload& w : manifests_->Workloads()) {
    int replicas = 1;
    absl::SimpleAtoi(Str(w.object->node["spec"]["replicas"], "1"), &replicas);
    min_replicas[w.id()] = replicas;
  }
  for (const auto& [target, hpa] : AutoscaledDeployments(*manifests_)) {
    std::optional<Workload> w;
    for (const Workload& x : manifests_->Workloads()) {
      if (x.id() == target) w = x;
    }
    if (!w.has_value()) {
      problems.push_back(absl::StrCat(hpa->id(), ": scales ", target,
                                      ", which is not rendered"));
      continue;
    }
    if (w->object->node["spec"]["replicas"]) {
      problems.push_back(
          absl::StrCat(target, ": sets replicas although ", hpa->id(),
                       " owns the count (every apply would reset it)"));
    }
    int min = 1;
    absl::SimpleAtoi(Str(hpa->node["spec"]["minReplicas"], "1"), &min);
    if (min < 2) {
      problems.push_back(absl::StrCat(hpa->id(), ": minReplicas ", min,
                                      " leaves no pod during a rollout"));
    }
    min_replicas[target] = min;
    for (const YAML::Node& c : w->pod_spec()["containers"]) {
      if (!c["resources"]["requests"]["cpu"]) {
        problems.push_back(absl::StrCat(target, ": container ", Str(c["name"]),
                                        " has no CPU request, which ",
                                        hpa->id(), " scales by"));
      }
    }
  }
  for (const Workload& w : manifests_->Workloads()) {
    std::vector<const Object*> budgets;
    for (const Object* pdb : manifests_->OfKind("PodDisruptionBudget")) {
      if (Selects(pdb->node["spec"]["selector"], w.pod_labels)) {
        budgets.push_back(pdb);
      }
    }
    const int replicas = min_replicas[w.id()];
    if (replicas >= 2 && budgets.empty()) {
      problems.push_back(
          absl::StrCat(w.id(), ": runs ", replicas,
                       " replicas without a PodDisruptionBudget"));
    }
    for (const Object* pdb : budgets) {
      int min_available = 0, max_unavailable = 1;
      bool has_min = absl::SimpleAtoi(Str(pdb->node["spec"]["minAvailable"]),
                                      &min_available);
      bool has_max = absl::SimpleAtoi(Str(pdb->node["spec"]["maxUnavailable"]),
                                      &max_unavailable);
      if ((has_min && min_available >= replicas) ||
          (has_max && max_unavailable < 1)) {
        problems.push_back(absl::StrCat(pdb->id(),
                                        ": blocks every eviction of ", w.id(),
                                        " (", replicas, " replicas)"));
      }
    }
  }
  Check(problems);
}

TEST_P(DeployManifests, JwtKeysComeFromAMountedSecret) {
  std::vector<std::string> problems;
  for (const Object* secret : manifests_->OfKind("Secret")) {
    if (secret->node["data"] || secret->node["stringData"]) {
      problems.push_back(
          absl::StrCat(secret->id(),
                       ": key material in the manifests; reference a Secret "
                       "the operator creates"));
    }
  }
  for (const auto& [service, w] : ServiceWorkloads()) {
    YAML::Node c = ContainerNamed(w.pod_spec(), service->name);
    if (!c) continue;
    Environment env = manifests_->EnvironmentOf(c, &problems);
    for (const char* setting :
         {"JALIN_JWT_HS256_SECRET_FILE", "JALIN_JWT_RS256_PUBLIC_KEY_FILE",
          "JALIN_JWT_RS256_PRIVATE_KEY_FILE", "JALIN_SERVICE_TOKEN_FILE"}) {
      const std::string path = env.count(setting) ? env[setting].value : "";
      if (path.empty()) continue;
      std::optional<Mounted> m = MountHolding(w.pod_spec(), c, path);
      if (!m.has_value() || !m->volume["secret"]) {
        problems.push_back(absl::StrCat(w.id(), ": ", setting, " '", path,
                                        "' is not in a mounted Secret"));
      }
    }
    if (env["JALIN_JWT_HS256_SECRET_FILE"].value.empty() &&
        env["JALIN_JWT_RS256_PUBLIC_KEY_FILE"].value.empty()) {
      problems.push_back(absl::StrCat(
          w.id(),
          ": no token verification key (JALIN_JWT_RS256_PUBLIC_KEY_FILE "
          "or JALIN_JWT_HS256_SECRET_FILE); the service would not start"));
    }
  }
  Check(problems);
}

TEST_P(DeployManifests, ServiceAccountsMountNoApiToken) {
  std::vector<std::string> problems;
  for (const Workload& w : manifests_->Workloads()) {
    const std::string account = Str(w.pod_spec()["serviceAccountName"]);
    const Object* sa = manifests_->Find("ServiceAccount", account);
    if (account.empty() || sa == nullptr) {
      problems.push_back(absl::StrCat(w.id(), ": serviceAccountName '", account,
                                      "' is not a rendered ServiceAccount"));
      continue;
    }
    const std::string pod_setting =
        Str(w.pod_spec()["automountServiceAccountToken"]);
    const std::string sa_setting =
        Str(sa->node["automountServiceAccountToken"]);
    if (pod_setting != "false" &&
        !(pod_setting.empty() && sa_setting == "false")) {
      problems.push_back(absl::StrCat(
          w.id(), ": mounts a Kubernetes API token it never uses"));
    }
  }
  Check(problems);
}

TEST_P(DeployManifests, AddressesNameRenderedServicesAndPorts) {
  std::vector<std::string> problems;
  for (const auto& [service, w] : ServiceWorkloads()) {
    YAML::Node c = ContainerNamed(w.pod_spec(), service->name);
    if (!c) continue;
    Environment env = manifests_->EnvironmentOf(c, &problems);
    // JALIN_<SERVICE>_ADDRESS: "<service>:<its gRPC port>".
    for (const ServiceInfo& callee : *services_) {
      const std::string setting = AddressSetting(callee.name);
      if (service->Find(setting) == nullptr) continue;
      const std::string want = absl::StrCat(callee.name, ":", callee.grpc_port);
      if (env[setting].value != want) {
        problems.push_back(absl::StrCat(w.id(), ": ", setting, " is '",
                                        env[setting].value, "', want '", want,
                                        "'"));
      }
    }
    // JALIN_REDIS: a rendered Service with that port, or a host outside.
    const std::string redis = env["JALIN_REDIS"].value;
    const std::string host = redis.substr(0, redis.rfind(':'));
    if (const Object* svc = manifests_->Find("Service", host)) {
      bool port_found = false;
      for (const YAML::Node& p : svc->node["spec"]["ports"]) {
        if (Str(p["port"]) == absl::StrCat(PortOf(redis))) port_found = true;
      }
      if (!port_found) {
        problems.push_back(absl::StrCat(w.id(), ": JALIN_REDIS '", redis,
                                        "': ", svc->id(), " has no such port"));
      }
    } else if (redis.empty() || PortOf(redis) == 0 ||
               absl::StartsWith(redis, "127.") ||
               absl::StartsWith(redis, "localhost")) {
      problems.push_back(absl::StrCat(w.id(), ": JALIN_REDIS '", redis,
                                      "' does not reach a Redis"));
    }
  }
  Check(problems);
}

TEST_P(DeployManifests, RedisInTheClusterKeepsAnAppendOnlyFileOnAVolume) {
  std::vector<std::string> problems;
  std::optional<Workload> redis = manifests_->FindWorkload("redis");
  if (!redis.has_value()) {
    // A managed Redis: nothing to check here (the network test checks that
    // the services may reach it).
    return;
  }
  if (redis->object->kind != "StatefulSet") {
    problems.push_back(redis->id() + ": Redis must be a StatefulSet");
  }
  YAML::Node c = ContainerNamed(redis->pod_spec(), "redis");
  std::string command;
  for (const YAML::Node& a : c["command"])
    absl::StrAppend(&command, Str(a), " ");
  for (const YAML::Node& a : c["args"]) absl::StrAppend(&command, Str(a), " ");
  for (const char* option :
       {"--appendonly yes ", "--maxmemory-policy noeviction "}) {
    if (!absl::StrContains(command, option)) {
      problems.push_back(absl::StrCat(redis->id(), ": command lacks '", option,
                                      "' (", command, ")"));
    }
  }
  std::string dir = "/data";
  std::vector<std::string> words = absl::StrSplit(command, ' ');
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == "--dir") dir = words[i + 1];
  }
  bool on_claim = false;
  for (const YAML::Node& m : c["volumeMounts"]) {
    if (Str(m["mountPath"]) != dir) continue;
    for (const YAML::Node& t :
         redis->object->node["spec"]["volumeClaimTemplates"]) {
      if (Str(t["metadata"]["name"]) == Str(m["name"])) on_claim = true;
    }
  }
  if (!on_claim) {
    problems.push_back(absl::StrCat(redis->id(), ": ", dir,
                                    " is not on a volumeClaimTemplate"));
  }
  Check(problems);
}

TEST_P(DeployManifests, IngressReachesTheGatewayHttpPort) {
  std::vector<std::string> problems;
  std::vector<const Object*> ingresses = manifests_->OfKind("Ingress");
  if (ingresses.empty()) problems.push_back("no Ingress for the gateway");
  for (const Object* ingress : ingresses) {
    for (const YAML::Node& rule : ingress->node["spec"]["rules"]) {
      for (const YAML::Node& path : rule["http"]["paths"]) {
        const YAML::Node& backend = path["backend"]["service"];
        const Object* svc = manifests_->Find("Service", Str(backend["name"]));
        bool port_found = false;
        if (svc != nullptr) {
          for (const YAML::Node& p : svc->node["spec"]["ports"]) {
            if ((backend["port"]["name"] &&
                 Str(p["name"]) == Str(backend["port"]["name"])) ||
                (backend["port"]["number"] &&
                 Str(p["port"]) == Str(backend["port"]["number"]))) {
              port_found = Str(p["targetPort"]) == "http";
            }
          }
        }
        if (!port_found) {
          problems.push_back(
              absl::StrCat(ingress->id(), ": backend ", Str(backend["name"]),
                           " is not the gateway Service's http port"));
        }
      }
    }
    for (const YAML::Node& tls : ingress->node["spec"]["tls"]) {
      if (Str(tls["secretName"]).empty()) {
        problems.push_back(ingress->id() + ": tls without secretName");
      }
    }
  }
  Check(problems);
}

TEST_P(DeployManifests, EveryObjectIsInTheOverlayNamespace) {
  std::vector<std::string> problems;
  std::vector<const Object*> namespaces = manifests_->OfKind("Namespace");
  if (namespaces.size() != 1) {
    problems.push_back(
        absl::StrCat("want exactly one Namespace, found ", namespaces.size()));
    Check(problems);
    return;
  }
  const std::string ns = namespaces[0]->name;
  for (const Object& o : manifests_->objects()) {
    if (o.kind == "Namespace") continue;
    if (o.ns != ns) {
      problems.push_back(
          absl::StrCat(o.id(), ": namespace '", o.ns, "', want '", ns, "'"));
    }
  }
  Check(problems);
}

INSTANTIATE_TEST_SUITE_P(Overlays, DeployManifests,
                         ::testing::ValuesIn(OverlayNames()),
                         [](const auto& info) { return info.param; });

TEST(DeployOverlays, BothAreThere) {
  EXPECT_EQ(OverlayNames(), (std::vector<std::string>{"dev", "prod"}));
}

}  // namespace
}  // namespace jalin::deploy
