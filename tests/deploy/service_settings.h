// What the deployment files are checked against: the services in the source
// tree, the settings their built binaries accept (--settings), and the
// settings table of deploy/README.md.

#ifndef TESTS_DEPLOY_SERVICE_SETTINGS_H_
#define TESTS_DEPLOY_SERVICE_SETTINGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jalin::deploy {

struct Setting {
  std::string env;            // "JALIN_GRPC_LISTEN"
  std::string default_value;  // as the binary prints it
  std::string help;
};

struct ServiceInfo {
  std::string name;    // "registry"
  std::string binary;  // path of jalin-registry in the build tree
  std::vector<Setting> settings;
  int grpc_port = 0;     // the port of JALIN_GRPC_LISTEN's default
  int metrics_port = 0;  // the port of JALIN_METRICS_LISTEN's default

  // Null when the binary does not accept `env`.
  const Setting* Find(absl::string_view env) const;
  // Every JALIN_*_LISTEN setting whose default has a port (gRPC, metrics,
  // HTTP, ...) with that port: in a container each must listen on 0.0.0.0.
  std::vector<std::pair<std::string, int>> ListenSettings() const;
  // Whether the service keeps a store (accepts JALIN_STORE).
  bool has_store() const { return Find("JALIN_STORE") != nullptr; }
};

// Every services/<name>/main.cc of the source tree, with what its built
// binary prints for --settings (run with an empty environment). Computed
// once per process; the pointer stays valid until exit.
absl::StatusOr<const std::vector<ServiceInfo>*> Services();

// Null when no service is called `name`.
const ServiceInfo* FindService(const std::vector<ServiceInfo>& services,
                               absl::string_view name);

// Parses the text of --settings (env, default, help; tab-separated).
absl::StatusOr<std::vector<Setting>> ParseSettingsTable(absl::string_view text);

// One row of deploy/README.md's settings table:
// | `JALIN_X` | default | where Kubernetes sets it | meaning |
struct DocumentedSetting {
  std::string env;
  std::string default_cell;  // the cell as written, e.g. "`2s`" or ""
  std::string where;         // "ConfigMap", "Deployment" or "default"
  int line = 0;              // 1-based line in the file
};

// Every row whose first cell is a backticked JALIN_* name. Fails on a
// repeated name or a row without four cells.
absl::StatusOr<std::map<std::string, DocumentedSetting>>
ParseDocumentedSettings(absl::string_view markdown);

// The setting through which services reach `service`:
// "JALIN_REGISTRY_ADDRESS" for the registry.
std::string AddressSetting(absl::string_view service);

// "host:port" → port; 0 when there is none.
int PortOf(absl::string_view address);

// Reads a file of the source tree (path relative to its root).
absl::StatusOr<std::string> ReadSourceFile(absl::string_view relative_path);

// The project version from the top-level CMakeLists.txt ("0.1.0").
absl::StatusOr<std::string> ProjectVersion();

}  // namespace jalin::deploy

#endif  // TESTS_DEPLOY_SERVICE_SETTINGS_H_
