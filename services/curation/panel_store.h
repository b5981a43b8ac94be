// The review panel in the curation store: reviewers, their assignments and
// their reviews. Functions run inside a transaction the caller holds; they
// keep no state and are thread-safe.

#ifndef SERVICES_CURATION_PANEL_STORE_H_
#define SERVICES_CURATION_PANEL_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "jalin/curation/v1/review.pb.h"

namespace jalin::curation::store {

// --- reviewers ---------------------------------------------------------

// "campaigns/{c}/reviewers/{r}".
std::string ReviewerName(absl::string_view campaign_id,
                         absl::string_view reviewer_id);

absl::Status InsertReviewer(storage::Transaction& tx,
                            absl::string_view campaign_id,
                            absl::string_view reviewer_id,
                            const jalin::curation::v1::Reviewer& reviewer);

// A reviewer still in the pool; NOT_FOUND otherwise.
absl::StatusOr<jalin::curation::v1::Reviewer> GetActiveReviewer(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view reviewer_id);

// The id of the pool member whose principal subject is `subject`, if any.
absl::StatusOr<std::optional<std::string>> FindReviewerBySubject(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view subject);

// The most recent removed pool member for `subject`, if any.
absl::StatusOr<std::optional<std::string>> FindRemovedReviewerBySubject(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view subject);

// Puts a removed reviewer back in the pool with `reviewer`'s details (same
// id, so its assignments and reviews stay its own).
absl::Status ReactivateReviewer(storage::Transaction& tx,
                                absl::string_view campaign_id,
                                absl::string_view reviewer_id,
                                const jalin::curation::v1::Reviewer& reviewer);

absl::Status MarkReviewerRemoved(storage::Transaction& tx,
                                 absl::string_view campaign_id,
                                 absl::string_view reviewer_id);

// The pool (reviewers not removed), in id order, from `after_id` on, at
// most `limit` (0: all). Loads are not filled in.
absl::StatusOr<
    std::vector<std::pair<std::string, jalin::curation::v1::Reviewer>>>
ListActiveReviewers(storage::Transaction& tx, absl::string_view campaign_id,
                    absl::string_view after_id = "", int limit = 0);

struct Load {
  int32_t open = 0;
  int32_t reviewed = 0;
};
// Open and reviewed assignments per reviewer id.
absl::StatusOr<absl::flat_hash_map<std::string, Load>> ReviewerLoads(
    storage::Transaction& tx, absl::string_view campaign_id);

// --- assignments -------------------------------------------------------

struct AssignmentRow {
  std::string submission_id;
  std::string reviewer_id;
  int32_t review_round = 0;
  jalin::curation::v1::Assignment::State state;
  absl::Time create_time;
};

jalin::curation::v1::Assignment ToAssignment(absl::string_view campaign_id,
                                             const AssignmentRow& row);

// Inserts assignments, a hundred rows per statement (closing a campaign of
// 100,000 submissions writes 300,000). A row already there for the same
// (submission, reviewer), which the planner only reuses when it is
// REASSIGNED, is overwritten.
absl::Status InsertAssignments(storage::Transaction& tx,
                               absl::string_view campaign_id,
                               const std::vector<AssignmentRow>& rows);
absl::Status SetAssignmentState(storage::Transaction& tx,
                                absl::string_view campaign_id,
                                absl::string_view submission_id,
                                absl::string_view reviewer_id,
                                jalin::curation::v1::Assignment::State state);
absl::Status DeleteAssignment(storage::Transaction& tx,
                              absl::string_view campaign_id,
                              absl::string_view submission_id,
                              absl::string_view reviewer_id);

absl::StatusOr<std::optional<AssignmentRow>> GetAssignment(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view submission_id, absl::string_view reviewer_id);

// Every assignment of one submission (all rounds and states).
absl::StatusOr<std::vector<AssignmentRow>> AssignmentsOfSubmission(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view submission_id);

// Every assignment of the campaign, ordered by submission then reviewer.
absl::Status ForEachAssignment(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::FunctionRef<absl::Status(const AssignmentRow&)> fn);

struct AssignmentQuery {
  std::string campaign_id = {};
  // Empty for every reviewer.
  std::string reviewer_id = {};
  jalin::curation::v1::Assignment::State state =
      jalin::curation::v1::Assignment::STATE_UNSPECIFIED;
  // Keyset: (submission_id, reviewer_id) after this pair.
  std::string after_submission = {};
  std::string after_reviewer = {};
  int limit = 50;
};
absl::StatusOr<std::vector<AssignmentRow>> ListAssignments(
    storage::Transaction& tx, const AssignmentQuery& query);

// --- reviews -----------------------------------------------------------

// "campaigns/{c}/submissions/{s}/reviews/{r}".
std::string ReviewName(absl::string_view campaign_id,
                       absl::string_view submission_id,
                       absl::string_view reviewer_id);

// Creates or replaces the review of (submission, reviewer) and its scores.
absl::Status UpsertReview(storage::Transaction& tx,
                          absl::string_view campaign_id,
                          absl::string_view submission_id,
                          absl::string_view reviewer_id,
                          const jalin::curation::v1::Review& review);

// Reviews of a submission in reviewer order; only `reviewer_id`'s if given.
absl::StatusOr<std::vector<jalin::curation::v1::Review>> ListReviews(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view submission_id, absl::string_view reviewer_id,
    absl::string_view after_reviewer, int limit);

// Sum and count of the scores of round `review_round`, per submission and
// criterion, in submission order.
absl::Status ForEachScoreSum(
    storage::Transaction& tx, absl::string_view campaign_id,
    int32_t review_round,
    absl::FunctionRef<absl::Status(absl::string_view submission_id,
                                   absl::string_view criterion, int64_t sum,
                                   int64_t count)>
        fn);

// The same for one submission.
absl::Status ForEachScoreSumOf(
    storage::Transaction& tx, absl::string_view campaign_id,
    absl::string_view submission_id, int32_t review_round,
    absl::FunctionRef<absl::Status(absl::string_view criterion, int64_t sum,
                                   int64_t count)>
        fn);

}  // namespace jalin::curation::store

#endif  // SERVICES_CURATION_PANEL_STORE_H_
