// Scoring one (offer, need) pair: the hard filters and the seven component
// values (DESIGN §8). The score is a function of the pair, not of which side
// asked: an offer and a need score the same whether found from the offer,
// from the need, in a channeling report or in a proposal.
//
// A query prepares a QueryContext once, then facts per posting (a related
// category) and per bucket (that category in one region), and finally
// evaluates candidates. The indexed search and the brute-force scan call the
// same functions with the same inputs, so they produce identical scores;
// the indexed search additionally uses BoundTable to skip buckets.

#ifndef SERVICES_MATCHING_SCORING_SCORER_H_
#define SERVICES_MATCHING_SCORING_SCORER_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/types/span.h"
#include "services/matching/index/match_index.h"
#include "services/matching/index/units.h"
#include "services/matching/scoring/signals.h"
#include "services/matching/scoring/weights.h"

namespace jalin::matching {

// One side of a pair, flattened: a listing of the index or an ad-hoc probe.
struct Side {
  // The listing's slot, or kNoId for a probe.
  uint32_t slot = kNoId;
  uint8_t kind = 0;
  uint8_t type = 0;
  CategoryId category = kNoCategory;
  RegionId region = kNoRegion;
  // StableHash of the owner's name; 0 for a probe without an owner.
  uint64_t owner_key = 0;
  // Cluster ids (of the index) the owner belongs to.
  absl::Span<const uint32_t> clusters;
  uint16_t owner_certs = 0;
  uint16_t required_certs = 0;
  uint8_t continuity = 0;
  uint8_t flags = 0;
  float radius_km = 0;
  // For needs: where they are supplied from today.
  RegionId source_region = kNoRegion;
  std::optional<NormalizedAmount> amount;
  uint32_t valid_until = 0;
};

// The side of an indexed listing.
Side SideOf(const MatchIndex& index, uint32_t slot);
Side SideOf(const MatchIndex& index, const Bucket& bucket, const Entry& entry);

// Which agreements could cover a pair with the query's side, per candidate
// region; the exact test runs only where the view cannot decide.
class AgreementView {
 public:
  AgreementView() = default;
  AgreementView(const MatchIndex& index, const Side& query);

  // True when an ACTIVE agreement covers the query and a candidate in
  // `region` and `category` owned by `owner_key` (see AgreementCovers()).
  bool Covers(const MatchIndex& index, const Side& query, RegionId region,
              CategoryId category, uint64_t owner_key) const;
  bool Covers(const MatchIndex& index, const Side& query,
              const Side& candidate) const {
    return Covers(index, query, candidate.region, candidate.category,
                  candidate.owner_key);
  }
  // False when no agreement can cover any candidate in `region`.
  bool Possible(RegionId region) const {
    return any_owner_party_ || (!state_.empty() && state_[region] != kNone);
  }

 private:
  static constexpr uint8_t kNone = 0;
  static constexpr uint8_t kYes = 1;
  static constexpr uint8_t kMaybe = 2;
  std::vector<uint8_t> state_;
  bool any_owner_party_ = false;
};

// Exact test: an agreement covers a pair when two different parties cover
// the two sides (a region party covers a listing in that regency or
// province, an owner party covers that owner's listings) and, if it names
// sectors, the category of either listing is one of them or below one.
bool AgreementCovers(const MatchIndex& index, const AgreementRecord& a,
                     const Side& x, const Side& y);

// The counterpart regions a query allows: regencies, from regencies and
// whole provinces. Immutable; shared by the queries of one report.
struct RegionFilter {
  static std::shared_ptr<const RegionFilter> Make(
      const RegionGrid& grid, absl::Span<const RegionId> areas);
  // Indexed by region id.
  std::vector<bool> mask;
  // The allowed regencies, ascending.
  std::vector<RegionId> list;
};

struct QueryOptions {
  // Counterparts within this many km (0: the query listing's own radius).
  double radius_km = 0;
  // Allowed counterpart regions (regencies or provinces); empty for all.
  std::vector<RegionId> regions;
  // The same, prepared (takes precedence over `regions`).
  std::shared_ptr<const RegionFilter> filter;
  // Current time, seconds since the epoch (listings valid until then are
  // out).
  int64_t now_seconds = 0;
};

// Everything about a query that does not depend on the candidate. Holds
// references: index, signals and weights must outlive it.
struct QueryContext {
  // `options.filter`, when set, is used in place and must outlive the
  // context (a report shares one filter among thousands of queries on two
  // threads; copying the shared_ptr made every query write its count).
  QueryContext(const MatchIndex& index, const Signals::ReadLock& signals,
               const Weights& weights, Side query, const QueryOptions& options);
  QueryContext(const MatchIndex& index, const Signals::ReadLock& signals,
               const Weights& weights, Side query,
               QueryOptions&& options) = delete;

  bool query_is_need() const { return query.kind == kNeed; }
  bool RegionAllowed(RegionId r) const {
    return filter == nullptr || filter->mask[r];
  }

  const MatchIndex& index;
  const Signals::ReadLock& signals;
  const Weights& weights;
  const Side query;
  // Effective radius of the query (0: none).
  double radius_km = 0;
  int64_t now_seconds = 0;
  // Null when every region is allowed: options.filter, or owned_filter.
  const RegionFilter* filter = nullptr;
  // Made from options.regions when no filter was given.
  std::shared_ptr<const RegionFilter> owned_filter;
  AgreementView agreements;
  double max_deals_factor = 0;
  // The reliability component when the query is the offer (then it is the
  // query's own and exact).
  double query_reliability = 0;
};

// Facts shared by the candidates of one related category.
struct PostingFacts {
  CategoryId candidate_category = kNoCategory;
  const Related* related = nullptr;
  // Feedback counts of the category groups, by province pair; may be null.
  const absl::flat_hash_map<uint32_t, FeedbackCounts>* feedback = nullptr;
};
PostingFacts MakePostingFacts(const QueryContext& q, CategoryId candidate,
                              const Related* related);

// Facts shared by the candidates of one posting in one region.
struct BucketFacts {
  RegionId region = kNoRegion;
  double distance_km = 0;
  double distance_value = 0;
  // When the query is the need: its saving against its current source.
  double saved_km = 0;
  double saved_value = 0;
  double feedback_value = 0.5;
  bool across_regions = false;
};
BucketFacts MakeBucketFacts(const QueryContext& q, const PostingFacts& p,
                            RegionId region);

// Upper bounds of the score of any candidate in a bucket, prepared once
// per query: the region-dependent parts per region, the bucket-dependent
// ones from the bucket's own bounds. Each component is bounded by its
// largest possible value (capacity and cluster diversity by 1).
class BoundTable {
 public:
  explicit BoundTable(const QueryContext& q);
  // The part shared by a posting's buckets.
  double PostingPart(const PostingFacts& p) const;
  // The bound for `bucket` of posting `p`.
  double Of(double posting_part, const PostingFacts& p,
            const Bucket& bucket) const;
  // The bound for the entry `e` of `bucket`, whose bound is `bucket_bound`:
  // the bucket's, with the entry's own part in place of the bucket's
  // largest (its reliability for an offer, its source's distance for a
  // need). Never above bucket_bound; higher EntryOrderKey, higher bound.
  double OfEntry(double bucket_bound, const Bucket& bucket,
                 const Entry& e) const;

 private:
  // The region-dependent part for an allowed region.
  double RegionPart(RegionId r) const;
  // The distance-saved part for a need in `bucket` whose source is
  // `source_km` from it.
  double SavedPart(const Bucket& bucket, float source_km) const;

  const QueryContext& q_;
  // Indexed by region; empty when the query allows only a few regions,
  // whose parts are in few_ (a report's search runs thousands of such
  // queries, each would otherwise fill a table of every region).
  std::vector<double> region_;
  static constexpr size_t kFewRegions = 4;
  absl::InlinedVector<std::pair<RegionId, double>, kFewRegions> few_;
  double reliability_[4][4];
};

// The evaluation of one pair.
struct Evaluation {
  std::array<double, kComponentCount> values = {};
  double score = 0;
  double distance_km = 0;
  double saved_km = 0;
  // Share of the need covered, when comparable.
  std::optional<double> coverage;
  bool agreement = false;
  int64_t supplier_deals = 0;
};

// What orders a bucket's entries by their bound, for any query: an offer's
// static reliability, a need's distance from its current source (0 without
// one).
double EntryOrderKey(const MatchIndex& index, const Bucket& bucket,
                     const Entry& e);

// Applies the pair's hard filters that depend on the candidate `e` (the
// caller has matched kind, type and category through the posting, and the
// bucket's region) and, if they pass, scores it.
bool Evaluate(const QueryContext& q, const PostingFacts& p,
              const BucketFacts& b, const Entry& e, Evaluation* out);

// Types that may meet: the same type, or services and know-how.
bool TypesCompatible(uint8_t a, uint8_t b);
// Types compatible with `type`, in ascending order.
absl::Span<const uint8_t> CompatibleTypes(uint8_t type);

// Component value helpers (exposed for explanations and tests).
double ContinuityFactor(uint8_t continuity);
double StaticReliability(uint8_t continuity, uint8_t flags);
double Reliability(uint8_t continuity, uint8_t flags, double deals_factor);
// 1 when both belong to clusters and share none, 0 when they share one,
// 0.5 when either has none.
double ClusterDiversity(absl::Span<const uint32_t> a,
                        absl::Span<const uint32_t> b);
double Policy(double cluster_diversity, bool across_regions, bool agreement);

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SCORING_SCORER_H_
