// The read side of the API on the live index: FindMatches, the channeling
// report and the index status, with request validation and scope checks.
// No gRPC here (see matching_service.h).

#ifndef SERVICES_MATCHING_SERVICE_MATCH_QUERIES_H_
#define SERVICES_MATCHING_SERVICE_MATCH_QUERIES_H_

#include "absl/status/statusor.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/concurrency/side_thread.h"
#include "jalin/matching/v1/matching_service.pb.h"
#include "services/matching/report/channeling_report.h"
#include "services/matching/scoring/signals.h"
#include "services/matching/scoring/weights.h"
#include "services/matching/sync/live_index.h"

namespace jalin::matching {

struct QueryLimits {
  int default_top_k = 20;
  int max_top_k = 200;
  int default_max_per_pair = 10;
  int max_max_per_pair = 100;
  // Counterparts looked up per listing for a channeling report.
  int report_matches_per_listing = 3;
};

// Thread-safe. Everything passed in must outlive it.
class MatchQueries {
 public:
  MatchQueries(const LiveIndex* index, const Signals* signals,
               const Weights* weights, const Clock* clock, QueryLimits limits);

  // Any authenticated caller: listings are what matching is for.
  absl::StatusOr<matching::v1::FindMatchesResponse> FindMatches(
      const auth::Principal& who, const matching::v1::FindMatchesRequest& r);
  // Global callers, or callers whose regions cover region_a or region_b.
  // The report comes encoded, as the service sends it.
  absl::StatusOr<EncodedReport> Report(
      const auth::Principal& who,
      const matching::v1::GenerateChannelingReportRequest& r);
  absl::StatusOr<matching::v1::IndexStatus> Status() const;

 private:
  const LiveIndex* const index_;
  const Signals* const signals_;
  const Weights* const weights_;
  const Clock* const clock_;
  const QueryLimits limits_;
  // Runs half of each channeling report (they share it, one at a time).
  SideThread report_thread_;
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SERVICE_MATCH_QUERIES_H_
