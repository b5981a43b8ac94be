#include "services/curation/decision_engine.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "services/curation/decision_reasons.h"

namespace jalin::curation {

using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::CriterionScore;
using ::jalin::curation::v1::Decision;

int64_t ScoreKey(double x) { return std::llround(x * 1e6); }

DecisionEngine::DecisionEngine(const Campaign& campaign)
    : quota_(campaign.quota()),
      threshold_key_(ScoreKey(campaign.pass_threshold())),
      threshold_(campaign.pass_threshold()) {
  for (const auto& c : campaign.criteria()) {
    criteria_.push_back({c.id(), c.label_id(), c.label_en(), c.weight(),
                         c.min_score(), c.max_score()});
  }
  tie_order_.resize(criteria_.size());
  std::iota(tie_order_.begin(), tie_order_.end(), 0);
  std::stable_sort(tie_order_.begin(), tie_order_.end(), [&](int a, int b) {
    return criteria_[a].weight > criteria_[b].weight;
  });
  for (const auto& b : campaign.grade_bands()) {
    bands_.emplace_back(b.grade(), ScoreKey(b.min_score()));
  }
}

int DecisionEngine::CriterionIndex(absl::string_view id) const {
  for (size_t i = 0; i < criteria_.size(); ++i) {
    if (criteria_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<ScoredSubmission> DecisionEngine::Score(
    int64_t handle, absl::string_view enterprise,
    absl::string_view product_name, absl::Span<const int64_t> sums,
    absl::Span<const int64_t> counts) const {
  if (sums.size() != criteria_.size() || counts.size() != criteria_.size()) {
    return absl::InvalidArgumentError("score sums do not match the rubric");
  }
  ScoredSubmission s;
  s.handle = handle;
  s.enterprise = enterprise;
  s.product_name = product_name;
  double total = 0;
  for (size_t i = 0; i < criteria_.size(); ++i) {
    const Criterion& c = criteria_[i];
    if (counts[i] <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("criterion ", c.id, " has no score"));
    }
    const double mean =
        static_cast<double>(sums[i]) / static_cast<double>(counts[i]);
    const double weighted =
        c.weight * (mean - c.min_score) / (c.max_score - c.min_score);
    s.means.push_back(mean);
    s.weighted.push_back(weighted);
    total += weighted;
  }
  s.key = ScoreKey(total);
  for (int i : tie_order_) s.tie_keys.push_back(ScoreKey(s.weighted[i]));
  return s;
}

ScoredSubmission DecisionEngine::FromDecision(int64_t handle,
                                              absl::string_view enterprise,
                                              absl::string_view product_name,
                                              const Decision& d) const {
  ScoredSubmission s;
  s.handle = handle;
  s.enterprise = enterprise;
  s.product_name = product_name;
  s.key = ScoreKey(d.score());
  s.means.resize(criteria_.size());
  s.weighted.resize(criteria_.size());
  for (int i = 0;
       i < d.criterion_scores_size() && i < static_cast<int>(criteria_.size());
       ++i) {
    s.means[i] = d.criterion_scores(i).mean_score();
    s.weighted[i] = d.criterion_scores(i).weighted_score();
  }
  for (int i : tie_order_) s.tie_keys.push_back(ScoreKey(s.weighted[i]));
  return s;
}

bool DecisionEngine::Ahead(const ScoredSubmission& a,
                           const ScoredSubmission& b) {
  if (a.key != b.key) return a.key > b.key;
  const size_t n = std::min(a.tie_keys.size(), b.tie_keys.size());
  for (size_t i = 0; i < n; ++i) {
    if (a.tie_keys[i] != b.tie_keys[i]) return a.tie_keys[i] > b.tie_keys[i];
  }
  if (a.enterprise != b.enterprise) return a.enterprise < b.enterprise;
  return a.product_name < b.product_name;
}

std::vector<int32_t> DecisionEngine::Rank(
    const std::vector<ScoredSubmission>& subs) const {
  std::vector<int32_t> order(subs.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int32_t a, int32_t b) { return Ahead(subs[a], subs[b]); });
  return order;
}

absl::string_view DecisionEngine::Grade(int64_t key) const {
  for (const auto& [grade, min_key] : bands_) {
    if (key >= min_key) return grade;
  }
  return "";
}

void DecisionEngine::MakeDecision(const ScoredSubmission& s,
                                  Decision::Result result, int32_t rank,
                                  int32_t ranked, bool tied_at_cut,
                                  int32_t review_round, absl::Time now,
                                  Decision& d) const {
  d.Clear();
  d.set_result(result);
  d.set_score(s.score());
  d.set_rank(rank);
  if (result == Decision::PASSED) d.set_grade(std::string(Grade(s.key)));
  ToProtoTime(now, d.mutable_decide_time());
  const size_t n = std::min(criteria_.size(), s.means.size());
  for (size_t i = 0; i < n; ++i) {
    CriterionScore* cs = d.add_criterion_scores();
    cs->set_criterion(criteria_[i].id);
    cs->set_mean_score(s.means[i]);
    cs->set_weighted_score(s.weighted[i]);
  }
  d.set_review_round(review_round);
  d.set_ranked_submissions(ranked);

  ReasonFacts f;
  f.result = result;
  f.score = s.score();
  f.rank = rank;
  f.ranked = ranked;
  f.threshold = threshold_;
  f.quota = quota_;
  f.grade = d.grade();
  f.tied_at_cut = tied_at_cut;
  f.on_appeal = review_round > 0;
  // Strongest and weakest by the share of the scale reached; the first in
  // rubric order wins a tie.
  size_t best = 0, worst = 0;
  double best_share = -1, worst_share = 2;
  for (size_t i = 0; i < n; ++i) {
    const Criterion& c = criteria_[i];
    const double share =
        (s.means[i] - c.min_score) / (c.max_score - c.min_score);
    if (share > best_share) best_share = share, best = i;
    if (share < worst_share) worst_share = share, worst = i;
  }
  if (n > 0) {
    f.strongest = {criteria_[best].label_id, criteria_[best].label_en,
                   s.means[best], criteria_[best].max_score};
    f.weakest = {criteria_[worst].label_id, criteria_[worst].label_en,
                 s.means[worst], criteria_[worst].max_score};
  }
  Reasons r = WriteReasons(f);
  d.set_reason_id(std::move(r.id));
  d.set_reason_en(std::move(r.en));
}

void DecisionEngine::DecideAll(
    const std::vector<ScoredSubmission>& subs, int32_t review_round,
    absl::Time now,
    absl::FunctionRef<void(const ScoredSubmission&, const Decision&)> emit)
    const {
  const std::vector<int32_t> order = Rank(subs);
  const int32_t ranked = static_cast<int32_t>(subs.size());
  // The last passed submission, for the tie note of those just below it.
  int64_t cut_key = INT64_MIN;
  int32_t passed = 0;
  for (int32_t i : order) {
    if (subs[i].key < threshold_key_ || passed == quota_) break;
    cut_key = subs[i].key;
    ++passed;
  }
  Decision d;
  for (int32_t r = 0; r < ranked; ++r) {
    const ScoredSubmission& s = subs[order[r]];
    Decision::Result result;
    if (s.key < threshold_key_) {
      result = Decision::FAILED;
    } else if (r < passed) {
      result = Decision::PASSED;
    } else {
      result = Decision::WAITLISTED;
    }
    const bool tied = result == Decision::WAITLISTED && s.key == cut_key;
    MakeDecision(s, result, r + 1, ranked, tied, review_round, now, d);
    emit(s, d);
  }
}

Decision DecisionEngine::DecideAppeal(
    const ScoredSubmission& appealed,
    const std::vector<ScoredSubmission>& standing,
    const std::vector<bool>& standing_passed, int32_t review_round,
    absl::Time now) const {
  int32_t ahead = 0;
  int32_t passed = 0;
  const ScoredSubmission* last_passed = nullptr;
  for (size_t i = 0; i < standing.size(); ++i) {
    if (Ahead(standing[i], appealed)) ++ahead;
    if (i < standing_passed.size() && standing_passed[i]) {
      ++passed;
      if (last_passed == nullptr || Ahead(*last_passed, standing[i])) {
        last_passed = &standing[i];
      }
    }
  }
  const int32_t ranked = static_cast<int32_t>(standing.size()) + 1;
  Decision::Result result;
  bool tied = false;
  if (appealed.key < threshold_key_) {
    result = Decision::FAILED;
  } else if (passed < quota_ || last_passed == nullptr ||
             Ahead(appealed, *last_passed)) {
    result = Decision::PASSED;
  } else {
    result = Decision::WAITLISTED;
    tied = appealed.key == last_passed->key;
  }
  Decision d;
  MakeDecision(appealed, result, ahead + 1, ranked, tied, review_round, now, d);
  return d;
}

}  // namespace jalin::curation
