// Evaluates the rendered NetworkPolicies of every overlay for every pair of
// endpoints that matters and compares the result with the edges jalin
// really has: deny-all, then one allow per edge.

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/deploy/manifests.h"
#include "tests/deploy/network_model.h"
#include "tests/deploy/overlay_test.h"
#include "tests/deploy/overlays.h"
#include "tests/deploy/service_settings.h"

namespace jalin::deploy {
namespace {

// The gRPC edges between services: callee ← callers.
const std::map<std::string, std::set<std::string>>& Callers() {
  static const auto* const callers =
      new std::map<std::string, std::set<std::string>>{
          {"registry", {"gateway", "matching", "curation", "notification"}},
          {"matching", {"gateway"}},
          {"curation", {"gateway"}},
          {"notification", {"gateway"}},
          {"gateway", {}},
      };
  return *callers;
}

// Address ranges that hold pods, nodes and cloud metadata endpoints.
const std::vector<std::string>& PrivateRanges() {
  static const auto* const ranges = new std::vector<std::string>{
      "10.0.0.0/8",    "100.64.0.0/10",  "127.0.0.0/8", "169.254.0.0/16",
      "172.16.0.0/12", "192.168.0.0/16", "fc00::/7",    "fe80::/10"};
  return *ranges;
}

Endpoint Outsider(std::string description, std::string ns, Labels labels,
                  Labels namespace_labels) {
  Endpoint e;
  e.description = std::move(description);
  e.ns = ns;
  e.labels = std::move(labels);
  e.namespace_labels = std::move(namespace_labels);
  e.namespace_labels["kubernetes.io/metadata.name"] = ns;
  return e;
}

Endpoint External(std::string description, std::string ip) {
  Endpoint e;
  e.description = std::move(description);
  e.is_pod = false;
  e.ip = std::move(ip);
  return e;
}

class DeployNetwork : public OverlayTest {
 protected:
  void SetUp() override {
    OverlayTest::SetUp();
    if (HasFatalFailure()) return;
    for (const Workload& w : manifests_->Workloads()) {
      Endpoint e;
      e.description = w.id();
      e.labels = w.pod_labels;
      e.ns = w.object->ns;
      e.namespace_labels = manifests_->NamespaceLabels(e.ns);
      e.pod_spec = w.pod_spec();
      pods_[w.object->name] = e;
    }
  }

  bool IsService(const std::string& name) const {
    return FindService(*services_, name) != nullptr;
  }

  std::map<std::string, Endpoint> pods_;  // by workload name
};

TEST_P(DeployNetwork, EveryPodIsIsolatedBothWays) {
  NetworkModel model(*manifests_);
  std::vector<std::string> problems;
  for (const auto& [name, pod] : pods_) {
    if (!model.IngressIsolated(pod)) {
      problems.push_back(pod.description +
                         ": no NetworkPolicy isolates its ingress");
    }
    if (!model.EgressIsolated(pod)) {
      problems.push_back(pod.description +
                         ": no NetworkPolicy isolates its egress");
    }
  }
  EXPECT_FALSE(pods_.empty());
  Check(problems);
}

TEST_P(DeployNetwork, IpBlocksCannotReachPodsOrNodes) {
  NetworkModel model(*manifests_);
  std::vector<std::string> problems;
  for (const NetworkModel::Block& block : model.IpBlocks()) {
    auto [bits, width] = CidrBits(block.cidr);
    if (bits < 0) {
      problems.push_back(absl::StrCat(block.policy->id(), ": ipBlock '",
                                      block.cidr, "' is not a CIDR"));
      continue;
    }
    if (bits == width) continue;  // one address: the operator's own host
    for (const std::string& range : PrivateRanges()) {
      if (!CidrsOverlap(block.cidr, range)) continue;
      bool excepted = false;
      for (const std::string& e : block.except) {
        auto [ebits, ewidth] = CidrBits(e);
        auto [rbits, rwidth] = CidrBits(range);
        if (ewidth == rwidth && ebits <= rbits && CidrsOverlap(e, range)) {
          excepted = true;
        }
      }
      if (!excepted) {
        problems.push_back(absl::StrCat(block.policy->id(), ": ipBlock ",
                                        block.cidr, " includes ", range,
                                        " (pods, nodes or cloud metadata)"));
      }
    }
  }
  Check(problems);
}

TEST_P(DeployNetwork, OnlyTheRealEdgesAreOpen) {
  NetworkModel model(*manifests_);
  const std::string ns = pods_.empty() ? "" : pods_.begin()->second.ns;
  const Endpoint ingress_controller =
      Outsider("an Ingress controller", "ingress-nginx",
               {{"app.kubernetes.io/name", "ingress-nginx"}}, {});
  const Endpoint prometheus =
      Outsider("Prometheus", "monitoring", {{"app", "prometheus"}},
               {{"jalin/scrape-metrics", "true"}});
  const Endpoint stranger =
      Outsider("a pod of another namespace", "other", {{"app", "x"}}, {});
  Endpoint intruder =
      Outsider("an unlabelled pod of the namespace", ns, {{"app", "debug"}},
               manifests_->NamespaceLabels(ns));
  const Endpoint dns =
      Outsider("the cluster DNS", "kube-system", {{"k8s-app", "kube-dns"}}, {});
  const Endpoint internet =
      External("a webhook on the internet", "203.0.113.7");
  const Endpoint metadata =
      External("the cloud metadata service", "169.254.169.254");
  const Endpoint private_host = External("a private address", "10.1.2.3");

  // A managed Redis outside the cluster: the addresses the overlay opens on
  // the Redis port when no Redis pod renders.
  std::vector<Endpoint> external_redis;
  if (!pods_.count("redis")) {
    for (const NetworkModel::Block& block : model.IpBlocks()) {
      for (const YAML::Node& rule : block.policy->node["spec"]["egress"]) {
        for (const YAML::Node& p : rule["ports"]) {
          if (Str(p["port"]) != "6379") continue;
          std::string ip = block.cidr.substr(0, block.cidr.find('/'));
          external_redis.push_back(External("the managed Redis " + ip, ip));
        }
      }
    }
    if (external_redis.empty()) {
      ADD_FAILURE() << "k8s/overlays/" << GetParam()
                    << ": no Redis pod and no egress to a Redis address";
    }
  }

  std::vector<const Endpoint*> sources;
  for (const auto& [name, pod] : pods_) sources.push_back(&pod);
  for (const Endpoint* o : {&ingress_controller, &prometheus, &stranger}) {
    sources.push_back(o);
  }
  sources.push_back(&intruder);

  std::vector<std::string> problems;
  auto expect = [&](const Endpoint& from, const Endpoint& to, int port,
                    const std::string& protocol, bool want) {
    Verdict v = model.Evaluate(from, to, port, protocol);
    if (v.allowed != want) {
      problems.push_back(absl::StrCat(from.description, " → ", to.description,
                                      " port ", port, "/", protocol, ": ",
                                      want ? "must be open" : "must be closed",
                                      ", but ", v.explanation));
    }
  };
  auto name_of = [&](const Endpoint& e) -> std::string {
    for (const auto& [name, pod] : pods_) {
      if (&pod == &e) return name;
    }
    return "";
  };

  for (const Endpoint* from : sources) {
    const std::string from_name = name_of(*from);
    const bool from_service = IsService(from_name);
    const bool outsider = from_name.empty() && from != &intruder;
    // Into the workloads, on every port they listen on and one they do not.
    for (const auto& [to_name, to] : pods_) {
      if (&to == from) continue;
      std::vector<int> ports = {22};
      for (const YAML::Node& c : to.pod_spec["containers"]) {
        for (const YAML::Node& p : c["ports"]) {
          ports.push_back(std::stoi(Str(p["containerPort"])));
        }
      }
      const ServiceInfo* callee = FindService(*services_, to_name);
      for (int port : ports) {
        bool want = false;
        if (callee != nullptr && port == callee->grpc_port) {
          want = Callers().at(to_name).count(from_name) > 0;
        } else if (callee != nullptr && port == callee->metrics_port) {
          want = from == &prometheus;
        } else if (to_name == "gateway" && port == 8080) {
          // The gateway's HTTP port is public; no pod of the namespace (each
          // under the deny-all) calls it.
          want = outsider;
        } else if (to_name == "redis" && port == 6379) {
          want = from_service;
        }
        expect(*from, to, port, "TCP", want);
      }
    }
    if (outsider) continue;  // the egress of other namespaces is not ours
    expect(*from, dns, 53, "UDP", true);
    expect(*from, dns, 53, "TCP", true);
    expect(*from, internet, 443, "TCP", from_name == "notification");
    expect(*from, internet, 8443, "TCP", from_name == "notification");
    expect(*from, metadata, 80, "TCP", false);
    expect(*from, private_host, 7101, "TCP", false);
    for (const Endpoint& redis : external_redis) {
      expect(*from, redis, 6379, "TCP", from_service);
    }
    expect(*from, stranger, 7101, "TCP", false);
  }
  Check(problems);
}

INSTANTIATE_TEST_SUITE_P(Overlays, DeployNetwork,
                         ::testing::ValuesIn(OverlayNames()),
                         [](const auto& info) { return info.param; });

// The model itself, on policies whose answers are known.
TEST(DeployNetworkModel, EvaluatesSelectorsPortsAndBlocks) {
  absl::StatusOr<Manifests> m = Manifests::Parse(R"(
apiVersion: v1
kind: Namespace
metadata: {name: a, labels: {team: x}}
---
kind: NetworkPolicy
metadata: {name: deny, namespace: a}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
kind: NetworkPolicy
metadata: {name: web, namespace: a}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from: [{podSelector: {matchExpressions: [{key: app, operator: In, values: [api]}]}}]
      ports: [{port: http}]
  egress:
    - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
      ports: [{port: 443, endPort: 444}]
---
kind: NetworkPolicy
metadata: {name: api-out, namespace: a}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress: [{to: [{podSelector: {matchLabels: {app: web}}}]}]
)");
  ASSERT_TRUE(m.ok()) << m.status();
  NetworkModel model(*m);
  YAML::Node web_spec = YAML::Load(
      "{containers: [{name: w, ports: [{name: http, containerPort: 8080}]}]}");
  Endpoint web = Outsider("web", "a", {{"app", "web"}}, {{"team", "x"}});
  web.pod_spec = web_spec;
  Endpoint api = Outsider("api", "a", {{"app", "api"}}, {{"team", "x"}});
  Endpoint api_elsewhere = Outsider("api", "b", {{"app", "api"}}, {});

  EXPECT_TRUE(model.IngressIsolated(web));
  EXPECT_TRUE(model.EgressIsolated(api));
  // Both sides admit it: the named port resolves to 8080.
  EXPECT_TRUE(model.Evaluate(api, web, 8080, "TCP").allowed);
  Verdict v = model.Evaluate(api, web, 9090, "TCP");
  EXPECT_FALSE(v.allowed);
  EXPECT_NE(v.explanation.find("ingress of web"), std::string::npos)
      << v.explanation;
  // web may not call api: its egress only reaches the internet.
  v = model.Evaluate(web, api, 8080, "TCP");
  EXPECT_FALSE(v.allowed);
  EXPECT_NE(v.explanation.find("egress of web"), std::string::npos)
      << v.explanation;
  // From a namespace without policies: only the ingress side decides.
  EXPECT_FALSE(model.Evaluate(api_elsewhere, web, 8080, "TCP").allowed);
  Endpoint outside = Outsider("outside", "b", {}, {});
  EXPECT_FALSE(model.Evaluate(outside, web, 8080, "TCP").allowed);
  EXPECT_TRUE(
      model.Evaluate(web, External("x", "203.0.113.1"), 444, "TCP").allowed);
  EXPECT_FALSE(
      model.Evaluate(web, External("x", "203.0.113.1"), 445, "TCP").allowed);
  EXPECT_FALSE(
      model.Evaluate(web, External("x", "10.2.3.4"), 443, "TCP").allowed);
  EXPECT_FALSE(
      model.Evaluate(web, External("x", "203.0.113.1"), 443, "UDP").allowed);

  EXPECT_TRUE(CidrContains("fc00::/7", "fd12::1"));
  EXPECT_FALSE(CidrContains("fc00::/7", "2001:db8::1"));
  EXPECT_TRUE(CidrsOverlap("0.0.0.0/0", "10.0.0.0/8"));
  EXPECT_FALSE(CidrsOverlap("192.0.2.10/32", "10.0.0.0/8"));
}

}  // namespace
}  // namespace jalin::deploy
