// A server interceptor that gives every RPC a request id, writes one log line
// per finished RPC (method, status, latency, request id, principal) and
// records its latency in Prometheus.

#ifndef COMMON_SERVER_RPC_OBSERVER_H_
#define COMMON_SERVER_RPC_OBSERVER_H_

#include "common/auth/authenticator.h"
#include "common/server/metrics.h"
#include "grpcpp/support/server_interceptor.h"

namespace jalin {

// Metadata key of the request id; taken from the client or generated, and
// sent back in the initial metadata.
inline constexpr char kRequestIdHeader[] = "x-request-id";

// `metrics` and `authenticator` (nullable) must outlive the server.
class RpcObserverFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  RpcObserverFactory(Metrics* metrics, const auth::Authenticator* authenticator)
      : metrics_(metrics), authenticator_(authenticator) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  Metrics* const metrics_;
  const auth::Authenticator* const authenticator_;
};

}  // namespace jalin

#endif  // COMMON_SERVER_RPC_OBSERVER_H_
