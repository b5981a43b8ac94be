#include "services/matching/service/matching_settings.h"

#include "absl/strings/str_cat.h"

namespace jalin::matching {

void MatchingSettings::Register(Config& config) {
  config.AddString("registry_address", &registry_address,
                   "gRPC address of the registry (snapshot source)");
  config.AddString("registry_event_group", &registry_event_group,
                   "Consumer group on jalin.registry.events; each replica "
                   "holds a whole index and needs its own");
  config.AddDuration("snapshot_timeout", &snapshot_timeout,
                     "Deadline of one registry snapshot export");
  const char* help[kComponentCount] = {
      "Weight of category closeness in the match score",
      "Weight of the distance between the two regions",
      "Weight of the distance saved against a need's current source",
      "Weight of capacity coverage",
      "Weight of the supplier's reliability",
      "Weight of policy: across clusters and regions, agreements",
      "Weight of feedback from past proposals",
  };
  for (int c = 0; c < kComponentCount; ++c) {
    config.AddDouble(
        absl::StrCat("weight_", ComponentName(static_cast<Component>(c))),
        &weights.w[c], help[c], 0, 100);
  }
  config.AddCheck([this] {
    double sum = 0;
    for (double w : weights.w) sum += w;
    return sum > 0 ? std::string()
                   : std::string("JALIN_WEIGHT_*: at least one weight must "
                                 "be positive");
  });
  config.AddDouble("distance_scale_km", &distance_scale_km,
                   "Distance at which the distance component falls to 1/e",
                   1, 100000);
  config.AddDuration("proposal_ttl", &proposal_ttl,
                     "Time an unanswered proposal stays open");
  config.AddDuration("expiry_sweep_interval", &expiry_sweep_interval,
                     "How often expired proposals and listings are swept");
  config.AddBool("auto_propose", &auto_propose,
                 "Propose high-scoring matches automatically when a listing "
                 "opens");
  config.AddDouble("auto_propose_min_score", &auto_propose_min_score,
                   "Lowest score the automatic rule proposes", 0, 100);
  config.AddInt("auto_propose_max", &auto_propose_max,
                "Counterparts the automatic rule considers per listing", 1,
                50);
  config.AddInt("report_matches_per_listing", &report_matches_per_listing,
                "Counterparts a channeling report looks up per listing", 1,
                50);
  config.AddCheck([this] {
    if (proposal_ttl <= absl::ZeroDuration()) {
      return std::string("JALIN_PROPOSAL_TTL: must be positive");
    }
    if (expiry_sweep_interval <= absl::ZeroDuration()) {
      return std::string("JALIN_EXPIRY_SWEEP_INTERVAL: must be positive");
    }
    if (snapshot_timeout <= absl::ZeroDuration()) {
      return std::string("JALIN_SNAPSHOT_TIMEOUT: must be positive");
    }
    return std::string();
  });
}

}  // namespace jalin::matching
