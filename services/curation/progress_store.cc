#include "services/curation/progress_store.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace jalin::curation::store {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::CampaignProgress;
using ::jalin::curation::v1::Decision;
using ::jalin::curation::v1::Submission;
using storage::Param;

namespace {

void Add(CampaignProgress::Counts& to, const CampaignProgress::Counts& c) {
  to.set_submitted(to.submitted() + c.submitted());
  to.set_withdrawn(to.withdrawn() + c.withdrawn());
  to.set_reviews_done(to.reviews_done() + c.reviews_done());
  to.set_reviews_pending(to.reviews_pending() + c.reviews_pending());
  to.set_fully_reviewed(to.fully_reviewed() + c.fully_reviewed());
  to.set_passed(to.passed() + c.passed());
  to.set_waitlisted(to.waitlisted() + c.waitlisted());
  to.set_failed(to.failed() + c.failed());
  to.set_appealed(to.appealed() + c.appealed());
}

void ClearResultCounts(CampaignProgress::Counts& c) {
  c.set_passed(0);
  c.set_waitlisted(0);
  c.set_failed(0);
}

}  // namespace

void ClearResults(CampaignProgress& progress) {
  ClearResultCounts(*progress.mutable_total());
  for (auto& rc : *progress.mutable_by_region()) {
    ClearResultCounts(*rc.mutable_counts());
  }
}

absl::StatusOr<CampaignProgress> LoadProgress(storage::Transaction& tx,
                                              absl::string_view campaign_id) {
  std::map<std::string, CampaignProgress::Counts> by_region;
  RETURN_IF_ERROR(tx.Query(
      "SELECT region, state, result, COUNT(*) FROM curation_submissions "
      "WHERE campaign_id = ? GROUP BY region, state, result",
      {Param(campaign_id)}, [&](const storage::Row& row) {
        CampaignProgress::Counts& c = by_region[std::string(row.Text(0))];
        const auto state = static_cast<Submission::State>(row.Int(1));
        const auto result = static_cast<Decision::Result>(row.Int(2));
        const int64_t n = row.Int(3);
        if (state == Submission::WITHDRAWN) {
          c.set_withdrawn(c.withdrawn() + n);
          return absl::OkStatus();
        }
        c.set_submitted(c.submitted() + n);
        if (state == Submission::REVIEWED || state == Submission::DECIDED) {
          c.set_fully_reviewed(c.fully_reviewed() + n);
        }
        if (state == Submission::APPEALED) c.set_appealed(c.appealed() + n);
        if (state == Submission::DECIDED) {
          if (result == Decision::PASSED) c.set_passed(c.passed() + n);
          if (result == Decision::WAITLISTED) {
            c.set_waitlisted(c.waitlisted() + n);
          }
          if (result == Decision::FAILED) c.set_failed(c.failed() + n);
        }
        return absl::OkStatus();
      }));
  // Appealed submissions whose new round has every review in.
  RETURN_IF_ERROR(tx.Query(
      "SELECT s.region, COUNT(*) FROM curation_submissions s "
      "WHERE s.campaign_id = ? AND s.state = ? AND NOT EXISTS ("
      "  SELECT 1 FROM curation_assignments a WHERE "
      "  a.campaign_id = s.campaign_id AND a.submission_id = s.id AND "
      "  a.review_round = s.review_round AND a.state = ?) "
      "GROUP BY s.region",
      {Param(campaign_id), Param(static_cast<int>(Submission::APPEALED)),
       Param(static_cast<int>(Assignment::OPEN))},
      [&](const storage::Row& row) {
        CampaignProgress::Counts& c = by_region[std::string(row.Text(0))];
        c.set_fully_reviewed(c.fully_reviewed() + row.Int(1));
        return absl::OkStatus();
      }));
  RETURN_IF_ERROR(tx.Query(
      "SELECT s.region, a.state, COUNT(*) FROM curation_assignments a "
      "JOIN curation_submissions s ON s.campaign_id = a.campaign_id AND "
      "s.id = a.submission_id WHERE a.campaign_id = ? AND a.state IN (?, ?) "
      "GROUP BY s.region, a.state",
      {Param(campaign_id), Param(static_cast<int>(Assignment::OPEN)),
       Param(static_cast<int>(Assignment::REVIEWED))},
      [&](const storage::Row& row) {
        CampaignProgress::Counts& c = by_region[std::string(row.Text(0))];
        if (row.Int(1) == Assignment::OPEN) {
          c.set_reviews_pending(c.reviews_pending() + row.Int(2));
        } else {
          c.set_reviews_done(c.reviews_done() + row.Int(2));
        }
        return absl::OkStatus();
      }));
  CampaignProgress out;
  out.set_campaign(absl::StrCat("campaigns/", campaign_id));
  for (const auto& [region, counts] : by_region) {
    auto* rc = out.add_by_region();
    rc->set_region(region);
    *rc->mutable_counts() = counts;
    Add(*out.mutable_total(), counts);
  }
  return out;
}

}  // namespace jalin::curation::store
