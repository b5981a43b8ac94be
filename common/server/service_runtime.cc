#include "common/server/service_runtime.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/concurrency/mutex_mode.h"
#include "common/events/event_builder.h"
#include "common/events/event_consumer.h"
#include "common/log/log.h"
#include "common/server/signals.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "common/storage/request_log.h"

namespace jalin {

void CommonSettings::Register(Config& config, const std::string& service,
                              int grpc_port, bool has_store) {
  grpc_listen = absl::StrCat("127.0.0.1:", grpc_port);
  metrics_listen = absl::StrCat("127.0.0.1:", grpc_port + 1000);
  if (has_store) store = absl::StrCat("var/", service, ".db");
  consumer_name = service;
  config.AddString("grpc_listen", &grpc_listen,
                   "gRPC listen address (host:port); port 0 picks one");
  config.AddString("metrics_listen", &metrics_listen,
                   "Prometheus /metrics address (host:port); empty disables");
  config.AddString("redis", &redis,
                   "Redis address: host:port or unix:/path/to/socket");
  config.AddDuration("redis_timeout", &redis_timeout,
                     "Timeout of every Redis command");
  if (has_store) {
    config.AddString("store", &store, "SQLite store file of this service");
    config.AddString("store_sync", &store_sync,
                     "SQLite durability: full (survives power loss) or normal "
                     "(survives a killed process)");
    config.AddCheck([this] {
      return (store_sync == "full" || store_sync == "normal")
                 ? std::string()
                 : absl::StrCat("JALIN_STORE_SYNC=", store_sync,
                                ": must be full or normal");
    });
  }
  config.AddString("jwt_hs256_secret_file", &jwt_hs256_secret_file,
                   "File with the HS256 token secret (development)");
  config.AddString("jwt_rs256_public_key_file", &jwt_rs256_public_key_file,
                   "PEM public key that verifies RS256 tokens (deployments)");
  config.AddString("jwt_rs256_private_key_file", &jwt_rs256_private_key_file,
                   "PEM private key to mint this service's own RS256 tokens "
                   "(optional; see service_token_file)");
  config.AddString("service_token_file", &service_token_file,
                   "File with a pre-issued token this service presents to "
                   "other services");
  config.AddString("log_level", &log_level, "debug, info, warn or error");
  config.AddDuration("drain_timeout", &drain_timeout,
                     "Time in-flight RPCs get after SIGTERM");
  config.AddInt("stream_max_length", &stream_max_length,
                "Approximate entries kept in this service's event stream", 1000,
                INT64_MAX);
  config.AddString("consumer_name", &consumer_name,
                   "Name of this process in consumer groups; stable across "
                   "restarts");
  config.AddString("data_dir", &data_dir,
                   "Directory of jalin's data files (regions.csv, taxonomy)");
  config.AddCheck([this] {
    return (jwt_hs256_secret_file.empty() && jwt_rs256_public_key_file.empty())
               ? std::string(
                     "no token verification key: set "
                     "JALIN_JWT_HS256_SECRET_FILE or "
                     "JALIN_JWT_RS256_PUBLIC_KEY_FILE")
               : std::string();
  });
}

ServiceRuntime::ServiceRuntime(std::string service, CommonSettings settings)
    : service_(std::move(service)), settings_(std::move(settings)) {}

ServiceRuntime::~ServiceRuntime() = default;

absl::StatusOr<std::unique_ptr<ServiceRuntime>> ServiceRuntime::Create(
    std::string service, const CommonSettings& settings) {
  std::unique_ptr<ServiceRuntime> rt(
      new ServiceRuntime(std::move(service), settings));
  RETURN_IF_ERROR(log::Init(rt->service_, settings.log_level));

  absl::StatusOr<auth::JwtKeys> keys = auth::LoadJwtKeys(
      settings.jwt_hs256_secret_file, settings.jwt_rs256_public_key_file,
      settings.jwt_rs256_private_key_file);
  if (!keys.ok()) return Annotate(keys.status(), "JWT keys");
  rt->keys_ = *std::move(keys);
  rt->authenticator_ =
      std::make_unique<auth::Authenticator>(rt->keys_, SystemClock::Get());

  std::string fixed_token;
  if (!settings.service_token_file.empty()) {
    std::ifstream in(settings.service_token_file);
    if (!in) {
      return absl::InvalidArgumentError(
          absl::StrCat("JALIN_SERVICE_TOKEN_FILE: cannot read ",
                       settings.service_token_file));
    }
    std::getline(in, fixed_token);
  }
  rt->service_token_ = std::make_unique<rpc::ServiceToken>(
      rt->service_, rt->keys_, fixed_token, SystemClock::Get());

  redis::Options redis_options;
  redis_options.address = settings.redis;
  redis_options.command_timeout = settings.redis_timeout;
  rt->redis_ = std::make_unique<redis::Client>(redis_options);

  if (!settings.store.empty()) {
    std::filesystem::path dir =
        std::filesystem::path(settings.store).parent_path();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    storage::SqliteOptions options;
    options.path = settings.store;
    options.synchronous_full = settings.store_sync == "full";
    absl::StatusOr<std::unique_ptr<storage::SqliteDatabase>> db =
        storage::SqliteDatabase::Open(options);
    if (!db.ok()) return Annotate(db.status(), "JALIN_STORE");
    rt->db_ = *std::move(db);
    RETURN_IF_ERROR(events::Outbox::Migrate(*rt->db_));
    RETURN_IF_ERROR(events::EventConsumer::Migrate(*rt->db_));
    RETURN_IF_ERROR(storage::RequestLog::Migrate(*rt->db_));
    events::RelayOptions relay_options;
    relay_options.stream = events::StreamName(rt->service_);
    relay_options.max_stream_length = settings.stream_max_length;
    rt->relay_ = std::make_unique<events::OutboxRelay>(
        rt->db_.get(), rt->redis_.get(), relay_options);
    events::OutboxRelay* relay = rt->relay_.get();
    rt->outbox_ =
        std::make_unique<events::Outbox>([relay] { relay->Notify(); });
  }

  HostOptions host_options;
  host_options.service = rt->service_;
  host_options.grpc_listen = settings.grpc_listen;
  host_options.metrics_listen = settings.metrics_listen;
  host_options.drain_timeout = settings.drain_timeout;
  rt->host_ =
      std::make_unique<ServiceHost>(host_options, rt->authenticator_.get());
  redis::Client* redis = rt->redis_.get();
  // Without Redis a service runs degraded (events wait in the outbox, caches
  // are bypassed), so Redis is reported on its own health entry but does not
  // take the process out of service.
  rt->host_->AddReadinessCheck(
      "redis", [redis] { return redis->Ping(); }, /*required=*/false);
  if (rt->db_ != nullptr) {
    storage::Database* db = rt->db_.get();
    rt->host_->AddReadinessCheck(
        "store", [db] { return db->Ping(); }, /*required=*/true);
  }
  return rt;
}

int ServiceRuntime::Run(ServiceModule& module) {
  if (relay_ != nullptr) relay_->Start();
  absl::Status s = host_->Start();
  if (s.ok()) s = module.Start();
  if (!s.ok()) {
    log::Error("cannot start", {{"error", std::string(s.message())}});
    return 1;
  }
  // Health NOT_SERVING, drain in-flight RPCs, run host hooks.
  host_->WaitForShutdown();
  module.Stop();
  if (relay_ != nullptr) {
    s = relay_->FlushAndStop(absl::Now() + absl::Seconds(1));
    if (!s.ok()) {
      log::Warn("outbox not flushed", {{"error", std::string(s.message())}});
    }
  }
  return 0;
}

int RunService(int argc, char** argv, const ServiceSpec& spec) {
  SkipMutexDeadlockDetection();
  BlockTerminationSignals();
  Config config(absl::StrCat("jalin-", spec.name), spec.summary);
  CommonSettings settings;
  settings.Register(config, spec.name, spec.grpc_port, spec.has_store);
  if (spec.add_settings) spec.add_settings(config);
  config.ParseOrExit(argc, argv);
  absl::StatusOr<std::unique_ptr<ServiceRuntime>> rt =
      ServiceRuntime::Create(spec.name, settings);
  if (!rt.ok()) {
    log::Error("cannot start", {{"error", std::string(rt.status().message())}});
    return 1;
  }
  absl::StatusOr<std::unique_ptr<ServiceModule>> module = spec.build(**rt);
  if (!module.ok()) {
    log::Error("cannot start",
               {{"error", std::string(module.status().message())}});
    return 1;
  }
  return (*rt)->Run(**module);
}

}  // namespace jalin
