// Turns review scores into decisions (DESIGN §9): aggregate each criterion
// (the mean of the reviewers' scores), weight it to a 0-100 total, rank,
// pass the best at or above the threshold within the quota, waitlist the
// rest at or above the threshold, fail the others, and say why.
//
// Ranking order (the documented, deterministic tie-break):
//   1. higher total score, compared at six decimals;
//   2. higher contribution of each criterion in turn, heaviest weight first
//      (criteria of equal weight in rubric order), at six decimals;
//   3. enterprise resource name, then product name, in byte order.
// Nothing in the order depends on when or in which order submissions or
// reviews arrived, nor on generated ids, so the same scores always give the
// same ranking.
//
// Pure computation: no I/O. Immutable after construction; thread-safe.

#ifndef SERVICES_CURATION_DECISION_ENGINE_H_
#define SERVICES_CURATION_DECISION_ENGINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jalin/curation/v1/campaign.pb.h"
#include "jalin/curation/v1/submission.pb.h"

namespace jalin::curation {

// Sums of one submission's review scores, per criterion in rubric order.
struct ScoreSums {
  std::vector<int64_t> sum;
  std::vector<int32_t> count;
};

// A submission's aggregate, ready for ranking.
struct ScoredSubmission {
  // The caller's handle (e.g. an index into its own array).
  int64_t handle = 0;
  std::string enterprise;
  std::string product_name;
  // Total at six decimals: round(total * 1e6).
  int64_t key = 0;
  // Criterion contributions at six decimals, in tie-break order.
  std::vector<int64_t> tie_keys;
  // Per criterion, in rubric order.
  std::vector<jalin::curation::v1::CriterionScore> criteria;
  double score() const { return static_cast<double>(key) / 1e6; }
};

class DecisionEngine {
 public:
  // Copies the rubric, quota, threshold and bands of `campaign`.
  explicit DecisionEngine(const jalin::curation::v1::Campaign& campaign);

  // Index of criterion `id` in rubric order, or -1.
  int CriterionIndex(absl::string_view id) const;
  int criteria_count() const { return static_cast<int>(criteria_.size()); }

  // The aggregate of one submission. INVALID_ARGUMENT if a criterion has no
  // score (count 0) or the sums do not match the rubric.
  absl::StatusOr<ScoredSubmission> Score(int64_t handle, std::string enterprise,
                                         std::string product_name,
                                         const ScoreSums& sums) const;

  // Rebuilds the ranking key of a submission decided earlier, from the
  // criterion scores its decision recorded.
  ScoredSubmission FromDecision(int64_t handle, std::string enterprise,
                                std::string product_name,
                                const jalin::curation::v1::Decision& d) const;

  // True when `a` ranks before `b`.
  static bool Ahead(const ScoredSubmission& a, const ScoredSubmission& b);

  // Ranks `submissions` (sorted in place into rank order) and returns one
  // decision per submission, in the same (ranked) order.
  std::vector<jalin::curation::v1::Decision> DecideAll(
      std::vector<ScoredSubmission>& submissions, int32_t review_round,
      absl::Time now) const;

  // The decision for one submission re-reviewed on appeal, against the
  // decisions that stand (`standing`: every other ranked submission, in any
  // order). Its rank is its place among them; it passes when it reaches the
  // threshold and either the quota still has room or it ranks ahead of the
  // last passed submission. Nobody else's decision changes, so an upheld
  // appeal may pass one more than the quota.
  jalin::curation::v1::Decision DecideAppeal(
      const ScoredSubmission& appealed,
      const std::vector<ScoredSubmission>& standing,
      const std::vector<bool>& standing_passed, int32_t review_round,
      absl::Time now) const;

 private:
  struct Criterion {
    std::string id;
    std::string label_id;
    std::string label_en;
    double weight;
    int32_t min_score;
    int32_t max_score;
  };

  jalin::curation::v1::Decision MakeDecision(
      const ScoredSubmission& s, jalin::curation::v1::Decision::Result result,
      int32_t rank, int32_t ranked, bool tied_at_cut, int32_t review_round,
      absl::Time now) const;
  std::string Grade(int64_t key) const;

  std::vector<Criterion> criteria_;
  // Criterion indexes in tie-break order (heaviest first).
  std::vector<int> tie_order_;
  int32_t quota_;
  int64_t threshold_key_;
  double threshold_;
  std::vector<std::pair<std::string, int64_t>> bands_;
};

// round(x * 1e6), the precision scores are compared at.
int64_t ScoreKey(double x);

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_DECISION_ENGINE_H_
