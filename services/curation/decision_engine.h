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
// Deciding allocates little per submission (no protos until a decision is
// emitted), so that campaigns of 100,000 submissions decide in seconds.
//
// Pure computation: no I/O. Immutable after construction; thread-safe.

#ifndef SERVICES_CURATION_DECISION_ENGINE_H_
#define SERVICES_CURATION_DECISION_ENGINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "jalin/curation/v1/campaign.pb.h"
#include "jalin/curation/v1/submission.pb.h"

namespace jalin::curation {

// Criteria a campaign may have at most without heap allocations per
// submission (more still work).
inline constexpr int kInlineCriteria = 8;

// A submission's aggregate, ready for ranking. Holds views of the
// enterprise and product names: their owner must outlive it.
struct ScoredSubmission {
  // The caller's handle (e.g. an index into its own array).
  int64_t handle = 0;
  absl::string_view enterprise;
  absl::string_view product_name;
  // Total at six decimals: round(total * 1e6).
  int64_t key = 0;
  // Criterion contributions at six decimals, in tie-break order.
  absl::InlinedVector<int64_t, kInlineCriteria> tie_keys;
  // Per criterion, in rubric order: the mean on its scale and the weighted
  // contribution to the total.
  absl::InlinedVector<double, kInlineCriteria> means;
  absl::InlinedVector<double, kInlineCriteria> weighted;
  double score() const { return static_cast<double>(key) / 1e6; }
};

class DecisionEngine {
 public:
  // Copies the rubric, quota, threshold and bands of `campaign`.
  explicit DecisionEngine(const jalin::curation::v1::Campaign& campaign);

  // Index of criterion `id` in rubric order, or -1.
  int CriterionIndex(absl::string_view id) const;
  int criteria_count() const { return static_cast<int>(criteria_.size()); }

  // The aggregate of one submission from the sums and counts of its scores
  // per criterion (rubric order). INVALID_ARGUMENT if a criterion has no
  // score or the sizes do not match the rubric.
  absl::StatusOr<ScoredSubmission> Score(
      int64_t handle, absl::string_view enterprise,
      absl::string_view product_name, absl::Span<const int64_t> sums,
      absl::Span<const int64_t> counts) const;

  // Rebuilds the ranking key of a submission decided earlier, from the
  // criterion scores its decision recorded.
  ScoredSubmission FromDecision(int64_t handle, absl::string_view enterprise,
                                absl::string_view product_name,
                                const jalin::curation::v1::Decision& d) const;

  // True when `a` ranks before `b`.
  static bool Ahead(const ScoredSubmission& a, const ScoredSubmission& b);

  // Indexes of `submissions` in rank order.
  std::vector<int32_t> Rank(
      const std::vector<ScoredSubmission>& submissions) const;

  // Ranks `submissions` and calls `emit` with each and its decision, in
  // rank order. The decision object is reused between calls: copy or
  // serialise it inside `emit`.
  void DecideAll(const std::vector<ScoredSubmission>& submissions,
                 int32_t review_round, absl::Time now,
                 absl::FunctionRef<void(const ScoredSubmission&,
                                        const jalin::curation::v1::Decision&)>
                     emit) const;

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

  // Fills `d` (cleared first) with the decision for `s`.
  void MakeDecision(const ScoredSubmission& s,
                    jalin::curation::v1::Decision::Result result, int32_t rank,
                    int32_t ranked, bool tied_at_cut, int32_t review_round,
                    absl::Time now, jalin::curation::v1::Decision& d) const;
  absl::string_view Grade(int64_t key) const;

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
