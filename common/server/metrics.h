// Prometheus metrics of a process: a registry, an HTTP exposer on the
// metrics address, and the RPC metric families every server records.

#ifndef COMMON_SERVER_METRICS_H_
#define COMMON_SERVER_METRICS_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/base/call_once.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/exposer.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace jalin {

// Thread-safe (prometheus-cpp metrics are).
class Metrics {
 public:
  Metrics();

  // Serves /metrics on `address` ("127.0.0.1:9101"); empty disables.
  absl::Status Serve(absl::string_view address);

  prometheus::Registry& registry() { return *registry_; }

  // Records one finished RPC.
  void RecordRpc(absl::string_view method, absl::string_view code,
                 double seconds);
  // 1 when a dependency ("store", "redis") answers, 0 otherwise.
  void SetDependencyUp(absl::string_view dependency, bool up);
  // A recorder of how long the store's writers were held while its WAL was
  // copied so that it could start over (SqliteCheckpointer's
  // on_writers_held). The metric is shown once a recorder has been asked
  // for, so only by a service that checkpoints in the background. The
  // recorder must not outlive this object.
  std::function<void(absl::Duration held)> StoreWritersHeldRecorder();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Family<prometheus::Histogram>* rpc_latency_;
  prometheus::Family<prometheus::Gauge>* dependency_up_;
  absl::once_flag store_writers_held_once_;
  prometheus::Histogram* store_writers_held_ = nullptr;
};

}  // namespace jalin

#endif  // COMMON_SERVER_METRICS_H_
