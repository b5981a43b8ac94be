#include "tests/deploy/network_model.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace jalin::deploy {
namespace {

struct Address {
  int bits = 0;  // 32 or 128; 0 when invalid
  std::array<unsigned char, 16> bytes{};
};

Address ParseAddress(const std::string& text) {
  Address a;
  if (inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) {
    a.bits = 32;
  } else if (inet_pton(AF_INET6, text.c_str(), a.bytes.data()) == 1) {
    a.bits = 128;
  }
  return a;
}

struct Cidr {
  Address base;
  int prefix = -1;
};

Cidr ParseCidr(const std::string& text) {
  Cidr c;
  size_t slash = text.find('/');
  if (slash == std::string::npos) return c;
  c.base = ParseAddress(text.substr(0, slash));
  int prefix;
  if (c.base.bits == 0 || !absl::SimpleAtoi(text.substr(slash + 1), &prefix) ||
      prefix < 0 || prefix > c.base.bits) {
    return Cidr{};
  }
  c.prefix = prefix;
  return c;
}

// Whether the first `prefix` bits of a and b agree.
bool SamePrefix(const Address& a, const Address& b, int prefix) {
  for (int bit = 0; bit < prefix; ++bit) {
    int mask = 0x80 >> (bit % 8);
    if ((a.bytes[bit / 8] & mask) != (b.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

// Port entries of a rule: empty (or absent) means every port.
bool PortMatches(const YAML::Node& ports, int port, const std::string& protocol,
                 const YAML::Node& target_pod_spec) {
  if (!ports || ports.size() == 0) return true;
  for (const YAML::Node& p : ports) {
    if (Str(p["protocol"], "TCP") != protocol) continue;
    if (!p["port"]) return true;
    int number = 0;
    const std::string text = Str(p["port"]);
    if (!absl::SimpleAtoi(text, &number)) {
      // A named port of the destination pod.
      for (const YAML::Node& c : target_pod_spec["containers"]) {
        for (const YAML::Node& cp : c["ports"]) {
          if (Str(cp["name"]) == text)
            absl::SimpleAtoi(Str(cp["containerPort"]), &number);
        }
      }
    }
    int end = number;
    if (p["endPort"]) absl::SimpleAtoi(Str(p["endPort"]), &end);
    if (number != 0 && port >= number && port <= end) return true;
  }
  return false;
}

}  // namespace

std::pair<int, int> CidrBits(const std::string& cidr) {
  Cidr c = ParseCidr(cidr);
  if (c.prefix < 0) return {-1, -1};
  return {c.prefix, c.base.bits};
}

bool CidrContains(const std::string& cidr, const std::string& ip) {
  Cidr c = ParseCidr(cidr);
  Address a = ParseAddress(ip);
  if (c.prefix < 0 || a.bits == 0 || a.bits != c.base.bits) return false;
  return SamePrefix(c.base, a, c.prefix);
}

bool CidrsOverlap(const std::string& a, const std::string& b) {
  Cidr x = ParseCidr(a);
  Cidr y = ParseCidr(b);
  if (x.prefix < 0 || y.prefix < 0 || x.base.bits != y.base.bits) return false;
  return SamePrefix(x.base, y.base, std::min(x.prefix, y.prefix));
}

NetworkModel::NetworkModel(const Manifests& manifests)
    : manifests_(manifests), policies_(manifests.OfKind("NetworkPolicy")) {}

bool NetworkModel::Applies(const Object& policy, const Endpoint& pod,
                           const std::string& type) const {
  if (!pod.is_pod || policy.ns != pod.ns) return false;
  const YAML::Node& spec = policy.node["spec"];
  if (!Selects(spec["podSelector"], pod.labels)) return false;
  const YAML::Node& types = spec["policyTypes"];
  if (!types || types.size() == 0) {
    // The API's defaults: always Ingress, Egress when egress rules exist.
    return type == "Ingress" || (type == "Egress" && spec["egress"]);
  }
  for (const YAML::Node& t : types) {
    if (Str(t) == type) return true;
  }
  return false;
}

bool NetworkModel::IngressIsolated(const Endpoint& pod) const {
  for (const Object* p : policies_) {
    if (Applies(*p, pod, "Ingress")) return true;
  }
  return false;
}

bool NetworkModel::EgressIsolated(const Endpoint& pod) const {
  for (const Object* p : policies_) {
    if (Applies(*p, pod, "Egress")) return true;
  }
  return false;
}

namespace {

// Whether a peer entry (of `from` or `to`) of a policy in namespace
// `policy_ns` matches endpoint `e`.
bool PeerMatches(const YAML::Node& peer, const std::string& policy_ns,
                 const Endpoint& e) {
  if (peer["ipBlock"]) {
    if (e.is_pod) return false;
    if (!CidrContains(Str(peer["ipBlock"]["cidr"]), e.ip)) return false;
    for (const YAML::Node& ex : peer["ipBlock"]["except"]) {
      if (CidrContains(Str(ex), e.ip)) return false;
    }
    return true;
  }
  if (!e.is_pod) return false;
  if (peer["namespaceSelector"]) {
    if (!Selects(peer["namespaceSelector"], e.namespace_labels)) return false;
  } else if (e.ns != policy_ns) {
    return false;
  }
  if (peer["podSelector"] && !Selects(peer["podSelector"], e.labels)) {
    return false;
  }
  return true;
}

// Whether one rule (an entry of ingress or egress) admits the peer.
bool RuleAdmits(const YAML::Node& rule, const char* peers_key,
                const std::string& policy_ns, const Endpoint& peer, int port,
                const std::string& protocol, const YAML::Node& target_spec) {
  if (!PortMatches(rule["ports"], port, protocol, target_spec)) return false;
  const YAML::Node& peers = rule[peers_key];
  if (!peers || peers.size() == 0) return true;
  for (const YAML::Node& p : peers) {
    if (PeerMatches(p, policy_ns, peer)) return true;
  }
  return false;
}

}  // namespace

bool NetworkModel::SideAdmits(const Endpoint& pod, const std::string& type,
                              const Endpoint& peer, const Endpoint& target,
                              int port, const std::string& protocol,
                              std::vector<std::string>* applied,
                              std::vector<std::string>* admitted_by) const {
  if (!pod.is_pod) return true;  // outside the cluster: no policy applies
  const bool egress = type == "Egress";
  bool isolated = false, admitted = false;
  for (const Object* p : policies_) {
    if (!Applies(*p, pod, type)) continue;
    isolated = true;
    applied->push_back(p->id());
    for (const YAML::Node& rule :
         p->node["spec"][egress ? "egress" : "ingress"]) {
      if (RuleAdmits(rule, egress ? "to" : "from", p->ns, peer, port, protocol,
                     target.pod_spec)) {
        admitted = true;
        admitted_by->push_back(p->id() + (egress ? " (egress)" : " (ingress)"));
        break;
      }
    }
  }
  return !isolated || admitted;
}

Verdict NetworkModel::Evaluate(const Endpoint& from, const Endpoint& to,
                               int port, const std::string& protocol) const {
  std::vector<std::string> admitted_by, egress_policies, ingress_policies;
  const bool egress_ok = SideAdmits(from, "Egress", to, to, port, protocol,
                                    &egress_policies, &admitted_by);
  const bool ingress_ok = SideAdmits(to, "Ingress", from, to, port, protocol,
                                     &ingress_policies, &admitted_by);
  Verdict verdict;
  verdict.allowed = egress_ok && ingress_ok;
  if (verdict.allowed) {
    verdict.explanation =
        admitted_by.empty()
            ? "no policy isolates either side"
            : absl::StrCat("admitted by ", absl::StrJoin(admitted_by, ", "));
  } else if (!egress_ok) {
    verdict.explanation =
        absl::StrCat("egress of ", from.description, " refused: none of ",
                     absl::StrJoin(egress_policies, ", "), " admits it");
  } else {
    verdict.explanation =
        absl::StrCat("ingress of ", to.description, " refused: none of ",
                     absl::StrJoin(ingress_policies, ", "), " admits it");
  }
  return verdict;
}

std::vector<NetworkModel::Block> NetworkModel::IpBlocks() const {
  std::vector<Block> blocks;
  for (const Object* p : policies_) {
    for (const char* direction : {"ingress", "egress"}) {
      const char* key = std::strcmp(direction, "ingress") == 0 ? "from" : "to";
      for (const YAML::Node& rule : p->node["spec"][direction]) {
        for (const YAML::Node& peer : rule[key]) {
          if (!peer["ipBlock"]) continue;
          Block b{p, Str(peer["ipBlock"]["cidr"]), {}};
          for (const YAML::Node& ex : peer["ipBlock"]["except"]) {
            b.except.push_back(Str(ex));
          }
          blocks.push_back(std::move(b));
        }
      }
    }
  }
  return blocks;
}

}  // namespace jalin::deploy
