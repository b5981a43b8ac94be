// Runs one jalin service process: a gRPC server on the callback API with the
// health service (readiness following real dependencies), server reflection,
// Prometheus metrics, the RPC observer (request ids, one log line per RPC),
// and a graceful shutdown on SIGTERM.
//
//   ServiceHost host(options, &authenticator);
//   host.AddService(&registry_service);
//   host.AddReadinessCheck("store", [&] { return db->Ping(); }, true);
//   host.OnShutdown([&](absl::Time deadline) { relay.FlushAndStop(deadline);
//   }); RETURN_IF_ERROR(host.Start()); host.WaitForShutdown();  // SIGTERM:
//   NOT_SERVING, drain, hooks, return

#ifndef COMMON_SERVER_SERVICE_HOST_H_
#define COMMON_SERVER_SERVICE_HOST_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/server/metrics.h"
#include "grpcpp/server.h"
#include "grpcpp/support/server_callback.h"

namespace jalin {

struct HostOptions {
  // "registry": names logs, the error domain and health entries.
  std::string service;
  // "127.0.0.1:7101"; port 0 picks a free port (see port()).
  std::string grpc_listen;
  // "127.0.0.1:9101"; empty disables the metrics endpoint.
  std::string metrics_listen;
  // How long in-flight RPCs get to finish after SIGTERM; then they are
  // cancelled. Shutdown hooks run after that, then the process exits.
  absl::Duration drain_timeout = absl::Seconds(3);
  // Grace given to shutdown hooks after the drain.
  absl::Duration hook_timeout = absl::Seconds(1);
  absl::Duration readiness_interval = absl::Seconds(2);
  // Largest request accepted, in bytes.
  int max_receive_bytes = 16 * 1024 * 1024;
};

// Health service names served:
//   ""                      overall readiness: every required check passes
//   "liveness"              SERVING until shutdown; never depends on others
//   "<check>"               each readiness check ("store", "redis")
//
// Thread-safe. Services, authenticator and hooks must outlive the host.
class ServiceHost {
 public:
  ServiceHost(HostOptions options, const auth::Authenticator* authenticator);
  ~ServiceHost();

  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  Metrics& metrics() { return metrics_; }

  // Before Start().
  void AddService(grpc::Service* service);
  // A required check failing makes the process NOT_SERVING; an optional one
  // (e.g. Redis for a service that degrades) is reported on its own entry,
  // in metrics and in the log, and leaves readiness alone.
  void AddReadinessCheck(std::string name, std::function<absl::Status()> check,
                         bool required);
  // Runs at shutdown after the drain, in the order added, with a deadline.
  void OnShutdown(std::function<void(absl::Time deadline)> hook);

  absl::Status Start();
  // The bound gRPC port (after Start).
  int port() const { return port_; }

  // Blocks until SIGTERM/SIGINT or RequestShutdown(), then shuts down:
  // health NOT_SERVING, drain, hooks. Requires BlockTerminationSignals() in
  // main() before any thread started.
  void WaitForShutdown();
  // Makes WaitForShutdown() return (for tests and fatal errors).
  void RequestShutdown();

  // Runs the readiness checks once and updates health (also done
  // periodically).
  void CheckReadiness();

 private:
  struct Check {
    std::string name;
    std::function<absl::Status()> fn;
    bool required;
    bool last_ok = true;
    bool reported = false;
  };

  void Shutdown();

  const HostOptions options_;
  const auth::Authenticator* const authenticator_;
  Metrics metrics_;
  std::vector<grpc::Service*> services_;
  std::vector<std::function<void(absl::Time)>> hooks_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;

  absl::Mutex checks_mu_;
  std::vector<Check> checks_ ABSL_GUARDED_BY(checks_mu_);
  bool shutting_down_ ABSL_GUARDED_BY(checks_mu_) = false;

  absl::Notification shutdown_requested_;
  absl::Mutex readiness_mu_;
  bool readiness_stop_ ABSL_GUARDED_BY(readiness_mu_) = false;
  std::thread readiness_thread_;
};

// The process-wide error domain set by ServiceHost ("registry.jalin").
const std::string& ErrorDomain();

}  // namespace jalin

#endif  // COMMON_SERVER_SERVICE_HOST_H_
