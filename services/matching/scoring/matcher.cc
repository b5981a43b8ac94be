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

uint8_t CounterpartKind(uint8_t query_kind) {
  return query_kind == kNeed ? kOffer : kNeed;
}

struct BucketRef {
  double bound;
  uint32_t bucket;
  uint32_t posting;
  // Index into CandidateBuckets::buckets.
  uint32_t listed;
};

}  // namespace

bool RanksBefore(const MatchIndex& index, const Candidate& a,
                 const Candidate& b) {
  if (a.eval.score != b.eval.score) return a.eval.score > b.eval.score;
  return index.id(a.slot) < index.id(b.slot);
}

CandidateBuckets ListBuckets(const QueryContext& q) {
  CandidateBuckets out;
  const MatchIndex& index = q.index;
  const Taxonomy& taxonomy = index.taxonomy();
  const uint8_t kind = CounterpartKind(q.query.kind);
  const std::vector<Related>& related =
      q.query_is_need() ? taxonomy.OffersFor(q.query.category)
                        : taxonomy.NeedsFor(q.query.category);
  static const std::vector<RegionId> kAll;
  const std::vector<RegionId>& allowed =
      q.filter == nullptr ? kAll : q.filter->list;
  out.postings.reserve(related.size());
  for (const Related& r : related) {
    const uint32_t posting = static_cast<uint32_t>(out.postings.size());
    out.postings.push_back(MakePostingFacts(q, r.category, &r));
    for (uint8_t type : CompatibleTypes(q.query.type)) {
      absl::Span<const uint32_t> buckets =
          index.Posting(kind, type, r.category);
      if (buckets.empty()) continue;
      auto add = [&](uint32_t b) {
        const Bucket& bucket = index.bucket(b);
        if (!bucket.entries.empty() && q.RegionAllowed(bucket.region)) {
          out.buckets.emplace_back(b, posting);
        }
      };
      if (q.filter != nullptr && allowed.size() < buckets.size()) {
        for (RegionId region : allowed) {
          const uint32_t b = index.FindBucket(kind, type, r.category, region);
          if (b != kNoId) add(b);
        }
      } else {
        for (uint32_t b : buckets) add(b);
      }
    }
  }
  return out;
}

SearchResult SearchBuckets(const QueryContext& q,
                           const CandidateBuckets& candidates, int k) {
  SearchResult result;
  const MatchIndex& index = q.index;
  const RegionGrid& grid = index.grid();
  const BoundTable bounds(q);
  std::vector<double> posting_parts;
  posting_parts.reserve(candidates.postings.size());
  for (const PostingFacts& p : candidates.postings) {
    posting_parts.push_back(bounds.PostingPart(p));
  }
  std::vector<BucketRef> refs;
  refs.reserve(candidates.buckets.size());
  for (uint32_t i = 0; i < candidates.buckets.size(); ++i) {
    const auto& [b, posting] = candidates.buckets[i];
    const Bucket& bucket = index.bucket(b);
    if (bucket.entries.empty()) continue;
    if (q.radius_km > 0 &&
        grid.DistanceKm(bucket.region, q.query.region) > q.radius_km) {
      continue;
    }
    refs.push_back({bounds.Of(posting_parts[posting],
                              candidates.postings[posting], bucket),
                    b, posting, i});
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
    const PostingFacts& posting = candidates.postings[ref.posting];
    const Bucket& bucket = index.bucket(ref.bucket);
    const BucketFacts facts = MakeBucketFacts(q, posting, bucket.region);
    auto consider = [&](const Entry& e) {
      ++result.stats.candidates;
      Candidate c;
      if (!Evaluate(q, posting, facts, e, &c.eval)) return;
      if (!top.Admits(c.eval.score, e.slot)) return;
      c.slot = e.slot;
      c.related = posting.related;
      top.Offer(std::move(c));
    };
    if (candidates.order.empty()) {
      for (const Entry& e : bucket.entries) consider(e);
      continue;
    }
    // Highest entry bound first: once one is below the k-th best score,
    // so is every later one.
    const uint32_t* run =
        candidates.order.data() + candidates.order_at[ref.listed];
    for (size_t i = 0; i < bucket.entries.size(); ++i) {
      const Entry& e = bucket.entries[run[i]];
      if (top.full() &&
          bounds.OfEntry(ref.bound, bucket, e) < top.worst_score()) {
        break;
      }
      consider(e);
    }
  }
  result.matches = std::move(top).Sorted();
  return result;
}

namespace {

// Appends the positions of `bucket`'s entries, highest EntryOrderKey first;
// `keyed` is scratch space.
void AppendEntryOrder(const MatchIndex& index, const Bucket& bucket,
                      std::vector<std::pair<double, uint32_t>>* keyed,
                      std::vector<uint32_t>* out) {
  keyed->clear();
  for (uint32_t i = 0; i < bucket.entries.size(); ++i) {
    keyed->emplace_back(EntryOrderKey(index, bucket, bucket.entries[i]), i);
  }
  // Equal keys in entry order, so that the order depends only on the index.
  std::stable_sort(
      keyed->begin(), keyed->end(),
      [](const auto& x, const auto& y) { return x.first > y.first; });
  for (const auto& [key, i] : *keyed) out->push_back(i);
}

}  // namespace

void OrderEntries(const MatchIndex& index, CandidateBuckets* candidates,
                  EntryOrderCache* cache) {
  candidates->order.clear();
  candidates->order_at.clear();
  std::vector<std::pair<double, uint32_t>> keyed;
  for (const auto& [b, posting] : candidates->buckets) {
    const Bucket& bucket = index.bucket(b);
    candidates->order_at.push_back(
        static_cast<uint32_t>(candidates->order.size()));
    if (cache == nullptr) {
      AppendEntryOrder(index, bucket, &keyed, &candidates->order);
      continue;
    }
    auto [it, added] = cache->try_emplace(b);
    if (added) AppendEntryOrder(index, bucket, &keyed, &it->second);
    candidates->order.insert(candidates->order.end(), it->second.begin(),
                             it->second.end());
  }
}

SearchResult FindTopK(const QueryContext& q, int k) {
  return SearchBuckets(q, ListBuckets(q), k);
}

SearchResult BruteForceTopK(const QueryContext& q, int k) {
  SearchResult result;
  const MatchIndex& index = q.index;
  const Taxonomy& taxonomy = index.taxonomy();
  const uint8_t kind = CounterpartKind(q.query.kind);
  absl::flat_hash_map<CategoryId, PostingFacts> postings;
  TopK top(index, k);
  // Every listing, in memory order, each checked on its own.
  for (uint32_t b = 0; b < index.bucket_count(); ++b) {
    const Bucket& bucket = index.bucket(b);
    for (const Entry& e : bucket.entries) {
      ++result.stats.candidates;
      if (bucket.kind != kind || !TypesCompatible(q.query.type, bucket.type)) {
        continue;
      }
      const CategoryId category = bucket.category;
      const Related* related =
          q.query_is_need() ? taxonomy.Relate(category, q.query.category)
                            : taxonomy.Relate(q.query.category, category);
      if (related == nullptr) continue;
      if (!q.RegionAllowed(bucket.region)) continue;
      auto it = postings.find(category);
      if (it == postings.end()) {
        it = postings.emplace(category, MakePostingFacts(q, category, related))
                 .first;
      }
      const BucketFacts facts = MakeBucketFacts(q, it->second, bucket.region);
      Candidate c;
      if (!Evaluate(q, it->second, facts, e, &c.eval)) continue;
      c.slot = e.slot;
      c.related = related;
      top.Offer(std::move(c));
    }
  }
  result.matches = std::move(top).Sorted();
  return result;
}

}  // namespace jalin::matching
