// What a valid campaign is, and how it moves through its lifecycle:
// DRAFT -> OPEN -> CLOSED -> DECIDED -> PUBLISHED.
//
// Pure functions over protos: no I/O, thread-safe.

#ifndef SERVICES_CURATION_CAMPAIGN_RULES_H_
#define SERVICES_CURATION_CAMPAIGN_RULES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/regions/region_table.h"
#include "common/status/errors.h"
#include "google/protobuf/map.h"
#include "jalin/curation/v1/campaign.pb.h"

namespace jalin::curation {

inline constexpr int kDefaultReviewersPerSubmission = 3;
inline constexpr int kMaxReviewersPerSubmission = 10;
inline constexpr int kMaxCriteria = 20;
inline constexpr int kMaxGradeBands = 10;
inline constexpr int kDefaultMinScore = 1;
inline constexpr int kDefaultMaxScore = 5;
inline constexpr int kDefaultValidityDays = 365;
inline constexpr int kMaxAppealWindowDays = 365;
inline constexpr int kMaxValidityDays = 3650;
// Weights must sum to 100 within this tolerance.
inline constexpr double kWeightTolerance = 1e-6;

// Fills the settings a caller may leave unset: reviewers per submission (3),
// each criterion's scale when both ends are 0 (1-5) and the validity (365
// days).
void ApplyCampaignDefaults(jalin::curation::v1::Campaign& campaign);

// Adds a violation, under `prefix` ("campaign"), for every setting of
// `campaign` that is invalid: display name, region (must be a known province
// or kabupaten/kota), window (end after start), quota, threshold (0-100),
// reviewers per submission, the rubric (ids, labels, weights above 0 that sum
// to 100, scales), grade bands (distinct grades, descending minimums, the
// lowest at or below the threshold so that every pass gets a grade), appeal
// window and validity. Output-only fields are not checked.
void ValidateCampaign(const jalin::curation::v1::Campaign& campaign,
                      const regions::RegionTable& regions, FieldViolations& v,
                      absl::string_view prefix = "campaign");

// Adds a violation of "<prefix>[<criterion>]" for every criterion of the
// rubric without a score, every score outside its criterion's range and
// every score for a criterion the rubric does not have.
void ValidateReviewScores(
    const jalin::curation::v1::Campaign& campaign,
    const google::protobuf::Map<std::string, int32_t>& scores,
    FieldViolations& v, absl::string_view prefix = "review.scores");

// "DRAFT", "OPEN", ...
absl::string_view StateName(jalin::curation::v1::Campaign::State state);

// OK when `campaign` is in `required`; otherwise FAILED_PRECONDITION naming
// the current state, what `action` needs, and an ErrorInfo reason
// "CAMPAIGN_STATE".
absl::Status RequireState(const jalin::curation::v1::Campaign& campaign,
                          jalin::curation::v1::Campaign::State required,
                          absl::string_view action);

// True while `now` lies in [submission_start_time, submission_end_time).
bool InSubmissionWindow(const jalin::curation::v1::Campaign& campaign,
                        absl::Time now);

// When appeals stop being accepted: publish_time + appeal_window_days.
// InfinitePast when the campaign is unpublished or allows no appeals.
absl::Time AppealDeadline(const jalin::curation::v1::Campaign& campaign);

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_CAMPAIGN_RULES_H_
