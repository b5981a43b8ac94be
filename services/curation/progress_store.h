// Progress statistics of a campaign for dashboards, aggregated in SQL.
// Runs inside the caller's transaction; stateless and thread-safe.

#ifndef SERVICES_CURATION_PROGRESS_STORE_H_
#define SERVICES_CURATION_PROGRESS_STORE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/database.h"
#include "jalin/curation/v1/curation_service.pb.h"

namespace jalin::curation::store {

// Totals and per applicant region (in region order) of the campaign.
absl::StatusOr<jalin::curation::v1::CampaignProgress> LoadProgress(
    storage::Transaction& tx, absl::string_view campaign_id);

// Zeroes the result counts (passed, waitlisted, failed) everywhere in
// `progress`: what callers see who may not see decisions yet.
void ClearResults(jalin::curation::v1::CampaignProgress& progress);

}  // namespace jalin::curation::store

#endif  // SERVICES_CURATION_PROGRESS_STORE_H_
