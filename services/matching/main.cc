// jalin-matching: explainable matching, channeling reports and proposals.

#include <memory>

#include "common/log/log.h"
#include "common/regions/region_table.h"
#include "common/server/service_runtime.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/matching/proposals/proposal_store.h"
#include "services/matching/proposals/proposals.h"
#include "services/matching/scoring/signals.h"
#include "services/matching/service/housekeeping.h"
#include "services/matching/service/match_queries.h"
#include "services/matching/service/matching_service.h"
#include "services/matching/service/matching_settings.h"
#include "services/matching/sync/grpc_snapshot_source.h"
#include "services/matching/sync/index_sync.h"
#include "services/matching/sync/live_index.h"
#include "services/matching/sync/redis_registry_feed.h"

namespace jalin::matching {
namespace {

// Everything the process runs, wired once. Members are destroyed in
// reverse order: the gRPC service (already drained) before what it uses.
class Module final : public ServiceModule {
 public:
  Module(ServiceRuntime& rt, const MatchingSettings& s,
         std::shared_ptr<const RegionGrid> grid)
      : settings_(s),
        source_({.address = s.registry_address,
                 .timeout = s.snapshot_timeout,
                 .token = [&rt] { return rt.service_token().Get(); }}),
        feed_(&rt.redis(), {.group = s.registry_event_group,
                            .consumer = rt.settings().consumer_name}),
        proposals_(rt.db(), rt.outbox(), &requests_, &live_, &signals_,
                   &settings_.weights, &rt.clock(), {.ttl = s.proposal_ttl}),
        auto_proposer_(&live_, &signals_, &settings_.weights, &rt.clock(),
                       &proposals_,
                       {.enabled = s.auto_propose,
                        .min_score = s.auto_propose_min_score,
                        .max_per_listing =
                            static_cast<int>(s.auto_propose_max)}),
        sync_(std::move(grid), &source_, &feed_, &live_, &rt.clock(), {},
              [this](const std::vector<std::string>& opened) {
                auto_proposer_.OnListingsOpened(opened);
              }),
        sweeper_(&proposals_, &sync_, s.expiry_sweep_interval),
        queries_(&live_, &signals_, &settings_.weights, &rt.clock(),
                 {.report_matches_per_listing =
                      static_cast<int>(s.report_matches_per_listing)}),
        service_(&rt.authenticator(), &queries_, &proposals_, rt.db(),
                 &requests_, [this] { return sync_.Load(); }) {
    rt.host().AddService(&service_);
    // Without an index the service cannot answer its main questions: it is
    // not ready until the first snapshot is loaded.
    rt.host().AddReadinessCheck(
        "index",
        [this] {
          return live_.ready() ? absl::OkStatus()
                               : absl::UnavailableError(
                                     "the match index is loading");
        },
        /*required=*/true);
    rt.host().AddReadinessCheck(
        "registry_events",
        [this] {
          return sync_.feed_healthy()
                     ? absl::OkStatus()
                     : absl::UnavailableError(
                           "registry events cannot be read now");
        },
        /*required=*/false);
  }

  absl::Status Start() override {
    RETURN_IF_ERROR(proposals_.LoadSignals());
    sync_.StartBackgroundLoad();
    sweeper_.Start();
    return absl::OkStatus();
  }

  void Stop() override {
    sweeper_.Stop();
    sync_.Stop();
  }

 private:
  const MatchingSettings settings_;
  storage::RequestLog requests_;
  Signals signals_;
  LiveIndex live_;
  GrpcSnapshotSource source_;
  RedisRegistryFeed feed_;
  Proposals proposals_;
  AutoProposer auto_proposer_;
  IndexSync sync_;
  Sweeper sweeper_;
  MatchQueries queries_;
  MatchingService service_;
};

}  // namespace
}  // namespace jalin::matching

int main(int argc, char** argv) {
  using jalin::matching::MatchingSettings;
  // Settings live until exit: main's frame outlives the runtime.
  static MatchingSettings settings;
  jalin::ServiceSpec spec;
  spec.name = "matching";
  spec.summary = "explainable matching, channeling reports and proposals";
  spec.grpc_port = 7102;
  spec.add_settings = [](jalin::Config& config) { settings.Register(config); };
  spec.build = [](jalin::ServiceRuntime& rt)
      -> absl::StatusOr<std::unique_ptr<jalin::ServiceModule>> {
    absl::StatusOr<jalin::regions::RegionTable> table =
        jalin::regions::RegionTable::Load(
            jalin::regions::DefaultRegionsPath(rt.settings().data_dir));
    if (!table.ok()) return jalin::Annotate(table.status(), "JALIN_DATA_DIR");
    RETURN_IF_ERROR(jalin::matching::ProposalStore::Migrate(*rt.db()));
    auto grid = std::make_shared<const jalin::matching::RegionGrid>(
        *std::move(table), settings.distance_scale_km);
    return std::make_unique<jalin::matching::Module>(rt, settings,
                                                     std::move(grid));
  };
  return jalin::RunService(argc, argv, spec);
}
