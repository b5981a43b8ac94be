// DecisionEngine: aggregation, weighting, ranking with the documented
// tie-break, quota and threshold, grades, reasons, and appeals.

#include "services/curation/decision_engine.h"

#include <algorithm>
#include <deque>
#include <random>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/curation/decision_reasons.h"
#include "tests/services/curation/test_campaigns.h"

namespace jalin::curation {
namespace {

using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::Decision;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1'780'000'000);

Campaign Rubric(int quota, double threshold) {
  return testing::StandardCampaign(kNow, kNow + absl::Hours(1), quota,
                                   threshold);
}

// Sums and counts of scores per criterion.
struct ScoreSums {
  std::vector<int64_t> sum;
  std::vector<int64_t> count;
};

// Sums as if `reviewers` reviewers each gave `scores` (rubric order).
ScoreSums Sums(std::vector<int> scores, int reviewers = 3) {
  ScoreSums s;
  for (int v : scores) {
    s.sum.push_back(int64_t{v} * reviewers);
    s.count.push_back(reviewers);
  }
  return s;
}

// `enterprise` must outlive the result (a literal, or a name kept alive by
// the test).
ScoredSubmission MustScore(const DecisionEngine& e, int handle,
                           absl::string_view enterprise,
                           const ScoreSums& sums) {
  auto s = e.Score(handle, enterprise, "Produk", sums.sum, sums.count);
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

// The ranking and decisions DecideAll emits.
struct Outcome {
  std::vector<std::string> order;
  std::vector<Decision> decisions;
};

Outcome DecideAll(const DecisionEngine& e,
                  const std::vector<ScoredSubmission>& subs) {
  Outcome out;
  e.DecideAll(subs, 0, kNow, [&](const ScoredSubmission& s, const Decision& d) {
    out.order.emplace_back(s.enterprise);
    out.decisions.push_back(d);
  });
  return out;
}

TEST(DecisionEngineTest, WeightsEachCriterionMeanOnItsScale) {
  DecisionEngine e(Rubric(10, 50));
  // quality mean (5+4+3)/3 = 4 -> 30 * 3/4 = 22.5; packaging 5 -> 20;
  // legality 1 -> 0; market 3 -> 7.5; digital 2 -> 3.75.  Total 53.75.
  ScoreSums sums{{12, 15, 3, 9, 6}, {3, 3, 3, 3, 3}};
  ScoredSubmission s = MustScore(e, 0, "enterprises/a", sums);
  EXPECT_DOUBLE_EQ(s.score(), 53.75);
  ASSERT_EQ(s.means.size(), 5u);
  EXPECT_DOUBLE_EQ(s.means[0], 4.0);
  EXPECT_DOUBLE_EQ(s.weighted[0], 22.5);
  EXPECT_DOUBLE_EQ(s.weighted[3], 7.5);
}

TEST(DecisionEngineTest, MissingCriterionIsAnError) {
  DecisionEngine e(Rubric(10, 50));
  ScoreSums sums = Sums({5, 5, 5, 5, 5});
  sums.count[2] = 0;
  EXPECT_FALSE(e.Score(0, "enterprises/a", "p", sums.sum, sums.count).ok());
  sums.sum.pop_back();
  EXPECT_FALSE(e.Score(0, "enterprises/a", "p", sums.sum, sums.count).ok());
}

TEST(DecisionEngineTest, PassesWithinQuotaWaitlistsAboveThresholdFailsBelow) {
  DecisionEngine e(Rubric(/*quota=*/2, /*threshold=*/50));
  std::vector<ScoredSubmission> subs = {
      MustScore(e, 0, "enterprises/a", Sums({5, 5, 5, 5, 5})),  // 100
      MustScore(e, 1, "enterprises/b", Sums({4, 4, 4, 4, 4})),  // 75
      MustScore(e, 2, "enterprises/c", Sums({3, 3, 3, 3, 3})),  // 50
      MustScore(e, 3, "enterprises/d", Sums({4, 4, 4, 4, 4})),  // 75
      MustScore(e, 4, "enterprises/e", Sums({2, 2, 2, 2, 2})),  // 25
  };
  Outcome out = DecideAll(e, subs);
  const std::vector<Decision>& d = out.decisions;
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(out.order[0], "enterprises/a");
  EXPECT_EQ(d[0].result(), Decision::PASSED);
  EXPECT_EQ(d[0].grade(), "A");
  // b and d tie on every criterion: the enterprise name decides.
  EXPECT_EQ(out.order[1], "enterprises/b");
  EXPECT_EQ(d[1].result(), Decision::PASSED);
  EXPECT_EQ(d[1].grade(), "B");
  EXPECT_EQ(out.order[2], "enterprises/d");
  EXPECT_EQ(d[2].result(), Decision::WAITLISTED);
  EXPECT_THAT(d[2].reason_en(), HasSubstr("ties with the last passed"));
  // Exactly at the threshold counts as reaching it.
  EXPECT_EQ(out.order[3], "enterprises/c");
  EXPECT_EQ(d[3].result(), Decision::WAITLISTED);
  EXPECT_EQ(d[4].result(), Decision::FAILED);
  EXPECT_EQ(d[4].grade(), "");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(d[i].rank(), i + 1);
    EXPECT_EQ(d[i].ranked_submissions(), 5);
    EXPECT_EQ(d[i].criterion_scores_size(), 5);
    EXPECT_EQ(d[i].decide_time().seconds(), absl::ToUnixSeconds(kNow));
  }
}

TEST(DecisionEngineTest, EqualTotalsAreOrderedByTheHeaviestCriterionFirst) {
  DecisionEngine e(Rubric(1, 0));
  // Both total 60. "z" is stronger on quality (weight 30), "a" on
  // packaging (20): quality decides although "a" sorts first by name.
  ScoreSums z = Sums({5, 1, 4, 3, 3});  // 30 + 0 + 15 + 7.5 + 7.5
  ScoreSums a = Sums({3, 5, 3, 3, 3});  // 15 + 20 + 10 + 7.5 + 7.5
  std::vector<ScoredSubmission> subs = {MustScore(e, 0, "enterprises/a", a),
                                        MustScore(e, 1, "enterprises/z", z)};
  ASSERT_EQ(subs[0].key, subs[1].key);
  Outcome out = DecideAll(e, subs);
  EXPECT_EQ(out.order[0], "enterprises/z");
  EXPECT_EQ(out.decisions[0].result(), Decision::PASSED);
  EXPECT_EQ(out.decisions[1].result(), Decision::WAITLISTED);
}

TEST(DecisionEngineTest, RankingDoesNotDependOnInputOrder) {
  DecisionEngine e(Rubric(40, 30));
  std::deque<std::string> names;
  std::vector<ScoredSubmission> base;
  for (int i = 0; i < 200; ++i) {
    // Few distinct vectors: many exact ties, broken by name.
    const std::string& name =
        names.emplace_back(absl::StrCat("enterprises/e", i % 97, "x", i));
    base.push_back(MustScore(e, i, name,
                             Sums({1 + i % 5, 1 + (i / 5) % 5, 1 + (i * 3) % 5,
                                   1 + (i / 25) % 5, 1 + (i * 7) % 5})));
  }
  const Outcome expected = DecideAll(e, base);
  std::mt19937 rng(7);
  for (int round = 0; round < 10; ++round) {
    std::vector<ScoredSubmission> shuffled = base;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const Outcome got = DecideAll(e, shuffled);
    ASSERT_EQ(got.order, expected.order);
    for (size_t i = 0; i < base.size(); ++i) {
      ASSERT_EQ(got.decisions[i].result(), expected.decisions[i].result());
    }
  }
  int passed = 0;
  for (const auto& d : expected.decisions) {
    passed += d.result() == Decision::PASSED;
  }
  EXPECT_EQ(passed, 40);
}

TEST(DecisionEngineTest, ComparesScoresAtSixDecimals) {
  DecisionEngine e(Rubric(1, 0));
  // Totals that differ only by floating-point noise count as equal, so the
  // tie-break (not rounding error) decides.
  ScoredSubmission a = MustScore(e, 0, "enterprises/b", Sums({3, 3, 3, 3, 3}));
  ScoredSubmission b = a;
  b.enterprise = "enterprises/a";
  b.key = ScoreKey(a.score() + 1e-9);
  EXPECT_EQ(a.key, b.key);
  EXPECT_TRUE(DecisionEngine::Ahead(b, a));
}

TEST(DecisionEngineTest, ReasonsExplainInBothLanguages) {
  DecisionEngine e(Rubric(1, 50));
  std::vector<ScoredSubmission> subs = {
      MustScore(e, 0, "enterprises/a", Sums({5, 4, 4, 4, 2})),
      MustScore(e, 1, "enterprises/b", Sums({1, 1, 1, 2, 1}))};
  const std::vector<Decision> d = DecideAll(e, subs).decisions;
  EXPECT_THAT(d[0].reason_id(), HasSubstr("Lulus dengan nilai"));
  EXPECT_THAT(d[0].reason_id(), HasSubstr("peringkat 1 dari 2"));
  EXPECT_THAT(d[0].reason_id(), HasSubstr("Terkuat: Kualitas produk"));
  EXPECT_THAT(d[0].reason_id(), HasSubstr("terlemah: Kehadiran digital"));
  EXPECT_THAT(d[0].reason_en(), HasSubstr("within the quota of 1"));
  // 30 + 15 + 15 + 11.25 + 3.75 = 75: decimal comma in Indonesian.
  EXPECT_THAT(d[0].reason_id(), HasSubstr("skor 75,00"));
  EXPECT_THAT(d[0].reason_en(), HasSubstr("score 75.00"));
  EXPECT_THAT(d[1].reason_id(), HasSubstr("di bawah ambang 50,00"));
  EXPECT_THAT(d[1].reason_en(), HasSubstr("below the threshold 50.00"));
}

TEST(DecisionEngineTest, AppealPassesOnlyAheadOfTheLastPassedOnceQuotaIsFull) {
  DecisionEngine e(Rubric(2, 50));
  std::vector<ScoredSubmission> standing = {
      MustScore(e, 0, "enterprises/a", Sums({5, 5, 5, 5, 5})),  // 100
      MustScore(e, 1, "enterprises/b", Sums({4, 4, 4, 4, 4})),  // 75
      MustScore(e, 2, "enterprises/c", Sums({3, 4, 3, 4, 3})),  // 58.75
  };
  std::vector<bool> passed = {true, true, false};
  Decision up =
      e.DecideAppeal(MustScore(e, 9, "enterprises/x", Sums({5, 4, 4, 4, 4})),
                     standing, passed, 1, kNow);
  EXPECT_EQ(up.result(), Decision::PASSED);
  EXPECT_EQ(up.rank(), 2);
  EXPECT_EQ(up.ranked_submissions(), 4);
  EXPECT_THAT(up.reason_en(), HasSubstr("After appeal"));
  Decision behind =
      e.DecideAppeal(MustScore(e, 9, "enterprises/x", Sums({3, 3, 4, 3, 3})),
                     standing, passed, 1, kNow);
  EXPECT_EQ(behind.result(), Decision::WAITLISTED);
  Decision low =
      e.DecideAppeal(MustScore(e, 9, "enterprises/x", Sums({2, 2, 2, 2, 2})),
                     standing, passed, 1, kNow);
  EXPECT_EQ(low.result(), Decision::FAILED);
  // With room in the quota, reaching the threshold is enough.
  passed = {true, false, false};
  Decision room =
      e.DecideAppeal(MustScore(e, 9, "enterprises/x", Sums({3, 3, 3, 3, 3})),
                     standing, passed, 1, kNow);
  EXPECT_EQ(room.result(), Decision::PASSED);
  EXPECT_EQ(room.grade(), "C");
}

TEST(DecisionEngineTest, FromDecisionRebuildsTheRankingKey) {
  DecisionEngine e(Rubric(3, 0));
  std::vector<ScoredSubmission> subs = {
      MustScore(e, 0, "enterprises/a", Sums({5, 1, 4, 3, 3})),
      MustScore(e, 1, "enterprises/b", Sums({3, 5, 3, 3, 3}))};
  const Outcome out = DecideAll(e, subs);
  ASSERT_EQ(out.order[0], "enterprises/a");
  ScoredSubmission r0 =
      e.FromDecision(0, "enterprises/a", "Produk", out.decisions[0]);
  ScoredSubmission r1 =
      e.FromDecision(1, "enterprises/b", "Produk", out.decisions[1]);
  EXPECT_EQ(r0.key, subs[0].key);
  EXPECT_EQ(r0.tie_keys, subs[0].tie_keys);
  EXPECT_TRUE(DecisionEngine::Ahead(r0, r1));
}

// Reasons format numbers by hand: rounding, carries, small and negative
// values and both separators must come out as printf would write them.
TEST(DecisionEngineTest, FormatsTwoDecimalsLikePrintf) {
  EXPECT_EQ(FormatTwoDecimals(82.5, '.'), "82.50");
  EXPECT_EQ(FormatTwoDecimals(82.5, ','), "82,50");
  EXPECT_EQ(FormatTwoDecimals(0, '.'), "0.00");
  EXPECT_EQ(FormatTwoDecimals(0.05, '.'), "0.05");
  EXPECT_EQ(FormatTwoDecimals(53.755, ','), "53,76");
  EXPECT_EQ(FormatTwoDecimals(99.996, '.'), "100.00");
  EXPECT_EQ(FormatTwoDecimals(100, ','), "100,00");
  EXPECT_EQ(FormatTwoDecimals(-1.25, '.'), "-1.25");
  EXPECT_EQ(FormatTwoDecimals(-0.5, ','), "-0,50");
}

}  // namespace
}  // namespace jalin::curation
