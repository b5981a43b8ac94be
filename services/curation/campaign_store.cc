#include "services/curation/campaign_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status/status_macros.h"
#include "services/curation/store_util.h"

namespace jalin::curation::store {

using ::jalin::curation::v1::Campaign;
using storage::Param;

std::string CampaignId(const Campaign& campaign) {
  absl::string_view name = campaign.name();
  const size_t slash = name.find('/');
  return std::string(slash == absl::string_view::npos ? name
                                                      : name.substr(slash + 1));
}

namespace {

absl::Status WriteCriteria(storage::Transaction& tx, const Campaign& c,
                           const std::string& id) {
  RETURN_IF_ERROR(tx.Exec("DELETE FROM curation_criteria WHERE campaign_id = ?",
                          {Param(id)}));
  for (int i = 0; i < c.criteria_size(); ++i) {
    const auto& cr = c.criteria(i);
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO curation_criteria (campaign_id, position, "
                "criterion, weight, min_score, max_score) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                {Param(id), Param(i), Param(cr.id()), Param(cr.weight()),
                 Param(cr.min_score()), Param(cr.max_score())}));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Campaign> GetCampaign(storage::Transaction& tx,
                                     absl::string_view id) {
  Campaign c;
  bool found = false;
  RETURN_IF_ERROR(tx.Query("SELECT body FROM curation_campaigns WHERE id = ?",
                           {Param(id)}, [&](const storage::Row& row) {
                             found = true;
                             return ParseBlob(row.Blob(0), &c, "campaign");
                           }));
  if (!found) {
    return absl::NotFoundError(absl::StrCat("campaigns/", id, " not found"));
  }
  return c;
}

absl::StatusOr<bool> CampaignExists(storage::Transaction& tx,
                                    absl::string_view id) {
  ASSIGN_OR_RETURN(
      int64_t n, storage::QueryInt(
                     tx, "SELECT COUNT(*) FROM curation_campaigns WHERE id = ?",
                     {Param(id)}));
  return n > 0;
}

absl::Status InsertCampaign(storage::Transaction& tx, const Campaign& c) {
  const std::string id = CampaignId(c);
  const std::string body = Blob(c);
  RETURN_IF_ERROR(
      tx.Exec("INSERT INTO curation_campaigns (id, region, state, body) "
              "VALUES (?, ?, ?, ?)",
              {Param(id), Param(c.region()), Param(static_cast<int>(c.state())),
               Param::Blob(body)}));
  return WriteCriteria(tx, c, id);
}

absl::Status UpdateCampaign(storage::Transaction& tx, const Campaign& c) {
  const std::string id = CampaignId(c);
  const std::string body = Blob(c);
  RETURN_IF_ERROR(
      tx.Exec("UPDATE curation_campaigns SET region = ?, state = ?, body = ? "
              "WHERE id = ?",
              {Param(c.region()), Param(static_cast<int>(c.state())),
               Param::Blob(body), Param(id)}));
  if (tx.ChangedRows() != 1) {
    return absl::NotFoundError(absl::StrCat(c.name(), " not found"));
  }
  return WriteCriteria(tx, c, id);
}

absl::StatusOr<std::vector<Campaign>> ListCampaigns(storage::Transaction& tx,
                                                    const CampaignQuery& q) {
  std::vector<Campaign> out;
  RETURN_IF_ERROR(tx.Query(
      "SELECT body FROM curation_campaigns "
      "WHERE id > ? AND (? = '' OR region = ?) AND (? = 0 OR state = ?) "
      "ORDER BY id LIMIT ?",
      {Param(q.after_id), Param(q.region), Param(q.region),
       Param(static_cast<int>(q.state)), Param(static_cast<int>(q.state)),
       Param(q.limit)},
      [&](const storage::Row& row) {
        out.emplace_back();
        return ParseBlob(row.Blob(0), &out.back(), "campaign");
      }));
  return out;
}

}  // namespace jalin::curation::store
