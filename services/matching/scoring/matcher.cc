#include "services/matching/scoring/matcher.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace jalin::matching {
namespace {

// The k best candidates seen so far; the worst on top of a heap.
class TopK {
 public:
  TopK(const MatchIndex& index, int k) : index_(index), k_(k) {
    heap_.reserve(k);
  }

  bool full() const { return static_cast<int>(heap_.size()) >= k_; }
  double worst_score() const { return heap_.front().eval.score; }

  // Cheap test before building a candidate.
  bool Admits(double score, uint32_t slot) const {
    if (!full()) return true;
    const Candidate& w = heap_.front();
    if (score != w.eval.score) return score > w.eval.score;
    return index_.id(slot) < index_.id(w.slot);
  }

  void Offer(Candidate c) {
    auto before = [this](const Candidate& a, const Candidate& b) {
      return RanksBefore(index_, a, b);
    };
    if (!full()) {
      heap_.push_back(std::move(c));
      std::push_heap(heap_.begin(), heap_.end(), before);
      return;
    }
    if (!RanksBefore(index_, c, heap_.front())) return;
    std::pop_heap(heap_.begin(), heap_.end(), before);
    heap_.back() = std::move(c);
    std::push_heap(heap_.begin(), heap_.end(), before);
  }

  std::vector<Candidate> Sorted() && {
    std::sort(heap_.begin(), heap_.end(),
              [this](const Candidate& a, const Candidate& b) {
                return RanksBefore(index_, a, b);
              });
    return std::move(heap_);
  }

 private:
  const MatchIndex& index_;
  const int k_;
  std::vector<Candidate> heap_;
};

uint8_t CounterpartKind(const QueryContext& q) {
  return q.query_is_need() ? kOffer : kNeed;
}

const std::vector<Related>& RelatedCategories(const QueryContext& q) {
  const Taxonomy& t = q.index.taxonomy();
  return q.query_is_need() ? t.OffersFor(q.query.category)
                           : t.NeedsFor(q.query.category);
}

struct BucketRef {
  double bound;
  uint32_t bucket;
  uint32_t posting;
};

}  // namespace

bool RanksBefore(const MatchIndex& index, const Candidate& a,
                 const Candidate& b) {
  if (a.eval.score != b.eval.score) return a.eval.score > b.eval.score;
  return index.id(a.slot) < index.id(b.slot);
}

SearchResult FindTopK(const QueryContext& q, int k) {
  SearchResult result;
  const MatchIndex& index = q.index;
  const uint8_t kind = CounterpartKind(q);
  const std::vector<Related>& related = RelatedCategories(q);

  // Allowed regions as a list, when a filter is set.
  std::vector<RegionId> allowed;
  if (!q.allowed.empty()) {
    for (RegionId r = 0; r < q.allowed.size(); ++r) {
      if (q.allowed[r]) allowed.push_back(r);
    }
  }

  const BoundTable bounds(q);
  std::vector<PostingFacts> postings;
  std::vector<double> posting_parts;
  postings.reserve(related.size());
  posting_parts.reserve(related.size());
  std::vector<BucketRef> refs;
  const double radius = q.radius_km;
  const RegionGrid& grid = index.grid();
  auto consider = [&](uint32_t b, uint32_t posting) {
    const Bucket& bucket = index.bucket(b);
    if (bucket.slots.empty() || !q.RegionAllowed(bucket.region)) return;
    if (radius > 0 && grid.DistanceKm(bucket.region, q.query.region) > radius) {
      return;
    }
    refs.push_back({bounds.Of(posting_parts[posting], postings[posting],
                              bucket),
                    b, posting});
  };
  for (const Related& r : related) {
    const uint32_t posting = static_cast<uint32_t>(postings.size());
    postings.push_back(MakePostingFacts(q, r.category, &r));
    posting_parts.push_back(bounds.PostingPart(postings.back()));
    for (uint8_t type : CompatibleTypes(q.query.type)) {
      absl::Span<const uint32_t> buckets = index.Posting(kind, type, r.category);
      if (buckets.empty()) continue;
      if (!allowed.empty() && allowed.size() < buckets.size()) {
        for (RegionId region : allowed) {
          const uint32_t b = index.FindBucket(kind, type, r.category, region);
          if (b != kNoId) consider(b, posting);
        }
      } else {
        for (uint32_t b : buckets) consider(b, posting);
      }
    }
  }
  result.stats.buckets = static_cast<int64_t>(refs.size());

  auto lower_bound_first = [](const BucketRef& a, const BucketRef& b) {
    return a.bound < b.bound;
  };
  std::make_heap(refs.begin(), refs.end(), lower_bound_first);
  TopK top(index, k);
  while (!refs.empty()) {
    std::pop_heap(refs.begin(), refs.end(), lower_bound_first);
    const BucketRef ref = refs.back();
    refs.pop_back();
    // Every later bucket is bounded by this bound: nothing there can enter.
    if (top.full() && ref.bound < top.worst_score()) break;
    ++result.stats.buckets_visited;
    const PostingFacts& posting = postings[ref.posting];
    const Bucket& bucket = index.bucket(ref.bucket);
    const BucketFacts facts = MakeBucketFacts(q, posting, bucket.region);
    for (uint32_t slot : bucket.slots) {
      ++result.stats.candidates;
      Candidate c;
      if (!Evaluate(q, posting, facts, SideOf(index, slot), &c.eval)) {
        continue;
      }
      if (!top.Admits(c.eval.score, slot)) continue;
      c.slot = slot;
      c.related = posting.related;
      top.Offer(std::move(c));
    }
  }
  result.matches = std::move(top).Sorted();
  return result;
}

SearchResult BruteForceTopK(const QueryContext& q, int k) {
  SearchResult result;
  const MatchIndex& index = q.index;
  const Taxonomy& taxonomy = index.taxonomy();
  const uint8_t kind = CounterpartKind(q);
  absl::flat_hash_map<CategoryId, PostingFacts> postings;
  TopK top(index, k);
  for (uint32_t slot = 0; slot < index.slot_limit(); ++slot) {
    if (!index.live(slot)) continue;
    ++result.stats.candidates;
    if (index.kind(slot) != kind ||
        !TypesCompatible(q.query.type, index.type(slot))) {
      continue;
    }
    const CategoryId category = index.category(slot);
    const Related* related =
        q.query_is_need() ? taxonomy.Relate(category, q.query.category)
                          : taxonomy.Relate(q.query.category, category);
    if (related == nullptr) continue;
    const RegionId region = index.region(slot);
    if (!q.RegionAllowed(region)) continue;
    auto it = postings.find(category);
    if (it == postings.end()) {
      it = postings.emplace(category, MakePostingFacts(q, category, related))
               .first;
    }
    const BucketFacts facts = MakeBucketFacts(q, it->second, region);
    Candidate c;
    if (!Evaluate(q, it->second, facts, SideOf(index, slot), &c.eval)) {
      continue;
    }
    c.slot = slot;
    c.related = related;
    top.Offer(std::move(c));
  }
  result.matches = std::move(top).Sorted();
  return result;
}

}  // namespace jalin::matching
