#include "services/matching/scoring/scorer.h"

#include <algorithm>
#include <limits>

namespace jalin::matching {
namespace {

// Margin added to bounds so that rounding never makes a bound fall below a
// score it must cover.
constexpr double kBoundMargin = 1e-9;

constexpr uint8_t kGoods[] = {registry::v1::GOODS};
constexpr uint8_t kServiceOrKnowHow[] = {registry::v1::SERVICE,
                                         registry::v1::KNOW_HOW};
constexpr uint8_t kMarketAccess[] = {registry::v1::MARKET_ACCESS};

}  // namespace

absl::string_view ComponentName(Component c) {
  switch (c) {
    case kCategory:
      return "category";
    case kDistance:
      return "distance";
    case kDistanceSaved:
      return "distance_saved";
    case kCapacity:
      return "capacity";
    case kReliability:
      return "reliability";
    case kPolicy:
      return "policy";
    case kFeedback:
      return "feedback";
    default:
      return "";
  }
}

absl::Span<const uint8_t> CompatibleTypes(uint8_t type) {
  switch (type) {
    case registry::v1::GOODS:
      return kGoods;
    case registry::v1::SERVICE:
    case registry::v1::KNOW_HOW:
      return kServiceOrKnowHow;
    case registry::v1::MARKET_ACCESS:
      return kMarketAccess;
    default:
      return {};
  }
}

bool TypesCompatible(uint8_t a, uint8_t b) {
  for (uint8_t t : CompatibleTypes(a)) {
    if (t == b) return true;
  }
  return false;
}

double ContinuityFactor(uint8_t continuity) {
  switch (continuity) {
    case registry::v1::Listing::CONTINUOUS:
      return 1.0;
    case registry::v1::Listing::SEASONAL:
      return 0.6;
    case registry::v1::Listing::ONE_OFF:
      return 0.3;
    default:
      return 0.2;
  }
}

double StaticReliability(uint8_t continuity, uint8_t flags) {
  return 0.3 * ContinuityFactor(continuity) +
         0.2 * ((flags & kFlagCurated) ? 1.0 : 0.0) +
         0.3 * ((flags & kFlagVerified) ? 1.0 : 0.0);
}

double Reliability(uint8_t continuity, uint8_t flags, double deals_factor) {
  return StaticReliability(continuity, flags) + 0.2 * deals_factor;
}

double ClusterDiversity(absl::Span<const uint32_t> a,
                        absl::Span<const uint32_t> b) {
  if (a.empty() || b.empty()) return 0.5;
  for (uint32_t x : a) {
    for (uint32_t y : b) {
      if (x == y) return 0.0;
    }
  }
  return 1.0;
}

double Policy(double cluster_diversity, bool across_regions, bool agreement) {
  return 0.3 * cluster_diversity + 0.3 * (across_regions ? 1.0 : 0.0) +
         0.4 * (agreement ? 1.0 : 0.0);
}

Side SideOf(const MatchIndex& index, const Bucket& b, const Entry& e) {
  Side s;
  s.slot = e.slot;
  s.kind = b.kind;
  s.type = b.type;
  s.category = b.category;
  s.region = b.region;
  s.owner_key = index.owner_key(e.owner);
  s.clusters = index.owner_clusters(e.owner);
  s.owner_certs = e.owner_certs;
  s.required_certs = e.required_certs;
  s.continuity = e.continuity();
  s.flags = e.flags();
  s.radius_km = e.radius_km;
  s.source_region = e.source_region;
  s.amount = Normalize(e.amount, static_cast<type::v1::Unit>(e.unit),
                       static_cast<type::v1::Period>(e.period));
  s.valid_until = e.valid_until;
  return s;
}

Side SideOf(const MatchIndex& index, uint32_t slot) {
  return SideOf(index, index.bucket_of(slot), index.entry(slot));
}

bool AgreementCovers(const MatchIndex& index, const AgreementRecord& a,
                     const Side& x, const Side& y) {
  if (!a.categories.empty()) {
    const Taxonomy& t = index.taxonomy();
    bool sector = false;
    for (CategoryId c : a.categories) {
      if (t.InSubtree(x.category, c) || t.InSubtree(y.category, c)) {
        sector = true;
        break;
      }
    }
    if (!sector) return false;
  }
  const RegionGrid& grid = index.grid();
  const size_t n = a.regions.size() + a.owners.size();
  auto covers = [&](size_t i, const Side& s) {
    if (i < a.regions.size()) return grid.Contains(a.regions[i], s.region);
    return s.owner_key != 0 && a.owners[i - a.regions.size()] == s.owner_key;
  };
  for (size_t i = 0; i < n; ++i) {
    if (!covers(i, x)) continue;
    for (size_t j = 0; j < n; ++j) {
      if (j != i && covers(j, y)) return true;
    }
  }
  return false;
}

AgreementView::AgreementView(const MatchIndex& index, const Side& query) {
  const RegionGrid& grid = index.grid();
  const Taxonomy& t = index.taxonomy();
  for (const AgreementRecord& a : index.agreements()) {
    const size_t n = a.regions.size() + a.owners.size();
    std::vector<size_t> covering;
    for (size_t i = 0; i < a.regions.size(); ++i) {
      if (grid.Contains(a.regions[i], query.region)) covering.push_back(i);
    }
    for (size_t i = 0; i < a.owners.size(); ++i) {
      if (query.owner_key != 0 && a.owners[i] == query.owner_key) {
        covering.push_back(a.regions.size() + i);
      }
    }
    if (covering.empty()) continue;
    bool unrestricted = a.categories.empty();
    for (CategoryId c : a.categories) {
      if (t.InSubtree(query.category, c)) unrestricted = true;
    }
    // Party j may cover the candidate when some party other than j covers
    // the query.
    auto usable = [&](size_t j) {
      return covering.size() > 1 || covering.front() != j;
    };
    if (state_.empty()) state_.assign(grid.size(), kNone);
    for (size_t j = 0; j < n; ++j) {
      if (!usable(j)) continue;
      if (j >= a.regions.size()) {
        any_owner_party_ = true;
        continue;
      }
      const RegionId area = a.regions[j];
      auto mark = [&](RegionId r) {
        if (unrestricted) {
          state_[r] = kYes;
        } else if (state_[r] == kNone) {
          state_[r] = kMaybe;
        }
      };
      mark(area);
      for (RegionId r : grid.Members(area)) mark(r);
    }
  }
}

bool AgreementView::Covers(const MatchIndex& index, const Side& query,
                           RegionId region, CategoryId category,
                           uint64_t owner_key) const {
  const uint8_t st = state_.empty() ? kNone : state_[region];
  if (st == kYes) return true;
  if (st == kNone && !any_owner_party_) return false;
  Side candidate;
  candidate.region = region;
  candidate.category = category;
  candidate.owner_key = owner_key;
  for (const AgreementRecord& a : index.agreements()) {
    if (AgreementCovers(index, a, query, candidate)) return true;
  }
  return false;
}

std::shared_ptr<const RegionFilter> RegionFilter::Make(
    const RegionGrid& grid, absl::Span<const RegionId> areas) {
  auto f = std::make_shared<RegionFilter>();
  f->mask.assign(grid.size(), false);
  for (RegionId area : areas) {
    if (area == kNoRegion) continue;
    for (RegionId r : grid.Members(area)) {
      if (!f->mask[r]) f->list.push_back(r);
      f->mask[r] = true;
    }
  }
  std::sort(f->list.begin(), f->list.end());
  return f;
}

QueryContext::QueryContext(const MatchIndex& index,
                           const Signals::ReadLock& signals,
                           const Weights& weights, Side query,
                           const QueryOptions& options)
    : index(index),
      signals(signals),
      weights(weights),
      query(std::move(query)),
      now_seconds(options.now_seconds) {
  radius_km = options.radius_km > 0 ? options.radius_km : this->query.radius_km;
  if (options.filter != nullptr) {
    filter = options.filter.get();
  } else if (!options.regions.empty()) {
    owned_filter = RegionFilter::Make(index.grid(), options.regions);
    filter = owned_filter.get();
  }
  if (!index.agreements().empty()) {
    agreements = AgreementView(index, this->query);
  }
  max_deals_factor = signals.MaxDealsFactor();
  if (!query_is_need()) {
    query_reliability =
        Reliability(this->query.continuity, this->query.flags,
                    DealsFactor(this->query.owner_key == 0
                                    ? 0
                                    : signals.Deals(this->query.owner_key)));
  }
}

PostingFacts MakePostingFacts(const QueryContext& q, CategoryId candidate,
                              const Related* related) {
  PostingFacts p;
  p.candidate_category = candidate;
  p.related = related;
  const Taxonomy& t = q.index.taxonomy();
  const CategoryId offer = q.query_is_need() ? candidate : q.query.category;
  const CategoryId need = q.query_is_need() ? q.query.category : candidate;
  p.feedback = q.signals.ForGroups(t.node(t.Group(offer)).name,
                                   t.node(t.Group(need)).name);
  return p;
}

BucketFacts MakeBucketFacts(const QueryContext& q, const PostingFacts& p,
                            RegionId region) {
  const RegionGrid& grid = q.index.grid();
  BucketFacts b;
  b.region = region;
  b.distance_km = grid.DistanceKm(region, q.query.region);
  b.distance_value = grid.DistanceValue(region, q.query.region);
  if (q.query_is_need() && q.query.source_region != kNoRegion) {
    const double source_km =
        grid.DistanceKm(q.query.source_region, q.query.region);
    b.saved_km = std::max(0.0, source_km - b.distance_km);
    b.saved_value = source_km > 0 ? b.saved_km / source_km : 0.0;
  }
  if (p.feedback != nullptr) {
    const RegionId offer_region = q.query_is_need() ? region : q.query.region;
    const RegionId need_region = q.query_is_need() ? q.query.region : region;
    auto it = p.feedback->find(Signals::ProvincePair(
        grid.province_number(offer_region), grid.province_number(need_region)));
    if (it != p.feedback->end()) b.feedback_value = FeedbackValue(it->second);
  }
  b.across_regions = region != q.query.region;
  return b;
}

BoundTable::BoundTable(const QueryContext& q) : q_(q) {
  const RegionGrid& grid = q.index.grid();
  const Weights& w = q.weights;
  const bool need = q.query_is_need();
  const double source_km =
      need && q.query.source_region != kNoRegion
          ? grid.DistanceKm(q.query.source_region, q.query.region)
          : 0;
  auto part = [&](RegionId r) {
    const double km = grid.DistanceKm(r, q.query.region);
    double saved = 0;
    if (source_km > 0) saved = std::max(0.0, source_km - km) / source_km;
    return w[kDistance] * grid.DistanceValue(r, q.query.region) +
           w[kDistanceSaved] * saved +
           w[kPolicy] *
               Policy(1.0, r != q.query.region, q.agreements.Possible(r));
  };
  // Only allowed regions are ever asked for.
  if (q.filter == nullptr) {
    region_.resize(grid.size());
    for (RegionId r = 0; r < grid.size(); ++r) region_[r] = part(r);
  } else if (q.filter->list.size() <= kFewRegions) {
    for (RegionId r : q.filter->list) few_.emplace_back(r, part(r));
  } else {
    region_.resize(grid.size());
    for (RegionId r : q.filter->list) region_[r] = part(r);
  }
  for (uint8_t c = 0; c < 4; ++c) {
    for (uint8_t f = 0; f < 4; ++f) {
      reliability_[c][f] =
          w[kReliability] * Reliability(c, f, q.max_deals_factor);
    }
  }
}

double BoundTable::PostingPart(const PostingFacts& p) const {
  const Weights& w = q_.weights;
  double part = w[kCategory] * p.related->closeness + w[kCapacity] * 1.0;
  if (!q_.query_is_need()) part += w[kReliability] * q_.query_reliability;
  if (p.feedback == nullptr) part += w[kFeedback] * 0.5;
  return part;
}

double BoundTable::RegionPart(RegionId r) const {
  if (!region_.empty()) return region_[r];
  for (const auto& [region, part] : few_) {
    if (region == r) return part;
  }
  // Not an allowed region: never asked for, and no bound prunes it.
  return std::numeric_limits<double>::infinity();
}

double BoundTable::Of(double posting_part, const PostingFacts& p,
                      const Bucket& bucket) const {
  double ub = posting_part + RegionPart(bucket.region);
  if (q_.query_is_need()) {
    ub += reliability_[bucket.max_continuity & 3][bucket.any_flags & 3];
  } else if (bucket.max_source_km > 0) {
    // A need's saving grows with its source's distance: the longest one in
    // the bucket bounds it (1 km slack absorbs the float it is kept in).
    ub += SavedPart(bucket, bucket.max_source_km);
  }
  if (p.feedback != nullptr) {
    const RegionGrid& grid = q_.index.grid();
    const RegionId offer = q_.query_is_need() ? bucket.region : q_.query.region;
    const RegionId need = q_.query_is_need() ? q_.query.region : bucket.region;
    double fb = 0.5;
    auto it = p.feedback->find(Signals::ProvincePair(
        grid.province_number(offer), grid.province_number(need)));
    if (it != p.feedback->end()) fb = FeedbackValue(it->second);
    ub += q_.weights[kFeedback] * fb;
  }
  return ub + kBoundMargin;
}

namespace {

// A need's source distance as the bucket keeps its largest (a float).
float SourceKm(const MatchIndex& index, const Bucket& bucket, const Entry& e) {
  return e.source_region == kNoRegion
             ? 0.0f
             : static_cast<float>(
                   index.grid().DistanceKm(e.source_region, bucket.region));
}

}  // namespace

double BoundTable::SavedPart(const Bucket& bucket, float source_km) const {
  const double km = q_.index.grid().DistanceKm(bucket.region, q_.query.region);
  return q_.weights[kDistanceSaved] *
         std::max(0.0, 1.0 - km / (source_km + 1.0));
}

double BoundTable::OfEntry(double bucket_bound, const Bucket& bucket,
                           const Entry& e) const {
  if (q_.query_is_need()) {
    return bucket_bound -
           reliability_[bucket.max_continuity & 3][bucket.any_flags & 3] +
           reliability_[e.continuity()][e.flags()];
  }
  if (bucket.max_source_km <= 0) return bucket_bound;
  return bucket_bound - SavedPart(bucket, bucket.max_source_km) +
         SavedPart(bucket, SourceKm(q_.index, bucket, e));
}

double EntryOrderKey(const MatchIndex& index, const Bucket& bucket,
                     const Entry& e) {
  return bucket.kind == kOffer ? StaticReliability(e.continuity(), e.flags())
                               : SourceKm(index, bucket, e);
}

bool Evaluate(const QueryContext& q, const PostingFacts& p,
              const BucketFacts& b, const Entry& e, Evaluation* out) {
  if (e.valid_until != 0 && e.valid_until <= q.now_seconds) return false;
  const MatchIndex& index = q.index;
  const uint64_t owner_key = index.owner_key(e.owner);
  if (q.query.owner_key != 0 && owner_key == q.query.owner_key) return false;
  const bool query_is_need = q.query_is_need();
  const uint16_t required =
      query_is_need ? q.query.required_certs : e.required_certs;
  const uint16_t held = query_is_need ? e.owner_certs : q.query.owner_certs;
  if ((required & ~held) != 0) return false;
  if (q.radius_km > 0 && b.distance_km > q.radius_km) return false;
  if (e.radius_km > 0 && b.distance_km > e.radius_km) return false;
  if (!q.RegionAllowed(b.region)) return false;

  std::array<double, kComponentCount>& v = out->values;
  v[kCategory] = p.related->closeness;
  v[kDistance] = b.distance_value;
  if (query_is_need) {
    out->saved_km = b.saved_km;
    v[kDistanceSaved] = b.saved_value;
  } else if (e.source_region != kNoRegion) {
    const double source_km = index.grid().DistanceKm(e.source_region, b.region);
    out->saved_km = std::max(0.0, source_km - b.distance_km);
    v[kDistanceSaved] = source_km > 0 ? out->saved_km / source_km : 0.0;
  } else {
    out->saved_km = 0;
    v[kDistanceSaved] = 0;
  }
  // Coverage of the need by the offer, after normalisation.
  std::optional<NormalizedAmount> amount;
  if (e.dimension != Dimension::kNone) {
    amount.emplace();
    amount->dimension = e.dimension;
    amount->amount = e.normalized;
  }
  out->coverage = query_is_need ? Coverage(amount, q.query.amount)
                                : Coverage(q.query.amount, amount);
  v[kCapacity] = out->coverage ? *out->coverage : 0.5;
  if (query_is_need) {
    out->supplier_deals = q.signals.Deals(owner_key);
    v[kReliability] = Reliability(e.continuity(), e.flags(),
                                  DealsFactor(out->supplier_deals));
  } else {
    out->supplier_deals =
        q.query.owner_key == 0 ? 0 : q.signals.Deals(q.query.owner_key);
    v[kReliability] = q.query_reliability;
  }
  out->agreement = q.agreements.Covers(index, q.query, b.region,
                                       p.candidate_category, owner_key);
  v[kPolicy] =
      Policy(ClusterDiversity(q.query.clusters, index.owner_clusters(e.owner)),
             b.across_regions, out->agreement);
  v[kFeedback] = b.feedback_value;
  out->distance_km = b.distance_km;
  out->score = WeightedSum(q.weights, v);
  return true;
}

}  // namespace jalin::matching
