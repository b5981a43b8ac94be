// The Kubernetes objects an overlay renders to (kubectl kustomize), and the
// questions the deployment tests ask of them: workloads, their containers'
// effective environment, volumes, selectors.

#ifndef TESTS_DEPLOY_MANIFESTS_H_
#define TESTS_DEPLOY_MANIFESTS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "yaml-cpp/yaml.h"

namespace jalin::deploy {

using Labels = std::map<std::string, std::string>;

struct Object {
  std::string kind;
  std::string name;
  std::string ns;  // empty for cluster-scoped objects
  YAML::Node node;

  // "Deployment/registry", how failures name the object.
  std::string id() const { return kind + "/" + name; }
};

// A pod-owning object: Deployment or StatefulSet.
struct Workload {
  const Object* object = nullptr;
  YAML::Node pod;  // spec.template
  Labels pod_labels;

  std::string id() const { return object->id(); }
  YAML::Node pod_spec() const { return pod["spec"]; }
};

// One container's environment as the process sees it: ConfigMaps named in
// envFrom first, then env entries (which win).
struct EnvValue {
  std::string value;
  std::string source;  // "ConfigMap/jalin-config-…" or "env"
};
using Environment = std::map<std::string, EnvValue>;

class Manifests {
 public:
  // Parses a multi-document YAML stream.
  static absl::StatusOr<Manifests> Parse(const std::string& yaml);
  // Runs `kubectl kustomize` on a directory of the source tree ("k8s/...").
  // The kubectl is $KUBECTL when set, else the one on PATH.
  static absl::StatusOr<Manifests> Render(absl::string_view directory);

  const std::vector<Object>& objects() const { return objects_; }
  std::vector<const Object*> OfKind(absl::string_view kind) const;
  const Object* Find(absl::string_view kind, absl::string_view name) const;
  std::vector<Workload> Workloads() const;
  // Null when there is no such workload.
  std::optional<Workload> FindWorkload(absl::string_view name) const;

  // The effective environment of `container`; references to ConfigMaps that
  // do not exist are reported in *problems.
  Environment EnvironmentOf(const YAML::Node& container,
                            std::vector<std::string>* problems) const;
  // Labels of a namespace as the API server would have them (its own labels
  // plus kubernetes.io/metadata.name).
  Labels NamespaceLabels(absl::string_view ns) const;

 private:
  std::vector<Object> objects_;
};

// Helpers over YAML nodes.
Labels LabelsOf(const YAML::Node& map);
std::string Str(const YAML::Node& node, absl::string_view fallback = "");
// Whether a label selector ({matchLabels, matchExpressions}) selects
// `labels`. An empty selector selects everything.
bool Selects(const YAML::Node& selector, const Labels& labels);
// The container named `name` in a pod spec; an undefined node if none.
YAML::Node ContainerNamed(const YAML::Node& pod_spec, absl::string_view name);
// Kubernetes quantities: "250m" CPU → 0.25, "512Mi" → 536870912.
std::optional<double> ParseQuantity(absl::string_view text);

}  // namespace jalin::deploy

#endif  // TESTS_DEPLOY_MANIFESTS_H_
