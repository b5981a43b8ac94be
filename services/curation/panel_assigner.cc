#include "services/curation/panel_assigner.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/auth/principal.h"
#include "common/log/log.h"
#include "common/status/status_macros.h"
#include "services/curation/assignment_planner.h"
#include "services/curation/campaign_store.h"
#include "services/curation/curation_errors.h"
#include "services/curation/panel_store.h"
#include "services/curation/submission_store.h"

namespace jalin::curation {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::Submission;

absl::StatusOr<AssignmentSummary> AssignReviewers(storage::Transaction& tx,
                                                  const Campaign& campaign,
                                                  bool include_submitted,
                                                  absl::Time now) {
  const std::string cid = store::CampaignId(campaign);
  const int wanted = campaign.reviewers_per_submission();

  ASSIGN_OR_RETURN(auto pool, store::ListActiveReviewers(tx, cid));
  std::vector<AssignmentPlanner::Reviewer> reviewers;
  std::vector<std::string> reviewer_ids;
  absl::flat_hash_map<std::string, int> reviewer_index;
  for (auto& [id, r] : pool) {
    AssignmentPlanner::Reviewer pr;
    for (const auto& region : r.regions()) {
      pr.regions.push_back(auth::RegionCode(region));
    }
    pr.clusters.assign(r.clusters().begin(), r.clusters().end());
    reviewer_index[id] = static_cast<int>(reviewers.size());
    reviewers.push_back(std::move(pr));
    reviewer_ids.push_back(id);
  }

  std::vector<AssignmentPlanner::Submission> subs;
  std::vector<std::string> sub_ids;
  std::vector<bool> was_submitted;
  std::vector<int32_t> rounds;
  absl::flat_hash_map<std::string, int> sub_index;
  RETURN_IF_ERROR(store::ForEachSubmissionBrief(
      tx, cid, [&](const store::SubmissionBrief& b) {
        const bool submitted = b.state == Submission::SUBMITTED;
        if (!(b.state == Submission::IN_REVIEW ||
              b.state == Submission::APPEALED ||
              (submitted && include_submitted))) {
          return absl::OkStatus();
        }
        AssignmentPlanner::Submission ps;
        ps.region = auth::RegionCode(b.region);
        ps.clusters = b.clusters;
        ps.wanted = wanted;
        sub_index[b.id] = static_cast<int>(subs.size());
        subs.push_back(std::move(ps));
        sub_ids.push_back(b.id);
        was_submitted.push_back(submitted);
        rounds.push_back(b.review_round);
        return absl::OkStatus();
      }));

  RETURN_IF_ERROR(
      store::ForEachAssignment(tx, cid, [&](const store::AssignmentRow& a) {
        if (a.state == Assignment::REASSIGNED) return absl::OkStatus();
        auto s = sub_index.find(a.submission_id);
        auto r = reviewer_index.find(a.reviewer_id);
        if (r == reviewer_index.end()) {
          // A reviewer who left the pool after reviewing: the review still
          // counts, so the submission needs one reviewer fewer.
          if (s != sub_index.end() && a.state == Assignment::REVIEWED &&
              a.review_round == rounds[s->second]) {
            --subs[s->second].wanted;
          }
          return absl::OkStatus();
        }
        if (s != sub_index.end() && a.review_round == rounds[s->second]) {
          auto& ps = subs[s->second];
          (a.state == Assignment::OPEN ? ps.open : ps.reviewed)
              .push_back(r->second);
          return absl::OkStatus();
        }
        if (s != sub_index.end()) subs[s->second].blocked.push_back(r->second);
        ++reviewers[r->second].fixed_load;
        return absl::OkStatus();
      }));

  AssignmentPlanner planner(std::move(reviewers), std::move(subs));
  AssignmentPlanner::Plan plan = planner.Run();
  if (!plan.shortfalls.empty()) {
    std::vector<std::string> examples;
    for (size_t i = 0; i < plan.shortfalls.size() && i < 5; ++i) {
      const auto& f = plan.shortfalls[i];
      examples.push_back(absl::StrCat(
          store::SubmissionName(cid, sub_ids[f.submission]), " has ",
          f.eligible, " eligible of ", reviewer_ids.size()));
    }
    const std::string description = absl::StrCat(
        plan.shortfalls.size(), " submission(s) cannot get ", wanted,
        " reviewers from outside their region and clusters who have not "
        "reviewed them before (",
        absl::StrJoin(examples, "; "),
        plan.shortfalls.size() > examples.size() ? "; ..." : "",
        "); add reviewers from other regions and clusters");
    return PreconditionFailed(
        absl::StrCat(campaign.name(), ": ", description), "REVIEWER_POOL",
        campaign.name(), description, "NOT_ENOUGH_REVIEWERS",
        {{"campaign", campaign.name()},
         {"short_submissions", absl::StrCat(plan.shortfalls.size())}});
  }

  for (const auto& [s, r] : plan.moved_away) {
    RETURN_IF_ERROR(
        store::DeleteAssignment(tx, cid, sub_ids[s], reviewer_ids[r]));
  }
  for (const auto& [s, r] : plan.added) {
    RETURN_IF_ERROR(store::InsertAssignment(tx, cid,
                                            {.submission_id = sub_ids[s],
                                             .reviewer_id = reviewer_ids[r],
                                             .review_round = rounds[s],
                                             .state = Assignment::OPEN,
                                             .create_time = now}));
  }
  for (size_t s = 0; s < sub_ids.size(); ++s) {
    if (was_submitted[s]) {
      RETURN_IF_ERROR(store::SetSubmissionState(tx, cid, sub_ids[s],
                                                Submission::IN_REVIEW, now));
    }
  }
  if (plan.spread > 1) {
    log::Warn("reviewer loads differ by more than one",
              {{"campaign", campaign.name()}, {"spread", plan.spread}});
  }
  return AssignmentSummary{.added = static_cast<int>(plan.added.size()),
                           .moved = static_cast<int>(plan.moved_away.size()),
                           .spread = plan.spread};
}

}  // namespace jalin::curation
