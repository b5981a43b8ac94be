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
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
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

// The buckets that can hold counterparts of `q`'s side (related category x
// compatible type x allowed region), with their postings' facts. The same
// for every query listing of one bucket, so that a batch of such queries
// (a channeling report) lists them once.
struct CandidateBuckets {
  std::vector<PostingFacts> postings;
  // (bucket, index into postings).
  std::vector<std::pair<uint32_t, uint32_t>> buckets;
  // Empty, or (OrderEntries) the positions of each bucket's entries, the
  // highest entry bound first: buckets[i]'s run starts at order_at[i].
  std::vector<uint32_t> order;
  std::vector<uint32_t> order_at;
};
CandidateBuckets ListBuckets(const QueryContext& q);

// Orders each bucket's entries by their bound (EntryOrderKey), so that
// SearchBuckets stops within a bucket once no entry left can enter the top
// k. Worth it when many queries share the buckets (a channeling report's
// listings of one bucket), not for one query. The order holds while the
// index does not change (under its read lock).
//
// A bucket's order depends only on the index, so a caller ordering many
// queries' candidates may pass a cache: each bucket is then ordered once
// and copied after. The cache belongs to one thread and one index state.
using EntryOrderCache = absl::flat_hash_map<uint32_t, std::vector<uint32_t>>;
void OrderEntries(const MatchIndex& index, CandidateBuckets* candidates,
                  EntryOrderCache* cache = nullptr);

// The indexed search over `candidates` (listed for a query of the same
// kind, type, category and allowed regions). The result is the same with
// or without OrderEntries.
SearchResult SearchBuckets(const QueryContext& q,
                           const CandidateBuckets& candidates, int k);

// ListBuckets, then SearchBuckets. `q` must have been built for an indexed
// listing or a probe whose kind, type and category are set. `k` >= 1.
SearchResult FindTopK(const QueryContext& q, int k);
SearchResult BruteForceTopK(const QueryContext& q, int k);

// True when `a` ranks before `b`.
bool RanksBefore(const MatchIndex& index, const Candidate& a,
                 const Candidate& b);

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SCORING_MATCHER_H_
