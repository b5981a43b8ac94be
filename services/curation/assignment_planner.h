// Chooses reviewers for submissions (DESIGN §9): every submission gets the
// reviewers it still needs; nobody reviews a submission from their own
// region or cluster (a region covers its kabupaten/kota, so a reviewer of
// province "33" reviews nothing from "33.xx"); nobody reviews the same
// submission twice (earlier rounds included); and loads stay balanced: the
// most and the least loaded reviewer of the pool differ by at most one.
//
// How: submissions with the fewest eligible reviewers go first, each to the
// least loaded eligible reviewers (ties to the earlier reviewer in the
// pool). Then open assignments are moved along augmenting paths (A hands a
// submission to B, B one to C, ...) from the most loaded reviewers to the
// least loaded until the spread is at most one or no path exists. Reviewed
// assignments never move. When the conflicts make a spread of one
// impossible, the plan keeps the smallest spread the paths reach and says so
// (Plan::spread).
//
// Pure computation over indexes; not thread-safe (one planner per plan).

#ifndef SERVICES_CURATION_ASSIGNMENT_PLANNER_H_
#define SERVICES_CURATION_ASSIGNMENT_PLANNER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace jalin::curation {

class AssignmentPlanner {
 public:
  struct Reviewer {
    // Region codes ("33", "33.13") and cluster names the reviewer belongs to.
    std::vector<std::string> regions;
    std::vector<std::string> clusters;
    // Assignments that count towards the load but are not part of this plan
    // (reviewed ones). Open assignments are given per submission.
    int fixed_load = 0;
  };

  // Where applicants belong: region code of the applicant ("33.13") and
  // its clusters. Submissions share profiles, so that eligibility is worked
  // out once per profile.
  struct Profile {
    std::string region;
    std::vector<std::string> clusters;
  };

  struct Submission {
    // Index into the profiles.
    int profile = 0;
    // Reviewers the submission should have in its current round.
    int wanted = 0;
    // Pool indexes of its reviewers in the current round: reviewed (fixed)
    // and open (may move to another reviewer).
    std::vector<int> reviewed = {};
    std::vector<int> open = {};
    // Pool indexes that must not get it (reviewers of earlier rounds).
    std::vector<int> blocked = {};
  };

  struct Shortfall {
    int submission = 0;
    // Reviewers still missing after every eligible one was used.
    int missing = 0;
    // Eligible reviewers in the pool (excluding blocked ones).
    int eligible = 0;
  };

  struct Plan {
    // (submission, reviewer) pairs to create.
    std::vector<std::pair<int, int>> added;
    // Open (submission, reviewer) pairs that moved to someone else.
    std::vector<std::pair<int, int>> moved_away;
    std::vector<Shortfall> shortfalls;
    // Largest minus smallest load over the pool after the plan.
    int spread = 0;
    std::vector<int> loads;
  };

  AssignmentPlanner(std::vector<Reviewer> reviewers,
                    const std::vector<Profile>& profiles,
                    std::vector<Submission> submissions);

  // True when reviewer `r` may not review a submission of `region` and
  // `clusters` because of where it belongs.
  static bool Conflicts(const Reviewer& r, const std::string& region,
                        const std::vector<std::string>& clusters);

  // Fills every submission up to `wanted` and rebalances. Deterministic for
  // the same input.
  Plan Run();

 private:
  bool Eligible(int s, int r) const;
  bool Holds(int s, int r) const;
  void Fill(Plan& plan);
  // One augmenting path from any reviewer in `sources` to any in `targets`;
  // applies it and returns true, or returns false.
  bool Augment(const std::vector<char>& is_source,
               const std::vector<char>& is_target);
  void Rebalance();

  std::vector<Reviewer> reviewers_;
  std::vector<Submission> subs_;
  // Eligibility per profile and reviewer.
  std::vector<std::vector<char>> eligible_;
  // Current state: loads, and per reviewer the submissions it holds open.
  std::vector<int> load_;
  std::vector<std::vector<int>> open_of_;
  // Per submission: its reviewers (all states) in the current round.
  std::vector<std::vector<int>> holders_;
  // Open pairs that existed before the plan (to report moves).
  absl::flat_hash_map<int64_t, bool> initial_open_;
};

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_ASSIGNMENT_PLANNER_H_
