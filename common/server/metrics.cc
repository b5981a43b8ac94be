#include "common/server/metrics.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace jalin {

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      rpc_latency_(
          &prometheus::BuildHistogram()
               .Name("jalin_rpc_duration_seconds")
               .Help("Latency of finished RPCs by method and status code")
               .Register(*registry_)),
      dependency_up_(&prometheus::BuildGauge()
                          .Name("jalin_dependency_up")
                          .Help("1 when a dependency answers its check")
                          .Register(*registry_)) {}

absl::Status Metrics::Serve(absl::string_view address) {
  if (address.empty()) return absl::OkStatus();
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(std::string(address));
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", address, ": ", e.what()));
  }
  exposer_->RegisterCollectable(registry_);
  return absl::OkStatus();
}

void Metrics::RecordRpc(absl::string_view method, absl::string_view code,
                        double seconds) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  rpc_latency_
      ->Add({{"method", std::string(method)}, {"code", std::string(code)}},
            kBuckets)
      .Observe(seconds);
}

std::function<void(absl::Duration held)> Metrics::StoreWritersHeldRecorder() {
  absl::call_once(store_writers_held_once_, [this] {
    store_writers_held_ =
        &prometheus::BuildHistogram()
             .Name("jalin_store_writers_held_seconds")
             .Help(
                 "Time the store's writers waited while its WAL was "
                 "copied so that it could start over")
             .Register(*registry_)
             .Add({}, prometheus::Histogram::BucketBoundaries{
                          0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1,
                          0.25, 1});
  });
  return [histogram = store_writers_held_](absl::Duration held) {
    histogram->Observe(absl::ToDoubleSeconds(held));
  };
}

void Metrics::SetDependencyUp(absl::string_view dependency, bool up) {
  dependency_up_->Add({{"dependency", std::string(dependency)}})
      .Set(up ? 1 : 0);
}

}  // namespace jalin
