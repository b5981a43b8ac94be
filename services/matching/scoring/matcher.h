// Top-k counterparts of one query, two ways:
//
//  - FindTopK: the indexed search. It lists the buckets (related category x
//    compatible type x allowed region) that can hold counterparts, computes
//    an upper bound of the score for each, and visits them best bound first,
//    stopping as soon as the next bound is below the k-th best score found.
//  - BruteForceTopK: scans every listing. The reference the indexed search
//    must equal (same ids, order and scores), and the benchmark's baseline.
//
// Order: higher score first; equal scores by listing name, ascending.

#ifndef SERVICES_MATCHING_SCORING_MATCHER_H_
#define SERVICES_MATCHING_SCORING_MATCHER_H_

#include <cstdint>
#include <vector>

#include "services/matching/scoring/scorer.h"

namespace jalin::matching {

struct Candidate {
  uint32_t slot = kNoId;
  // How the two categories relate (owned by the index's taxonomy).
  const Related* related = nullptr;
  Evaluation eval;
};

struct SearchStats {
  // Buckets that could hold counterparts, and those actually visited.
  int64_t buckets = 0;
  int64_t buckets_visited = 0;
  // Listings looked at (filters and scores).
  int64_t candidates = 0;
};

struct SearchResult {
  std::vector<Candidate> matches;
  SearchStats stats;
};

// `q` must have been built for an indexed listing or a probe whose kind,
// type and category are set. `k` >= 1.
SearchResult FindTopK(const QueryContext& q, int k);
SearchResult BruteForceTopK(const QueryContext& q, int k);

// True when `a` ranks before `b`.
bool RanksBefore(const MatchIndex& index, const Candidate& a,
                 const Candidate& b);

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SCORING_MATCHER_H_
