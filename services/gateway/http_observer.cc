#include "services/gateway/http_observer.h"

#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace jalin::gateway {

HttpObserver::HttpObserver(prometheus::Registry& registry)
    : latency_(&prometheus::BuildHistogram()
                    .Name("jalin_http_request_duration_seconds")
                    .Help("Latency of HTTP exchanges by route and status "
                          "(streams: their whole life)")
                    .Register(registry)),
      streams_open_(&prometheus::BuildGauge()
                         .Name("jalin_http_streams_open")
                         .Help("Server-Sent Events and NDJSON streams open")
                         .Register(registry)
                         .Add({})),
      rate_limited_(&prometheus::BuildCounter()
                         .Name("jalin_http_rate_limited_total")
                         .Help("Requests answered 429 by the rate limit")
                         .Register(registry)
                         .Add({})) {}

void HttpObserver::Record(const ExchangeRecord& r) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  const double seconds = absl::ToDoubleSeconds(r.latency);
  latency_
      ->Add({{"route", std::string(r.route)}, {"code", absl::StrCat(r.status)}},
            kBuckets)
      .Observe(seconds);
  const log::Level level =
      r.status >= 500 ? log::Level::kWarn : log::Level::kInfo;
  if (!log::Enabled(level)) return;
  log::Write(level, "http",
             {{"method", std::string(r.method)},
              {"target", std::string(r.target)},
              {"route", std::string(r.route)},
              {"status", r.status},
              {"latency_ms", absl::ToDoubleMilliseconds(r.latency)},
              {"request_id", std::string(r.request_id)},
              {"client", std::string(r.client)},
              {"bytes", r.response_bytes},
              {"error", std::string(r.error)}});
}

void HttpObserver::StreamOpened() { streams_open_->Increment(); }
void HttpObserver::StreamClosed() { streams_open_->Decrement(); }
void HttpObserver::RateLimited() { rate_limited_->Increment(); }

}  // namespace jalin::gateway
