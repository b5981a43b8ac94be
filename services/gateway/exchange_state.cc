#include "services/gateway/exchange_state.h"

#include "absl/time/clock.h"
#include "common/status/grpc_status.h"
#include "services/gateway/http_error.h"

namespace jalin::gateway {

ExchangeState::ExchangeState(std::shared_ptr<HttpExchange> exchange,
                             HttpObserver* observer, std::string domain)
    : exchange_(std::move(exchange)),
      observer_(observer),
      domain_(std::move(domain)) {}

void ExchangeState::Reply(http::status status, std::string content_type,
                          std::string body, const HeaderList& extra) {
  HttpResponse res(status, request().version());
  res.set(http::field::server, "jalin-gateway");
  if (!content_type.empty()) res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  for (const auto& [k, v] : headers) res.set(k, v);
  for (const auto& [k, v] : extra) res.set(k, v);
  const int code = static_cast<int>(status);
  std::string error;
  if (code >= 400) error = body.substr(0, 300);
  const size_t bytes = body.size();
  res.body() = std::move(body);
  exchange_->Reply(std::move(res));
  Record(code, error, bytes);
}

void ExchangeState::ReplyError(const google::rpc::Status& status,
                               const HeaderList& extra, int http_status) {
  const int code =
      http_status != 0
          ? http_status
          : HttpStatusFromCode(static_cast<absl::StatusCode>(status.code()));
  Reply(static_cast<http::status>(code), "application/json",
        ErrorJson(status, http_status), extra);
}

void ExchangeState::ReplyError(const absl::Status& status,
                               const HeaderList& extra, int http_status) {
  ReplyError(ToRpcStatusForHttp(status), extra, http_status);
}

google::rpc::Status ExchangeState::ToRpcStatusForHttp(
    const absl::Status& status) const {
  return ToRpcStatus(status, domain_);
}

void ExchangeState::BeginStream(std::string content_type,
                                std::function<void(bool)> written) {
  http::response<http::empty_body> res(http::status::ok, request().version());
  res.set(http::field::server, "jalin-gateway");
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  // Tells buffering proxies to pass each event on at once.
  res.set("X-Accel-Buffering", "no");
  for (const auto& [k, v] : headers) res.set(k, v);
  exchange_->BeginStream(std::move(res), std::move(written));
}

void ExchangeState::EndStream(int grpc_code, absl::string_view error) {
  exchange_->EndStream();
  Record(grpc_code == 0
             ? 200
             : HttpStatusFromCode(static_cast<absl::StatusCode>(grpc_code)),
         error, 0);
}

void ExchangeState::Record(int status, absl::string_view error, size_t bytes) {
  if (recorded_.exchange(true)) return;
  const HttpRequest& req = request();
  ExchangeRecord r;
  r.method =
      absl::string_view(req.method_string().data(), req.method_string().size());
  r.target = absl::string_view(req.target().data(), req.target().size());
  r.route = route;
  r.status = status;
  r.latency = absl::Now() - exchange_->start_time();
  r.request_id = request_id;
  r.client = client;
  r.error = error;
  r.response_bytes = bytes;
  observer_->Record(r);
}

}  // namespace jalin::gateway
