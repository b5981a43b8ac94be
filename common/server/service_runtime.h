// What every jalin service process sets up the same way: settings, logging,
// JWT keys, the store (with outbox and consumer tables), Redis, the outbox
// relay and the service host. A service's main() adds its own settings,
// builds its service on top of a ServiceRuntime and calls Run().

#ifndef COMMON_SERVER_SERVICE_RUNTIME_H_
#define COMMON_SERVER_SERVICE_RUNTIME_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/auth/jwt.h"
#include "common/clock.h"
#include "common/config/config.h"
#include "common/events/outbox.h"
#include "common/events/outbox_relay.h"
#include "common/redis/redis_client.h"
#include "common/rpc/client.h"
#include "common/server/service_host.h"
#include "common/storage/sqlite_database.h"

namespace jalin {

// Settings shared by every service (see deploy/README.md).
struct CommonSettings {
  std::string grpc_listen;
  std::string metrics_listen;
  std::string redis = "127.0.0.1:6379";
  absl::Duration redis_timeout = absl::Seconds(2);
  // SQLite file; empty for services without a store (gateway).
  std::string store;
  std::string store_sync = "full";
  std::string jwt_hs256_secret_file;
  std::string jwt_rs256_public_key_file;
  std::string jwt_rs256_private_key_file;
  std::string service_token_file;
  std::string log_level = "info";
  absl::Duration drain_timeout = absl::Seconds(3);
  int64_t stream_max_length = 1'000'000;
  std::string consumer_name;
  // Directory of the data files that ship with jalin (regions.csv, ...).
  std::string data_dir = "data";

  // Registers the settings with defaults for `service` on `grpc_port`
  // (metrics on grpc_port + 1000, store var/<service>.db when has_store).
  void Register(Config& config, const std::string& service, int grpc_port,
                bool has_store);
};

// The service-specific part of a process, built on a ServiceRuntime.
class ServiceModule {
 public:
  virtual ~ServiceModule() = default;
  // After the host started serving: start consumers and background work.
  virtual absl::Status Start() { return absl::OkStatus(); }
  // At shutdown, after in-flight RPCs drained and before the outbox is
  // flushed: stop background work.
  virtual void Stop() {}
};

// Owns the shared pieces of one service process. Thread-safe accessors;
// created and run from main().
class ServiceRuntime {
 public:
  // Opens everything; fails with a message naming the setting at fault.
  static absl::StatusOr<std::unique_ptr<ServiceRuntime>> Create(
      std::string service, const CommonSettings& settings);
  ~ServiceRuntime();

  const std::string& service() const { return service_; }
  const Clock& clock() const { return *SystemClock::Get(); }
  const auth::JwtKeys& jwt_keys() const { return keys_; }
  const auth::Authenticator& authenticator() const { return *authenticator_; }
  ServiceHost& host() { return *host_; }
  redis::Client& redis() { return *redis_; }
  // Null for services without a store.
  storage::Database* db() { return db_.get(); }
  // The same store as db(), for SQLite-only upkeep (WAL checkpoints).
  storage::SqliteDatabase* sqlite_db() { return db_.get(); }
  // Null for services without a store.
  events::Outbox* outbox() { return outbox_.get(); }
  // The bearer token this service presents to others.
  rpc::ServiceToken& service_token() { return *service_token_; }
  const CommonSettings& settings() const { return settings_; }

  // Starts the relay, the host and `module`, waits for SIGTERM, shuts down
  // in order (health NOT_SERVING, drain RPCs, stop the module, flush the
  // outbox). Returns the exit code for main().
  int Run(ServiceModule& module);

 private:
  ServiceRuntime(std::string service, CommonSettings settings);

  const std::string service_;
  const CommonSettings settings_;
  auth::JwtKeys keys_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<redis::Client> redis_;
  std::unique_ptr<storage::SqliteDatabase> db_;
  std::unique_ptr<events::OutboxRelay> relay_;
  std::unique_ptr<events::Outbox> outbox_;
  std::unique_ptr<rpc::ServiceToken> service_token_;
  std::unique_ptr<ServiceHost> host_;
};

struct ServiceSpec {
  // "registry".
  std::string name;
  std::string summary;
  int grpc_port = 0;
  bool has_store = true;
  // Adds the service's own settings (their destinations must outlive main).
  std::function<void(Config&)> add_settings;
  // Builds the service: registers gRPC services and readiness checks with
  // rt.host() and returns what must live until exit.
  std::function<absl::StatusOr<std::unique_ptr<ServiceModule>>(
      ServiceRuntime& rt)>
      build;
};

// The whole main() of a service: settings, runtime, module, run.
int RunService(int argc, char** argv, const ServiceSpec& spec);

}  // namespace jalin

#endif  // COMMON_SERVER_SERVICE_RUNTIME_H_
