// The real jalin suite for integration tests: a private redis-server, a JWT
// secret, and the service binaries as child processes on free ports, each
// with its own SQLite store in a private directory.

#ifndef COMMON_TESTING_SUITE_H_
#define COMMON_TESTING_SUITE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/testing/process.h"
#include "common/testing/redis_server.h"
#include "common/testing/temp_dir.h"

namespace jalin::testing {

// Not thread-safe. Stops everything it started on destruction.
class Suite {
 public:
  // `binary_dir` is the build directory (JALIN_BINARY_DIR in tests).
  explicit Suite(std::string binary_dir);
  ~Suite();

  // Starts redis-server (once) and the named services ("registry",
  // "matching", "curation", "notification", "gateway") in that order, each
  // waiting for SERVING. `env` adds JALIN_* settings per service;
  // JALIN_DATA_DIR defaults to the source tree's data/.
  absl::Status Start(
      const std::vector<std::string>& services,
      const std::map<std::string, std::vector<std::string>>& env = {});
  // Starts one service again after a stop or kill, with its old store.
  absl::Status Restart(const std::string& service);

  // "127.0.0.1:<port>" of a running service's gRPC server.
  std::string address(const std::string& service) const;
  Process& process(const std::string& service);
  RedisServer& redis() { return *redis_; }
  const TempDir& dir() const { return dir_; }
  const std::string& secret_file() const { return secret_file_; }

  // A token signed with the suite's secret.
  std::string Token(const auth::Principal& principal) const;
  std::string AdminToken() const;

  // SIGTERM; returns the exit code, DEADLINE_EXCEEDED if it does not exit
  // within `timeout`.
  absl::StatusOr<int> Stop(const std::string& service, absl::Duration timeout);
  // SIGKILL.
  void Kill(const std::string& service);

 private:
  struct Service {
    std::string name;
    int port = 0;
    int metrics_port = 0;
    // The gateway's HTTP port when the suite chose it (see Launch).
    int http_port = 0;
    std::vector<std::string> env;
    std::unique_ptr<Process> process;
  };
  absl::Status Launch(Service& s);

  const std::string binary_dir_;
  TempDir dir_;
  std::string secret_file_;
  std::unique_ptr<RedisServer> redis_;
  std::map<std::string, Service> services_;
};

}  // namespace jalin::testing

#endif  // COMMON_TESTING_SUITE_H_
