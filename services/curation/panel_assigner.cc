#include "services/curation/panel_assigner.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/auth/principal.h"
#include "common/log/log.h"
#include "common/status/status_macros.h"
#include "services/curation/assignment_planner.h"
#include "services/curation/campaign_store.h"
#include "services/curation/curation_errors.h"
#include "services/curation/name_pool.h"
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

  // The submissions in review (and, when closing, those just submitted),
  // in id order; applicants' (region, clusters) become shared profiles.
  std::vector<AssignmentPlanner::Profile> profiles;
  absl::flat_hash_map<std::string, int> profile_index;
  std::vector<AssignmentPlanner::Submission> subs;
  std::vector<int32_t> rounds;
  NamePool ids;
  RETURN_IF_ERROR(store::ForEachReviewTarget(
      tx, cid,
      [&](absl::string_view id, absl::string_view region,
          absl::string_view clusters, Submission::State state, int32_t round) {
        if (!(state == Submission::IN_REVIEW || state == Submission::APPEALED ||
              (state == Submission::SUBMITTED && include_submitted))) {
          return absl::OkStatus();
        }
        auto [it, inserted] =
            profile_index.try_emplace(absl::StrCat(region, "|", clusters),
                                      static_cast<int>(profiles.size()));
        if (inserted) {
          AssignmentPlanner::Profile p;
          p.region = auth::RegionCode(region);
          if (!clusters.empty()) p.clusters = absl::StrSplit(clusters, ',');
          profiles.push_back(std::move(p));
        }
        subs.push_back({.profile = it->second, .wanted = wanted});
        rounds.push_back(round);
        ids.Add(id);
        return absl::OkStatus();
      }));

  // Assignments come in submission id order too: walk both together.
  size_t at = 0;
  RETURN_IF_ERROR(
      store::ForEachAssignment(tx, cid, [&](const store::AssignmentRow& a) {
        if (a.state == Assignment::REASSIGNED) return absl::OkStatus();
        while (at < ids.size() && ids.Get(at) < a.submission_id) ++at;
        const bool planned = at < ids.size() && ids.Get(at) == a.submission_id;
        auto r = reviewer_index.find(a.reviewer_id);
        if (r == reviewer_index.end()) {
          // A reviewer who left the pool after reviewing: the review still
          // counts, so the submission needs one reviewer fewer.
          if (planned && a.state == Assignment::REVIEWED &&
              a.review_round == rounds[at]) {
            --subs[at].wanted;
          }
          return absl::OkStatus();
        }
        if (planned && a.review_round == rounds[at]) {
          (a.state == Assignment::OPEN ? subs[at].open : subs[at].reviewed)
              .push_back(r->second);
          return absl::OkStatus();
        }
        if (planned) subs[at].blocked.push_back(r->second);
        ++reviewers[r->second].fixed_load;
        return absl::OkStatus();
      }));

  AssignmentPlanner planner(std::move(reviewers), profiles, std::move(subs));
  AssignmentPlanner::Plan plan = planner.Run();
  if (!plan.shortfalls.empty()) {
    std::vector<std::string> examples;
    for (size_t i = 0; i < plan.shortfalls.size() && i < 5; ++i) {
      const auto& f = plan.shortfalls[i];
      examples.push_back(absl::StrCat(
          store::SubmissionName(cid, ids.Get(f.submission)), " has ",
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
        store::DeleteAssignment(tx, cid, ids.Get(s), reviewer_ids[r]));
  }
  std::vector<store::AssignmentRow> added;
  added.reserve(plan.added.size());
  for (const auto& [s, r] : plan.added) {
    added.push_back({.submission_id = std::string(ids.Get(s)),
                     .reviewer_id = reviewer_ids[r],
                     .review_round = rounds[s],
                     .state = Assignment::OPEN,
                     .create_time = now});
  }
  RETURN_IF_ERROR(store::InsertAssignments(tx, cid, added));
  // Every submission just submitted got its reviewers (or we failed above).
  if (include_submitted) {
    RETURN_IF_ERROR(store::SetStateOfAll(tx, cid, Submission::SUBMITTED,
                                         Submission::IN_REVIEW, now));
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
