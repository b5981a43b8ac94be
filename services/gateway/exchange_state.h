// One HTTP exchange as the gateway answers it: the request id, the route,
// the client, the headers every response carries (x-request-id, CORS), and
// the replies, each recorded once by the HttpObserver.
//
// The fields are set by the thread that handles the request before any
// asynchronous step starts and are read-only afterwards; the reply methods
// are thread-safe.

#ifndef SERVICES_GATEWAY_EXCHANGE_STATE_H_
#define SERVICES_GATEWAY_EXCHANGE_STATE_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "google/rpc/status.pb.h"
#include "services/gateway/cors.h"
#include "services/gateway/http_observer.h"
#include "services/gateway/http_server.h"

namespace jalin::gateway {

class ExchangeState {
 public:
  // `observer` must outlive the state; `domain` names the ErrorInfo domain
  // of errors raised by the gateway ("gateway.jalin").
  ExchangeState(std::shared_ptr<HttpExchange> exchange, HttpObserver* observer,
                std::string domain);

  HttpExchange& exchange() { return *exchange_; }
  const HttpRequest& request() const { return exchange_->request(); }

  std::string request_id;
  // The metrics label: a route label, "static", "openapi", "health",
  // "preflight" or "unmatched".
  std::string route = "unmatched";
  // "sub:users/ani" or "ip:127.0.0.1".
  std::string client;
  // Sent with every response.
  HeaderList headers;

  void Reply(http::status status, std::string content_type, std::string body,
             const HeaderList& extra = {});
  // A JSON error body with the status mapped from its code, or
  // `http_status` when given.
  void ReplyError(const google::rpc::Status& status,
                  const HeaderList& extra = {}, int http_status = 0);
  void ReplyError(const absl::Status& status, const HeaderList& extra = {},
                  int http_status = 0);

  // Starts a chunked 200 response of `content_type`.
  void BeginStream(std::string content_type, std::function<void(bool)> written);
  // Ends it and records the exchange with `grpc_code` (0 = OK).
  void EndStream(int grpc_code, absl::string_view error);

  const std::string& domain() const { return domain_; }
  google::rpc::Status ToRpcStatusForHttp(const absl::Status& status) const;

 private:
  void Record(int status, absl::string_view error, size_t bytes);

  const std::shared_ptr<HttpExchange> exchange_;
  HttpObserver* const observer_;
  const std::string domain_;
  std::atomic<bool> recorded_{false};
};

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_EXCHANGE_STATE_H_
