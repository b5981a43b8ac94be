// The gateway's settings and the stack they configure: routes, backends,
// CORS, static files, rate limit, the handler and the HTTP server. main()
// builds one on the ServiceRuntime's Redis, authenticator and metrics;
// tests build one in-process in front of fake backends.

#ifndef SERVICES_GATEWAY_GATEWAY_STACK_H_
#define SERVICES_GATEWAY_GATEWAY_STACK_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/clock.h"
#include "common/config/config.h"
#include "common/redis/redis_client.h"
#include "prometheus/registry.h"
#include "services/gateway/backend_call.h"
#include "services/gateway/cors.h"
#include "services/gateway/gateway.h"
#include "services/gateway/http_observer.h"
#include "services/gateway/http_server.h"
#include "services/gateway/rate_limiter.h"
#include "services/gateway/route_table.h"
#include "services/gateway/static_files.h"

namespace jalin::gateway {

struct GatewaySettings {
  std::string http_listen = "127.0.0.1:8080";
  int64_t http_threads = 2;
  std::string web_dir = "web/dist";
  std::string cors_origins;
  int64_t max_body_bytes = 1 << 20;
  absl::Duration idle_timeout = absl::Seconds(60);
  int64_t max_connections = 20000;
  absl::Duration backend_timeout = absl::Seconds(10);
  absl::Duration stream_timeout = absl::Minutes(30);
  absl::Duration sse_keepalive = absl::Seconds(15);
  int64_t rate_limit = 600;
  absl::Duration rate_limit_window = absl::Minutes(1);
  std::string registry_address = "127.0.0.1:7101";
  std::string matching_address = "127.0.0.1:7102";
  std::string curation_address = "127.0.0.1:7103";
  std::string notification_address = "127.0.0.1:7104";

  // Registers every setting (destinations must outlive config parsing).
  void Register(Config& config);
};

// What the stack uses and does not own; each must outlive the stack.
struct StackEnvironment {
  // Names the ErrorInfo domain and logs ("gateway").
  std::string service = "gateway";
  redis::Client* redis = nullptr;
  // Null: clients are told apart by address only.
  const auth::Authenticator* authenticator = nullptr;
  prometheus::Registry* metrics = nullptr;
  const Clock* clock = nullptr;
  // Time requests in flight get at Stop().
  absl::Duration drain = absl::Seconds(3);
};

// Thread-safe after Create.
class GatewayStack {
 public:
  // Builds the routes from the descriptors and starts serving HTTP.
  static absl::StatusOr<std::unique_ptr<GatewayStack>> Create(
      const GatewaySettings& settings, const StackEnvironment& env);
  ~GatewayStack();

  // Stops accepting, lets requests in flight finish within the drain time,
  // cancels what is left (streams first), and stops the server.
  void Stop();

  int http_port() const { return server_->port(); }
  bool serving() const { return server_->serving(); }
  const RouteTable& routes() const { return *routes_; }
  RateLimiter& limiter() { return *limiter_; }
  int connections() const { return server_->connections(); }

 private:
  GatewayStack() = default;

  absl::Duration drain_ = absl::Seconds(3);
  std::unique_ptr<RouteTable> routes_;
  std::unique_ptr<Backends> backends_;
  std::unique_ptr<CorsPolicy> cors_;
  std::unique_ptr<StaticFiles> files_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<HttpObserver> observer_;
  CallTracker tracker_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<HttpServer> server_;
  bool stopped_ = false;
};

// Raises the soft limit of open files to the hard limit: every SSE client
// holds a socket.
void RaiseOpenFileLimit();

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_GATEWAY_STACK_H_
