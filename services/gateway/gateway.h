// The gateway's HTTP handler: routes each request to the transcoded gRPC
// method (or /openapi.json, /healthz, the dashboard's files), applies CORS,
// the bearer token pass-through, the request id and the per-client rate
// limit, and answers errors as AIP-193 JSON.
//
// Thread-safe. Everything passed to the constructor must outlive it.

#ifndef SERVICES_GATEWAY_GATEWAY_H_
#define SERVICES_GATEWAY_GATEWAY_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "services/gateway/backend_call.h"
#include "services/gateway/cors.h"
#include "services/gateway/http_observer.h"
#include "services/gateway/http_server.h"
#include "services/gateway/rate_limiter.h"
#include "services/gateway/route_table.h"
#include "services/gateway/static_files.h"

namespace jalin::gateway {

struct GatewayOptions {
  // Names the ErrorInfo domain of the gateway's own errors.
  std::string service = "gateway";
  // Deadline of each unary backend call, and of a stream.
  absl::Duration backend_timeout = absl::Seconds(10);
  absl::Duration stream_timeout = absl::Minutes(30);
  absl::Duration sse_keepalive = absl::Seconds(15);
};

struct GatewayDeps {
  const RouteTable* routes = nullptr;
  const Backends* backends = nullptr;
  const CorsPolicy* cors = nullptr;
  const StaticFiles* files = nullptr;
  // Null or disabled: no limit.
  RateLimiter* limiter = nullptr;
  // Null: clients are told apart by address only.
  const auth::Authenticator* authenticator = nullptr;
  HttpObserver* observer = nullptr;
  CallTracker* tracker = nullptr;
};

class Gateway final : public HttpHandler {
 public:
  Gateway(GatewayOptions options, GatewayDeps deps);

  void Handle(std::shared_ptr<HttpExchange> exchange) override;
  HttpResponse Rejected(http::status status, absl::string_view reason,
                        absl::string_view origin) override;

  // /healthz answers 503 from now on.
  void SetStopping() { stopping_ = true; }

 private:
  void HandleApi(std::shared_ptr<ExchangeState> state, const Route& route,
                 std::vector<PathTemplate::Binding> bindings,
                 absl::string_view query);
  void HandleStatic(std::shared_ptr<ExchangeState> state,
                    absl::string_view path);
  void HandlePreflight(std::shared_ptr<ExchangeState> state,
                       const SplitPath& path, bool api);

  const GatewayOptions options_;
  const GatewayDeps deps_;
  const std::string domain_;
  const std::string openapi_;
  std::atomic<bool> stopping_{false};
};

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_GATEWAY_H_
