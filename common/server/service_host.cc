#include "common/server/service_host.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log/log.h"
#include "common/server/rpc_observer.h"
#include "common/server/signals.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace jalin {
namespace {

std::string& MutableErrorDomain() {
  static std::string* domain = new std::string("jalin");
  return *domain;
}

constexpr char kLiveness[] = "liveness";

}  // namespace

const std::string& ErrorDomain() { return MutableErrorDomain(); }

ServiceHost::ServiceHost(HostOptions options,
                         const auth::Authenticator* authenticator)
    : options_(std::move(options)), authenticator_(authenticator) {
  MutableErrorDomain() = absl::StrCat(options_.service, ".jalin");
}

ServiceHost::~ServiceHost() {
  {
    absl::MutexLock lock(&readiness_mu_);
    readiness_stop_ = true;
  }
  if (readiness_thread_.joinable()) readiness_thread_.join();
  if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now());
}

void ServiceHost::AddService(grpc::Service* service) {
  services_.push_back(service);
}

void ServiceHost::AddReadinessCheck(std::string name,
                                    std::function<absl::Status()> check,
                                    bool required) {
  absl::MutexLock lock(&checks_mu_);
  checks_.push_back({std::move(name), std::move(check), required});
}

void ServiceHost::OnShutdown(std::function<void(absl::Time)> hook) {
  hooks_.push_back(std::move(hook));
}

absl::Status ServiceHost::Start() {
  if (absl::Status s = metrics_.Serve(options_.metrics_listen); !s.ok()) {
    return s;
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.grpc_listen,
                           grpc::InsecureServerCredentials(), &port_);
  builder.SetMaxReceiveMessageSize(options_.max_receive_bytes);
  for (grpc::Service* s : services_) builder.RegisterService(s);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(
      std::make_unique<RpcObserverFactory>(&metrics_, authenticator_));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.grpc_listen));
  }
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  health->SetServingStatus(kLiveness, true);
  CheckReadiness();
  readiness_thread_ = std::thread([this] {
    while (true) {
      {
        absl::MutexLock lock(&readiness_mu_);
        if (readiness_mu_.AwaitWithTimeout(absl::Condition(&readiness_stop_),
                                           options_.readiness_interval)) {
          return;
        }
      }
      CheckReadiness();
    }
  });
  log::Info("serving", {{"grpc_port", port_},
                        {"grpc_listen", options_.grpc_listen},
                        {"metrics_listen", options_.metrics_listen}});
  return absl::OkStatus();
}

void ServiceHost::CheckReadiness() {
  absl::MutexLock lock(&checks_mu_);
  if (shutting_down_ || server_ == nullptr) return;
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  bool ready = true;
  for (Check& c : checks_) {
    absl::Status s = c.fn();
    const bool ok = s.ok();
    health->SetServingStatus(c.name, ok);
    metrics_.SetDependencyUp(c.name, ok);
    if (!c.reported || ok != c.last_ok) {
      if (ok) {
        log::Info("dependency up", {{"dependency", c.name}});
      } else {
        log::Warn(
            c.required ? "dependency down: not ready"
                       : "dependency down: degraded",
            {{"dependency", c.name}, {"error", std::string(s.message())}});
      }
    }
    c.last_ok = ok;
    c.reported = true;
    if (c.required && !ok) ready = false;
  }
  health->SetServingStatus("", ready);
}

void ServiceHost::RequestShutdown() {
  if (!shutdown_requested_.HasBeenNotified()) shutdown_requested_.Notify();
}

void ServiceHost::WaitForShutdown() {
  std::thread signal_thread([this] {
    int sig = WaitForTerminationSignal();
    log::Info("signal received: shutting down", {{"signal", sig}});
    RequestShutdown();
  });
  signal_thread.detach();
  shutdown_requested_.WaitForNotification();
  Shutdown();
}

void ServiceHost::Shutdown() {
  const absl::Time start = absl::Now();
  {
    absl::MutexLock lock(&checks_mu_);
    shutting_down_ = true;
  }
  {
    absl::MutexLock lock(&readiness_mu_);
    readiness_stop_ = true;
  }
  if (readiness_thread_.joinable()) readiness_thread_.join();
  if (server_ != nullptr) {
    // NOT_SERVING everywhere (load balancers stop sending), then drain.
    server_->GetHealthCheckService()->Shutdown();
    server_->Shutdown(absl::ToChronoTime(start + options_.drain_timeout));
  }
  const absl::Time hook_deadline = absl::Now() + options_.hook_timeout;
  for (auto& hook : hooks_) hook(hook_deadline);
  if (server_ != nullptr) server_->Wait();
  log::Info("stopped",
            {{"shutdown_ms", absl::ToDoubleMilliseconds(absl::Now() - start)}});
}

}  // namespace jalin
