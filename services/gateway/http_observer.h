// What the gateway records about every HTTP exchange: one JSON log line
// (method, path, route, status, latency, request id, client) and the
// Prometheus families
//   jalin_http_request_duration_seconds{route, code}  latency per route
//   jalin_http_streams_open                            live SSE/NDJSON streams
//   jalin_http_rate_limited_total                      requests answered 429
//
// Thread-safe.

#ifndef SERVICES_GATEWAY_HTTP_OBSERVER_H_
#define SERVICES_GATEWAY_HTTP_OBSERVER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace jalin::gateway {

struct ExchangeRecord {
  absl::string_view method;
  absl::string_view target;
  // The route's label ("GET /v1/{name=regions/*}"), "static", "openapi",
  // "health" or "unmatched".
  absl::string_view route;
  int status = 0;
  absl::Duration latency;
  absl::string_view request_id;
  absl::string_view client;
  // For errors: the message sent.
  absl::string_view error;
  size_t response_bytes = 0;
};

class HttpObserver {
 public:
  // `registry` must outlive the observer.
  explicit HttpObserver(prometheus::Registry& registry);

  void Record(const ExchangeRecord& r);
  void StreamOpened();
  void StreamClosed();
  void RateLimited();

 private:
  prometheus::Family<prometheus::Histogram>* latency_;
  prometheus::Gauge* streams_open_;
  prometheus::Counter* rate_limited_;
};

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_HTTP_OBSERVER_H_
