#include "services/curation/decision_runner.h"

#include <algorithm>
#include <deque>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/status/status_macros.h"
#include "services/curation/campaign_store.h"
#include "services/curation/curation_errors.h"
#include "services/curation/decision_engine.h"
#include "services/curation/name_pool.h"
#include "services/curation/panel_store.h"
#include "services/curation/submission_store.h"

namespace jalin::curation {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::Decision;
using ::jalin::curation::v1::Submission;

namespace {

absl::Status AddSum(const DecisionEngine& engine, absl::string_view criterion,
                    int64_t sum, int64_t count, int64_t* sums,
                    int64_t* counts) {
  const int c = engine.CriterionIndex(criterion);
  if (c < 0) {
    return absl::DataLossError(
        absl::StrCat("stored score for unknown criterion ", criterion));
  }
  sums[c] += sum;
  counts[c] += count;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> DecideSubmissions(storage::Transaction& tx,
                                      const Campaign& campaign,
                                      absl::Time now) {
  const std::string cid = store::CampaignId(campaign);
  const DecisionEngine engine(campaign);
  const size_t k = static_cast<size_t>(engine.criteria_count());

  // Three names per submission: id, enterprise, product.
  NamePool names;
  int64_t awaiting = 0, total = 0;
  RETURN_IF_ERROR(store::ForEachSubmissionKey(
      tx, cid,
      [&](absl::string_view id, absl::string_view enterprise,
          absl::string_view product, Submission::State state) {
        if (state == Submission::WITHDRAWN) return absl::OkStatus();
        ++total;
        if (state != Submission::REVIEWED) ++awaiting;
        names.Add(id);
        names.Add(enterprise);
        names.Add(product);
        return absl::OkStatus();
      }));
  if (awaiting > 0) {
    const std::string description = absl::StrCat(
        awaiting, " of ", total, " submissions still await reviews");
    return PreconditionFailed(absl::StrCat(campaign.name(), ": ", description),
                              "REVIEWS_COMPLETE", campaign.name(), description,
                              "REVIEWS_PENDING",
                              {{"awaiting", absl::StrCat(awaiting)}});
  }

  // Both lists come in id order: walk them side by side.
  const size_t n = names.size() / 3;
  auto id_of = [&](size_t i) { return names.Get(3 * i); };
  std::vector<int64_t> sums(n * k, 0), counts(n * k, 0);
  size_t at = 0;
  RETURN_IF_ERROR(store::ForEachScoreSum(
      tx, cid, /*review_round=*/0,
      [&](absl::string_view id, absl::string_view criterion, int64_t sum,
          int64_t count) {
        while (at < n && id_of(at) < id) ++at;
        if (at == n || id_of(at) != id) return absl::OkStatus();
        return AddSum(engine, criterion, sum, count, &sums[at * k],
                      &counts[at * k]);
      }));

  std::vector<ScoredSubmission> scored;
  scored.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    absl::StatusOr<ScoredSubmission> s =
        engine.Score(static_cast<int64_t>(i), names.Get(3 * i + 1),
                     names.Get(3 * i + 2), absl::MakeConstSpan(&sums[i * k], k),
                     absl::MakeConstSpan(&counts[i * k], k));
    if (!s.ok()) {
      return absl::DataLossError(absl::StrCat(
          store::SubmissionName(cid, id_of(i)), ": ", s.status().message()));
    }
    scored.push_back(*std::move(s));
  }
  // Decisions are serialised as they are made and written in id order (the
  // order rows were stored in), so that neighbouring writes share pages.
  std::vector<std::string> bytes(n);
  std::vector<Decision::Result> results(n);
  engine.DecideAll(scored, /*review_round=*/0, now,
                   [&](const ScoredSubmission& s, const Decision& d) {
                     d.SerializeToString(&bytes[s.handle]);
                     results[s.handle] = d.result();
                   });
  for (size_t i = 0; i < n; ++i) {
    RETURN_IF_ERROR(
        store::SetDecision(tx, cid, id_of(i), results[i], bytes[i], now));
  }
  return static_cast<int>(n);
}

absl::StatusOr<std::vector<Submission>> DecideAppeals(storage::Transaction& tx,
                                                      const Campaign& campaign,
                                                      absl::Time now) {
  const std::string cid = store::CampaignId(campaign);
  const DecisionEngine engine(campaign);

  std::vector<ScoredSubmission> standing;
  std::vector<bool> passed;
  // Owns the names `standing` refers to (stable addresses).
  std::deque<std::string> names;
  RETURN_IF_ERROR(store::ForEachDecision(
      tx, cid, [&](const store::SubmissionBrief& b, const Decision& d) {
        const std::string& enterprise = names.emplace_back(b.enterprise);
        const std::string& product = names.emplace_back(b.product_name);
        standing.push_back(engine.FromDecision(
            static_cast<int64_t>(standing.size()), enterprise, product, d));
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
    std::vector<int64_t> sums(engine.criteria_count(), 0);
    std::vector<int64_t> counts(engine.criteria_count(), 0);
    RETURN_IF_ERROR(store::ForEachScoreSumOf(
        tx, cid, b.id, b.review_round,
        [&](absl::string_view criterion, int64_t sum, int64_t count) {
          return AddSum(engine, criterion, sum, count, sums.data(),
                        counts.data());
        }));
    ASSIGN_OR_RETURN(
        ScoredSubmission s,
        engine.Score(0, b.enterprise, b.product_name, sums, counts));
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
