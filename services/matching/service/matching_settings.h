// Settings of jalin-matching (flags with JALIN_* environment overrides),
// beyond the ones every service shares.

#ifndef SERVICES_MATCHING_SERVICE_MATCHING_SETTINGS_H_
#define SERVICES_MATCHING_SERVICE_MATCHING_SETTINGS_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "common/config/config.h"
#include "services/matching/scoring/weights.h"

namespace jalin::matching {

struct MatchingSettings {
  std::string registry_address = "127.0.0.1:7101";
  std::string registry_event_group = "matching";
  absl::Duration snapshot_timeout = absl::Minutes(5);
  Weights weights;
  double distance_scale_km = 300;
  absl::Duration proposal_ttl = absl::Hours(24 * 14);
  absl::Duration expiry_sweep_interval = absl::Seconds(30);
  bool auto_propose = false;
  double auto_propose_min_score = 0.85;
  int64_t auto_propose_max = 3;
  int64_t report_matches_per_listing = 3;

  // Registers every setting; `this` must outlive the parse.
  void Register(Config& config);
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SERVICE_MATCHING_SETTINGS_H_
