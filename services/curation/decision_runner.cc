#include "services/curation/decision_runner.h"

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/status/status_macros.h"
#include "services/curation/campaign_store.h"
#include "services/curation/curation_errors.h"
#include "services/curation/decision_engine.h"
#include "services/curation/panel_store.h"
#include "services/curation/submission_store.h"

namespace jalin::curation {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::Decision;
using ::jalin::curation::v1::Submission;

namespace {

ScoreSums EmptySums(const DecisionEngine& engine) {
  ScoreSums sums;
  sums.sum.assign(engine.criteria_count(), 0);
  sums.count.assign(engine.criteria_count(), 0);
  return sums;
}

absl::Status AddSum(const DecisionEngine& engine, absl::string_view criterion,
                    int64_t sum, int64_t count, ScoreSums& sums) {
  const int c = engine.CriterionIndex(criterion);
  if (c < 0) {
    return absl::DataLossError(
        absl::StrCat("stored score for unknown criterion ", criterion));
  }
  sums.sum[c] += sum;
  sums.count[c] += static_cast<int32_t>(count);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> DecideSubmissions(storage::Transaction& tx,
                                      const Campaign& campaign,
                                      absl::Time now) {
  const std::string cid = store::CampaignId(campaign);
  const DecisionEngine engine(campaign);

  std::vector<store::SubmissionBrief> briefs;
  int64_t awaiting = 0;
  RETURN_IF_ERROR(store::ForEachSubmissionBrief(
      tx, cid, [&](const store::SubmissionBrief& b) {
        if (b.state == Submission::WITHDRAWN) return absl::OkStatus();
        if (b.state != Submission::REVIEWED) ++awaiting;
        briefs.push_back(b);
        return absl::OkStatus();
      }));
  if (awaiting > 0) {
    const std::string description = absl::StrCat(
        awaiting, " of ", briefs.size(), " submissions still await reviews");
    return PreconditionFailed(absl::StrCat(campaign.name(), ": ", description),
                              "REVIEWS_COMPLETE", campaign.name(), description,
                              "REVIEWS_PENDING",
                              {{"awaiting", absl::StrCat(awaiting)}});
  }

  absl::flat_hash_map<std::string, int64_t> index;
  index.reserve(briefs.size());
  for (size_t i = 0; i < briefs.size(); ++i) index[briefs[i].id] = i;
  std::vector<ScoreSums> sums(briefs.size(), EmptySums(engine));
  std::string last_id;
  int64_t last = -1;
  RETURN_IF_ERROR(store::ForEachScoreSum(
      tx, cid, /*review_round=*/0,
      [&](absl::string_view id, absl::string_view criterion, int64_t sum,
          int64_t count) {
        if (id != last_id) {
          last_id = std::string(id);
          auto it = index.find(last_id);
          last = it == index.end() ? -1 : it->second;
        }
        if (last < 0) return absl::OkStatus();
        return AddSum(engine, criterion, sum, count, sums[last]);
      }));

  std::vector<ScoredSubmission> scored;
  scored.reserve(briefs.size());
  for (size_t i = 0; i < briefs.size(); ++i) {
    absl::StatusOr<ScoredSubmission> s =
        engine.Score(static_cast<int64_t>(i), briefs[i].enterprise,
                     briefs[i].product_name, sums[i]);
    if (!s.ok()) {
      return absl::DataLossError(
          absl::StrCat(store::SubmissionName(cid, briefs[i].id), ": ",
                       s.status().message()));
    }
    scored.push_back(*std::move(s));
  }
  std::vector<Decision> decisions =
      engine.DecideAll(scored, /*review_round=*/0, now);
  for (size_t i = 0; i < scored.size(); ++i) {
    RETURN_IF_ERROR(store::SetDecision(tx, cid, briefs[scored[i].handle].id,
                                       decisions[i], now));
  }
  return static_cast<int>(scored.size());
}

absl::StatusOr<std::vector<Submission>> DecideAppeals(storage::Transaction& tx,
                                                      const Campaign& campaign,
                                                      absl::Time now) {
  const std::string cid = store::CampaignId(campaign);
  const DecisionEngine engine(campaign);

  std::vector<ScoredSubmission> standing;
  std::vector<bool> passed;
  RETURN_IF_ERROR(store::ForEachDecision(
      tx, cid, [&](const store::SubmissionBrief& b, const Decision& d) {
        standing.push_back(
            engine.FromDecision(static_cast<int64_t>(standing.size()),
                                b.enterprise, b.product_name, d));
        passed.push_back(d.result() == Decision::PASSED);
        return absl::OkStatus();
      }));
  std::vector<store::SubmissionBrief> appealed;
  RETURN_IF_ERROR(store::ForEachSubmissionBrief(
      tx, cid, [&](const store::SubmissionBrief& b) {
        if (b.state == Submission::APPEALED) appealed.push_back(b);
        return absl::OkStatus();
      }));

  // Every appeal is judged against the decisions that stood before this
  // call, so the order appeals are decided in does not matter.
  std::vector<Submission> decided;
  for (const auto& b : appealed) {
    ASSIGN_OR_RETURN(auto rows, store::AssignmentsOfSubmission(tx, cid, b.id));
    int open = 0, reviewed = 0;
    for (const auto& a : rows) {
      if (a.review_round != b.review_round) continue;
      if (a.state == Assignment::OPEN) ++open;
      if (a.state == Assignment::REVIEWED) ++reviewed;
    }
    if (open > 0 || reviewed == 0) continue;
    ScoreSums sums = EmptySums(engine);
    RETURN_IF_ERROR(store::ForEachScoreSumOf(
        tx, cid, b.id, b.review_round,
        [&](absl::string_view criterion, int64_t sum, int64_t count) {
          return AddSum(engine, criterion, sum, count, sums);
        }));
    ASSIGN_OR_RETURN(ScoredSubmission s,
                     engine.Score(0, b.enterprise, b.product_name, sums));
    ASSIGN_OR_RETURN(Submission sub, store::GetSubmission(tx, cid, b.id));
    *sub.mutable_decision() =
        engine.DecideAppeal(s, standing, passed, b.review_round, now);
    sub.set_state(Submission::DECIDED);
    ToProtoTime(now, sub.mutable_update_time());
    RETURN_IF_ERROR(store::UpdateSubmission(tx, sub));
    decided.push_back(std::move(sub));
  }
  if (decided.empty()) {
    const std::string description =
        appealed.empty() ? "no submission is under appeal"
                         : absl::StrCat("none of the ", appealed.size(),
                                        " appealed submissions has all its "
                                        "new reviews in");
    return PreconditionFailed(absl::StrCat(campaign.name(), ": ", description),
                              "APPEALS_READY", campaign.name(), description,
                              "NO_APPEAL_READY");
  }
  return decided;
}

}  // namespace jalin::curation
