#include "tests/deploy/manifests.h"

#include <cstdlib>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "tests/deploy/command.h"

namespace jalin::deploy {

std::string Str(const YAML::Node& node, absl::string_view fallback) {
  if (!node || !node.IsScalar()) return std::string(fallback);
  return node.Scalar();
}

Labels LabelsOf(const YAML::Node& map) {
  Labels labels;
  if (!map || !map.IsMap()) return labels;
  for (const auto& entry : map) {
    labels[entry.first.Scalar()] = Str(entry.second);
  }
  return labels;
}

bool Selects(const YAML::Node& selector, const Labels& labels) {
  if (!selector || selector.IsNull()) return true;
  for (const auto& [key, value] : LabelsOf(selector["matchLabels"])) {
    auto it = labels.find(key);
    if (it == labels.end() || it->second != value) return false;
  }
  for (const YAML::Node& expression : selector["matchExpressions"]) {
    const std::string key = Str(expression["key"]);
    const std::string op = Str(expression["operator"]);
    auto it = labels.find(key);
    bool in_values = false;
    if (it != labels.end()) {
      for (const YAML::Node& v : expression["values"]) {
        if (Str(v) == it->second) in_values = true;
      }
    }
    if (op == "In" && !in_values) return false;
    if (op == "NotIn" && in_values) return false;
    if (op == "Exists" && it == labels.end()) return false;
    if (op == "DoesNotExist" && it != labels.end()) return false;
  }
  return true;
}

YAML::Node ContainerNamed(const YAML::Node& pod_spec, absl::string_view name) {
  for (const YAML::Node& c : pod_spec["containers"]) {
    if (Str(c["name"]) == name) return c;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::optional<double> ParseQuantity(absl::string_view text) {
  static const std::pair<absl::string_view, double> kSuffixes[] = {
      {"Ki", 1024.0},
      {"Mi", 1024.0 * 1024},
      {"Gi", 1024.0 * 1024 * 1024},
      {"Ti", 1024.0 * 1024 * 1024 * 1024},
      {"m", 1e-3},
      {"k", 1e3},
      {"M", 1e6},
      {"G", 1e9},
      {"T", 1e12}};
  double factor = 1;
  for (const auto& [suffix, f] : kSuffixes) {
    if (absl::EndsWith(text, suffix)) {
      text.remove_suffix(suffix.size());
      factor = f;
      break;
    }
  }
  double value;
  if (text.empty() || !absl::SimpleAtod(text, &value)) return std::nullopt;
  return value * factor;
}

absl::StatusOr<Manifests> Manifests::Parse(const std::string& yaml) {
  Manifests manifests;
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(yaml);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("not YAML: ", e.what()));
  }
  for (const YAML::Node& doc : documents) {
    if (!doc || doc.IsNull()) continue;
    Object object;
    object.kind = Str(doc["kind"]);
    object.name = Str(doc["metadata"]["name"]);
    object.ns = Str(doc["metadata"]["namespace"]);
    object.node = doc;
    if (object.kind.empty() || object.name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("an object without kind or name:\n", YAML::Dump(doc)));
    }
    manifests.objects_.push_back(std::move(object));
  }
  return manifests;
}

absl::StatusOr<Manifests> Manifests::Render(absl::string_view directory) {
  const char* kubectl = std::getenv("KUBECTL");
  std::vector<std::string> argv = {
      kubectl != nullptr && *kubectl != '\0' ? kubectl : "kubectl", "kustomize",
      (std::filesystem::path(JALIN_SOURCE_DIR) / std::string(directory))
          .string()};
  ASSIGN_OR_RETURN(CommandResult run, RunCommand(argv));
  if (run.exit_code != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        CommandLine(argv), " exited ", run.exit_code, ":\n", run.err));
  }
  return Parse(run.out);
}

std::vector<const Object*> Manifests::OfKind(absl::string_view kind) const {
  std::vector<const Object*> out;
  for (const Object& o : objects_) {
    if (o.kind == kind) out.push_back(&o);
  }
  return out;
}

const Object* Manifests::Find(absl::string_view kind,
                              absl::string_view name) const {
  for (const Object& o : objects_) {
    if (o.kind == kind && o.name == name) return &o;
  }
  return nullptr;
}

std::vector<Workload> Manifests::Workloads() const {
  std::vector<Workload> out;
  for (const Object& o : objects_) {
    if (o.kind != "Deployment" && o.kind != "StatefulSet") continue;
    Workload w;
    w.object = &o;
    w.pod = o.node["spec"]["template"];
    w.pod_labels = LabelsOf(w.pod["metadata"]["labels"]);
    out.push_back(std::move(w));
  }
  return out;
}

std::optional<Workload> Manifests::FindWorkload(absl::string_view name) const {
  for (Workload& w : Workloads()) {
    if (w.object->name == name) return w;
  }
  return std::nullopt;
}

Environment Manifests::EnvironmentOf(const YAML::Node& container,
                                     std::vector<std::string>* problems) const {
  Environment env;
  for (const YAML::Node& from : container["envFrom"]) {
    if (!from["configMapRef"]) {
      problems->push_back(absl::StrCat("container ", Str(container["name"]),
                                       ": envFrom other than configMapRef"));
      continue;
    }
    const std::string name = Str(from["configMapRef"]["name"]);
    const Object* map = Find("ConfigMap", name);
    if (map == nullptr) {
      problems->push_back(absl::StrCat("container ", Str(container["name"]),
                                       ": envFrom names ConfigMap/", name,
                                       ", which is not rendered"));
      continue;
    }
    const std::string prefix = Str(from["prefix"]);
    for (const auto& [key, value] : LabelsOf(map->node["data"])) {
      env[prefix + key] = {value, "ConfigMap/" + name};
    }
  }
  for (const YAML::Node& e : container["env"]) {
    if (e["valueFrom"]) {
      env[Str(e["name"])] = {"", "env (valueFrom)"};
    } else {
      env[Str(e["name"])] = {Str(e["value"]), "env"};
    }
  }
  return env;
}

Labels Manifests::NamespaceLabels(absl::string_view ns) const {
  Labels labels;
  if (const Object* n = Find("Namespace", ns)) {
    labels = LabelsOf(n->node["metadata"]["labels"]);
  }
  labels["kubernetes.io/metadata.name"] = std::string(ns);
  return labels;
}

}  // namespace jalin::deploy
