// Runs the DecisionEngine over a campaign's stored reviews and records the
// decisions, inside the caller's transaction.
//
// Stateless; thread-safe.

#ifndef SERVICES_CURATION_DECISION_RUNNER_H_
#define SERVICES_CURATION_DECISION_RUNNER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "jalin/curation/v1/campaign.pb.h"
#include "jalin/curation/v1/submission.pb.h"

namespace jalin::curation {

// Decides every submission of a CLOSED campaign (withdrawn ones excepted)
// and records each decision; returns how many were decided.
// FAILED_PRECONDITION, naming how many, when some still await reviews.
absl::StatusOr<int> DecideSubmissions(
    storage::Transaction& tx, const jalin::curation::v1::Campaign& campaign,
    absl::Time now);

// Decides the appealed submissions of a PUBLISHED campaign whose new round
// is fully reviewed, against the decisions that stand, and records them.
// Returns the submissions decided (for their events). FAILED_PRECONDITION
// when no appeal is ready.
absl::StatusOr<std::vector<jalin::curation::v1::Submission>> DecideAppeals(
    storage::Transaction& tx, const jalin::curation::v1::Campaign& campaign,
    absl::Time now);

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_DECISION_RUNNER_H_
