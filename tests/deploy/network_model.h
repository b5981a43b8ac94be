// Evaluates the NetworkPolicies of rendered manifests the way the
// Kubernetes API defines them, so a test can ask "may A open a connection
// to B on port P?" for every pair that matters.

#ifndef TESTS_DEPLOY_NETWORK_MODEL_H_
#define TESTS_DEPLOY_NETWORK_MODEL_H_

#include <string>
#include <vector>

#include "tests/deploy/manifests.h"

namespace jalin::deploy {

// One end of a connection: a pod (labels, namespace) or an address outside
// the cluster. Pods are never matched by ipBlock rules: their addresses are
// private, and the tests refuse ipBlocks that could contain them.
struct Endpoint {
  std::string description;  // for messages: "Deployment/registry", "internet"
  bool is_pod = true;
  Labels labels;            // pod labels
  std::string ns;           // pod namespace
  Labels namespace_labels;  // labels of that namespace
  YAML::Node pod_spec;      // the pod's spec, for named ports; may be undefined
  std::string ip;           // address when !is_pod
};

// A connection to `to` on `port`/`protocol` ("TCP" or "UDP").
struct Verdict {
  bool allowed = false;
  // When denied: which side refuses and the policies that apply there.
  // When allowed: the policies that admit it on each isolated side.
  std::string explanation;
};

class NetworkModel {
 public:
  // `manifests` must outlive the model.
  explicit NetworkModel(const Manifests& manifests);

  Verdict Evaluate(const Endpoint& from, const Endpoint& to, int port,
                   const std::string& protocol) const;

  // Whether some policy with Ingress (Egress) in its policyTypes selects the
  // pod, i.e. the pod does not accept (send) arbitrary traffic.
  bool IngressIsolated(const Endpoint& pod) const;
  bool EgressIsolated(const Endpoint& pod) const;

  // Every ipBlock of every policy, "NetworkPolicy/x: 0.0.0.0/0 except ...".
  struct Block {
    const Object* policy;
    std::string cidr;
    std::vector<std::string> except;
  };
  std::vector<Block> IpBlocks() const;

 private:
  bool Applies(const Object& policy, const Endpoint& pod,
               const std::string& type) const;
  // Whether the policies of `pod` of `type` ("Ingress" or "Egress") let it
  // talk to `peer` on `port` of `target` (the destination, for named ports).
  // Appends the policies that apply and those that admit.
  bool SideAdmits(const Endpoint& pod, const std::string& type,
                  const Endpoint& peer, const Endpoint& target, int port,
                  const std::string& protocol,
                  std::vector<std::string>* applied,
                  std::vector<std::string>* admitted_by) const;

  const Manifests& manifests_;
  std::vector<const Object*> policies_;
};

// Whether `ip` lies in `cidr` (IPv4 or IPv6); false when either is invalid
// or they are of different families.
bool CidrContains(const std::string& cidr, const std::string& ip);
// Whether two CIDRs share an address.
bool CidrsOverlap(const std::string& a, const std::string& b);
// The number of prefix bits of a CIDR and the family's width (32 or 128);
// {-1, -1} when invalid.
std::pair<int, int> CidrBits(const std::string& cidr);

}  // namespace jalin::deploy

#endif  // TESTS_DEPLOY_NETWORK_MODEL_H_
