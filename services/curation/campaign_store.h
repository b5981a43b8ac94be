// Campaigns in the curation store. Functions run inside a transaction the
// caller holds; they keep no state and are thread-safe.

#ifndef SERVICES_CURATION_CAMPAIGN_STORE_H_
#define SERVICES_CURATION_CAMPAIGN_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/database.h"
#include "jalin/curation/v1/campaign.pb.h"

namespace jalin::curation::store {

// "abc" of "campaigns/abc".
std::string CampaignId(const jalin::curation::v1::Campaign& campaign);

// NOT_FOUND naming the campaign when there is none with `id`.
absl::StatusOr<jalin::curation::v1::Campaign> GetCampaign(
    storage::Transaction& tx, absl::string_view id);

absl::StatusOr<bool> CampaignExists(storage::Transaction& tx,
                                    absl::string_view id);

// Inserts a new campaign (its name must be set) with its rubric rows.
absl::Status InsertCampaign(storage::Transaction& tx,
                            const jalin::curation::v1::Campaign& campaign);

// Replaces the stored campaign and its rubric rows.
absl::Status UpdateCampaign(storage::Transaction& tx,
                            const jalin::curation::v1::Campaign& campaign);

struct CampaignQuery {
  // Exact organising region ("regions/33.13"); empty for any.
  std::string region = {};
  jalin::curation::v1::Campaign::State state =
      jalin::curation::v1::Campaign::STATE_UNSPECIFIED;
  // Ids after this one (keyset pagination).
  std::string after_id = {};
  int limit = 50;
};

// Campaigns in id order.
absl::StatusOr<std::vector<jalin::curation::v1::Campaign>> ListCampaigns(
    storage::Transaction& tx, const CampaignQuery& query);

}  // namespace jalin::curation::store

#endif  // SERVICES_CURATION_CAMPAIGN_STORE_H_
