// Runs the AssignmentPlanner over a campaign's stored panel and writes the
// plan back, inside the caller's transaction. Used when a campaign closes
// (every submission gets its reviewers), when a reviewer joins or leaves
// the pool after that, and when an appeal starts a new review round.
//
// Stateless; thread-safe.

#ifndef SERVICES_CURATION_PANEL_ASSIGNER_H_
#define SERVICES_CURATION_PANEL_ASSIGNER_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "jalin/curation/v1/campaign.pb.h"

namespace jalin::curation {

struct AssignmentSummary {
  // Assignments created and open assignments moved to another reviewer.
  int added = 0;
  int moved = 0;
  // Largest minus smallest load over the pool afterwards.
  int spread = 0;
};

// Gives every submission of `campaign` in review (SUBMITTED ones too when
// `include_submitted`, which then become IN_REVIEW) the reviewers its
// current round lacks, and rebalances open assignments over the pool.
// FAILED_PRECONDITION (with a PreconditionFailure naming the submissions
// short of eligible reviewers) when that is impossible; the caller's
// transaction must then be rolled back.
absl::StatusOr<AssignmentSummary> AssignReviewers(
    storage::Transaction& tx, const jalin::curation::v1::Campaign& campaign,
    bool include_submitted, absl::Time now);

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_PANEL_ASSIGNER_H_
