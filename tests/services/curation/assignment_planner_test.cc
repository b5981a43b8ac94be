// AssignmentPlanner: every submission gets its reviewers, never from its
// own region or cluster, never the same reviewer twice, and loads stay
// within one of each other.

#include "services/curation/assignment_planner.h"

#include <algorithm>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jalin::curation {
namespace {

using Planner = AssignmentPlanner;

Planner::Reviewer R(std::vector<std::string> regions,
                    std::vector<std::string> clusters = {}) {
  return {std::move(regions), std::move(clusters), 0};
}

// A submission of the tests: its profile inline.
struct Sub {
  Planner::Profile profile;
  Planner::Submission sub;
};

Sub S(std::string region, std::vector<std::string> clusters, int wanted) {
  Sub s;
  s.profile.region = std::move(region);
  s.profile.clusters = std::move(clusters);
  s.sub.wanted = wanted;
  return s;
}

// Runs the planner with one profile per submission.
Planner::Plan RunPlanner(const std::vector<Planner::Reviewer>& reviewers,
                         const std::vector<Sub>& subs) {
  std::vector<Planner::Profile> profiles;
  std::vector<Planner::Submission> plain;
  for (const Sub& s : subs) {
    profiles.push_back(s.profile);
    plain.push_back(s.sub);
    plain.back().profile = static_cast<int>(profiles.size()) - 1;
  }
  return Planner(reviewers, profiles, plain).Run();
}

// Checks the invariants of a plan that had no shortfall.
void ExpectValid(const std::vector<Planner::Reviewer>& reviewers,
                 const std::vector<Sub>& subs, const Planner::Plan& plan) {
  ASSERT_TRUE(plan.shortfalls.empty());
  std::vector<std::set<int>> holders(subs.size());
  for (size_t s = 0; s < subs.size(); ++s) {
    holders[s].insert(subs[s].sub.reviewed.begin(), subs[s].sub.reviewed.end());
    holders[s].insert(subs[s].sub.open.begin(), subs[s].sub.open.end());
  }
  for (auto [s, r] : plan.moved_away) holders[s].erase(r);
  for (auto [s, r] : plan.added) {
    EXPECT_TRUE(holders[s].insert(r).second)
        << "reviewer " << r << " twice on submission " << s;
    EXPECT_FALSE(Planner::Conflicts(reviewers[r], subs[s].profile.region,
                                    subs[s].profile.clusters))
        << "conflict: reviewer " << r << " on submission " << s;
    const auto& blocked = subs[s].sub.blocked;
    EXPECT_EQ(std::find(blocked.begin(), blocked.end(), r), blocked.end());
  }
  std::vector<int> load(reviewers.size(), 0);
  for (size_t r = 0; r < reviewers.size(); ++r)
    load[r] = reviewers[r].fixed_load;
  for (size_t s = 0; s < subs.size(); ++s) {
    EXPECT_EQ(static_cast<int>(holders[s].size()), subs[s].sub.wanted) << s;
    for (int r : holders[s]) ++load[r];
  }
  EXPECT_EQ(load, plan.loads);
  const auto [mn, mx] = std::minmax_element(load.begin(), load.end());
  EXPECT_EQ(plan.spread, *mx - *mn);
}

TEST(AssignmentPlannerTest, RegionsContainTheirRegenciesBothWays) {
  EXPECT_TRUE(Planner::Conflicts(R({"33"}), "33.13", {}));
  EXPECT_TRUE(Planner::Conflicts(R({"33.13"}), "33.13", {}));
  EXPECT_TRUE(Planner::Conflicts(R({"33.13"}), "33", {}));
  EXPECT_FALSE(Planner::Conflicts(R({"33.1"}), "33.13", {}));
  EXPECT_FALSE(Planner::Conflicts(R({"33.13"}), "33.11", {}));
  EXPECT_TRUE(Planner::Conflicts(R({"34.71"}, {"clusters/batik"}), "33.13",
                                 {"clusters/jamu", "clusters/batik"}));
  EXPECT_FALSE(Planner::Conflicts(R({"34.71"}, {"clusters/batik"}), "33.13",
                                  {"clusters/jamu"}));
}

TEST(AssignmentPlannerTest, BalancesWithoutConflicts) {
  std::vector<Planner::Reviewer> reviewers;
  for (int r = 0; r < 7; ++r) reviewers.push_back(R({absl::StrCat("33.0", r)}));
  std::vector<Sub> subs;
  for (int s = 0; s < 100; ++s) {
    subs.push_back(S(absl::StrCat("33.0", s % 7), {}, 3));
  }
  Planner::Plan plan = RunPlanner(reviewers, subs);
  ExpectValid(reviewers, subs, plan);
  EXPECT_LE(plan.spread, 1);
  EXPECT_EQ(plan.added.size(), 300u);
}

TEST(AssignmentPlannerTest, RebalancesWhatGreedyChoiceLeavesUneven) {
  // Two groups with three eligible reviewers each: 33.01 (not reviewer 0)
  // and 33.04 (not reviewer 3). Filling greedily gives loads 4, 3, 3, 2;
  // only moving work along a path (0 hands a 33.04 submission to 1, 1 a
  // 33.01 submission to 3) evens them out.
  std::vector<Planner::Reviewer> reviewers = {R({"33.01"}), R({"33.02"}),
                                              R({"33.03"}), R({"33.04"})};
  std::vector<Sub> subs;
  for (int s = 0; s < 6; ++s) subs.push_back(S("33.01", {}, 1));
  for (int s = 0; s < 6; ++s) subs.push_back(S("33.04", {}, 1));
  Planner::Plan plan = RunPlanner(reviewers, subs);
  ExpectValid(reviewers, subs, plan);
  EXPECT_EQ(plan.loads, (std::vector<int>{3, 3, 3, 3}));
}

TEST(AssignmentPlannerTest, RandomPoolsStayConflictFreeAndBalanced) {
  std::mt19937 rng(42);
  for (int round = 0; round < 20; ++round) {
    std::vector<Planner::Reviewer> reviewers;
    const int nr = 6 + round % 10;
    for (int r = 0; r < nr; ++r) {
      reviewers.push_back(R({absl::StrCat("33.", 10 + rng() % 10)},
                            {absl::StrCat("clusters/c", rng() % 8)}));
    }
    std::vector<Sub> subs;
    const int ns = 50 + static_cast<int>(rng() % 200);
    while (static_cast<int>(subs.size()) < ns) {
      Sub s = S(absl::StrCat("33.", 10 + rng() % 10),
                {absl::StrCat("clusters/c", rng() % 8)}, 3);
      // Only feasible instances: at least three reviewers without conflict.
      int eligible = 0;
      for (const auto& r : reviewers) {
        eligible +=
            Planner::Conflicts(r, s.profile.region, s.profile.clusters) ? 0 : 1;
      }
      if (eligible >= 3) subs.push_back(s);
    }
    Planner::Plan plan = RunPlanner(reviewers, subs);
    ExpectValid(reviewers, subs, plan);
    EXPECT_LE(plan.spread, 1) << "round " << round;
  }
}

TEST(AssignmentPlannerTest, ReportsSubmissionsWithTooFewEligibleReviewers) {
  std::vector<Planner::Reviewer> reviewers = {R({"33.13"}), R({"33.13"}),
                                              R({"34.71"}), R({"35.78"})};
  std::vector<Sub> subs = {S("33.13", {}, 3), S("33.11", {}, 3)};
  Planner::Plan plan = RunPlanner(reviewers, subs);
  ASSERT_EQ(plan.shortfalls.size(), 1u);
  EXPECT_EQ(plan.shortfalls[0].submission, 0);
  EXPECT_EQ(plan.shortfalls[0].eligible, 2);
  EXPECT_EQ(plan.shortfalls[0].missing, 1);
}

TEST(AssignmentPlannerTest, NewRoundSkipsEarlierReviewers) {
  std::vector<Planner::Reviewer> reviewers;
  for (int r = 0; r < 6; ++r) reviewers.push_back(R({absl::StrCat("34.0", r)}));
  std::vector<Sub> subs = {S("33.13", {}, 3)};
  subs[0].sub.blocked = {0, 1, 2};
  for (int r : {0, 1, 2}) reviewers[r].fixed_load = 1;
  Planner::Plan plan = RunPlanner(reviewers, subs);
  ExpectValid(reviewers, subs, plan);
  std::set<int> got;
  for (auto [s, r] : plan.added) got.insert(r);
  EXPECT_EQ(got, (std::set<int>{3, 4, 5}));
}

TEST(AssignmentPlannerTest, NewcomerTakesOverOpenButNeverReviewedWork) {
  std::vector<Planner::Reviewer> reviewers = {R({"34.01"}), R({"34.02"}),
                                              R({"34.03"})};
  std::vector<Sub> subs;
  // 12 submissions, one reviewer each: 0 and 1 hold six each, half of them
  // already reviewed; reviewer 2 just joined.
  for (int s = 0; s < 12; ++s) {
    Sub sub = S("33.13", {}, 1);
    const int holder = s % 2;
    (s < 6 ? sub.sub.reviewed : sub.sub.open).push_back(holder);
    subs.push_back(sub);
  }
  Planner::Plan plan = RunPlanner(reviewers, subs);
  ExpectValid(reviewers, subs, plan);
  EXPECT_EQ(plan.loads, (std::vector<int>{4, 4, 4}));
  for (auto [s, r] : plan.moved_away) EXPECT_GE(s, 6) << "reviewed work moved";
  EXPECT_EQ(plan.moved_away.size(), 4u);
}

TEST(AssignmentPlannerTest, SameInputSamePlan) {
  std::vector<Planner::Reviewer> reviewers;
  for (int r = 0; r < 9; ++r) {
    reviewers.push_back(
        R({absl::StrCat("33.1", r)}, {absl::StrCat("clusters/c", r % 4)}));
  }
  std::vector<Sub> subs;
  for (int s = 0; s < 90; ++s) {
    subs.push_back(
        S(absl::StrCat("33.1", s % 9), {absl::StrCat("clusters/c", s % 5)}, 3));
  }
  Planner::Plan a = RunPlanner(reviewers, subs);
  Planner::Plan b = RunPlanner(reviewers, subs);
  EXPECT_EQ(a.added, b.added);
}

}  // namespace
}  // namespace jalin::curation
