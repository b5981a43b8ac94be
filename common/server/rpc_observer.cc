#include "common/server/rpc_observer.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/ids.h"
#include "common/log/log.h"
#include "common/status/grpc_status.h"

namespace jalin {
namespace {

using grpc::experimental::InterceptionHookPoints;

class RpcObserver final : public grpc::experimental::Interceptor {
 public:
  RpcObserver(grpc::experimental::ServerRpcInfo* info, Metrics* metrics,
              const auth::Authenticator* authenticator)
      : info_(info),
        metrics_(metrics),
        authenticator_(authenticator),
        start_(absl::Now()) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* md = methods->GetRecvInitialMetadata();
      auto it = md->find(kRequestIdHeader);
      if (it != md->end()) {
        request_id_.assign(it->second.data(), it->second.size());
      }
      if (request_id_.empty() || request_id_.size() > 128)
        request_id_ = NewUlid();
      if (authenticator_ != nullptr && md->count("authorization") > 0) {
        auto principal = authenticator_->Authenticate(*info_->server_context());
        principal_ = principal.ok() ? principal->subject : "invalid-token";
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      if (request_id_.empty()) request_id_ = NewUlid();
      methods->GetSendInitialMetadata()->emplace(kRequestIdHeader, request_id_);
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
      const std::string code =
          StatusCodeName(static_cast<absl::StatusCode>(status.error_code()));
      metrics_->RecordRpc(info_->method(), code, seconds);
      log::Level level = log::Level::kInfo;
      if (status.error_code() == grpc::StatusCode::INTERNAL ||
          status.error_code() == grpc::StatusCode::UNKNOWN ||
          status.error_code() == grpc::StatusCode::DATA_LOSS) {
        level = log::Level::kError;
      } else if (status.ok() &&
                 absl::StartsWith(info_->method(), "/grpc.health.v1.")) {
        // Probes every few seconds would drown the log.
        level = log::Level::kDebug;
      }
      log::Write(level, "rpc",
                 {{"method", info_->method()},
                  {"code", code},
                  {"latency_ms", seconds * 1000.0},
                  {"request_id", request_id_},
                  {"principal", principal_},
                  {"error", status.error_message()}});
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* const info_;
  Metrics* const metrics_;
  const auth::Authenticator* const authenticator_;
  const absl::Time start_;
  std::string request_id_;
  std::string principal_ = "-";
};

}  // namespace

grpc::experimental::Interceptor* RpcObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcObserver(info, metrics_, authenticator_);
}

}  // namespace jalin
