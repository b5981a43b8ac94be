#include "services/matching/report/channeling_report.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/util/time_util.h"
#include "services/matching/scoring/explain.h"
#include "services/matching/scoring/matcher.h"
#include "services/matching/scoring/pair.h"

namespace jalin::matching {
namespace {

using matching::v1::ChannelingReport;
using matching::v1::ClusterPair;
using matching::v1::Opportunity;

// Who stands for one side of an opportunity: a cluster, or the owner. Names
// are read from the index when the report is written, not copied.
struct Group {
  // A cluster id when is_cluster, else an owner id.
  uint32_t id = kNoId;
  RegionId region = kNoRegion;
  bool is_cluster = false;
};

absl::string_view NameOf(const MatchIndex& index, const Group& g) {
  return g.is_cluster ? absl::string_view(index.clusters()[g.id].name)
                      : index.owner_name(g.id);
}

// The cluster's display name, or the owner's (each falling back to the
// resource name).
absl::string_view DisplayOf(const MatchIndex& index, const Group& g) {
  if (g.is_cluster) {
    const ClusterRecord& rec = index.clusters()[g.id];
    return rec.display_name.empty() ? rec.name : rec.display_name;
  }
  return OwnerLabel(index, g.id);
}

struct Opp {
  Opportunity::Kind kind = Opportunity::LISTING_MATCH;
  uint32_t offer = kNoId;
  uint32_t need = kNoId;
  // Complementarity: the link and the two clusters.
  uint32_t link = kNoLink;
  uint32_t supplier_cluster = kNoId;
  uint32_t buyer_cluster = kNoId;
  double score = 0;
};

struct PairData {
  // GroupKey()s of the two sides.
  uint32_t supplier_key = kNoId;
  uint32_t buyer_key = kNoId;
  // Set once the pair is settled (from its strongest match) or, for a
  // complementarity, when it is found.
  Group supplier;
  Group buyer;
  std::vector<Opp> opps;
};

Group ClusterGroup(const MatchIndex& index, uint32_t c, RegionId fallback) {
  const ClusterRecord& rec = index.clusters()[c];
  Group g;
  g.id = c;
  g.region = rec.known && rec.region != kNoRegion ? rec.region : fallback;
  g.is_cluster = true;
  return g;
}

// The cluster that stands for a listing's side: one of its owner's clusters
// in the listing's region first, then any known one, then any; kNoId when
// the owner has none.
uint32_t PickCluster(const MatchIndex& index, uint32_t slot) {
  const RegionId region = index.region(slot);
  absl::Span<const uint32_t> clusters = index.owner_clusters(index.owner(slot));
  for (uint32_t c : clusters) {
    const ClusterRecord& rec = index.clusters()[c];
    if (rec.known && rec.region == region) return c;
  }
  for (uint32_t c : clusters) {
    if (index.clusters()[c].known) return c;
  }
  return clusters.empty() ? kNoId : clusters.front();
}

Group GroupOf(const MatchIndex& index, uint32_t slot) {
  const uint32_t pick = PickCluster(index, slot);
  const RegionId region = index.region(slot);
  if (pick != kNoId) return ClusterGroup(index, pick, region);
  Group g;
  g.id = index.owner(slot);
  g.region = region;
  return g;
}

// A group's key: a cluster id, or an owner id with kOwnerGroup set. One
// key per group name: a cluster's name is interned once, and an owner named
// as a cluster ("clusters/...") is a member of that cluster, so it never
// stands as an owner. Owner ids stay far below 2^31 (the owner table's
// names would pass its 4 GiB limit first).
constexpr uint32_t kOwnerGroup = 0x80000000u;

uint32_t GroupKey(const MatchIndex& index, uint32_t slot) {
  const uint32_t pick = PickCluster(index, slot);
  return pick != kNoId ? pick : (index.owner(slot) | kOwnerGroup);
}

absl::string_view KeyName(const MatchIndex& index, uint32_t key) {
  return (key & kOwnerGroup) != 0
             ? index.owner_name(key & ~kOwnerGroup)
             : absl::string_view(index.clusters()[key].name);
}

uint64_t PairKey(uint32_t supplier, uint32_t buyer) {
  return static_cast<uint64_t>(supplier) << 32 | buyer;
}

// A listing match as a search found it: the two listings, their groups
// (GroupKey) and the pair's score.
struct Hit {
  uint32_t offer;
  uint32_t need;
  uint32_t supplier;
  uint32_t buyer;
  double score;

  uint64_t listings() const {
    return static_cast<uint64_t>(offer) << 32 | need;
  }
};

// Runs `first` on `side` while `second` runs here, or both here, in turn,
// without a side thread.
void BothAtOnce(SideThread* side, absl::FunctionRef<void()> first,
                absl::FunctionRef<void()> second) {
  if (side == nullptr) {
    first();
    second();
    return;
  }
  side->RunBoth(first, second);
}

// Where to cut `items` into two runs of about the same total `weight`.
template <typename T, typename Weight>
size_t HalfWay(const std::vector<T>& items, Weight weight) {
  size_t total = 0;
  for (const T& x : items) total += weight(x);
  size_t i = 0;
  for (size_t sum = 0; i < items.size() && 2 * sum < total; ++i) {
    sum += weight(items[i]);
  }
  return i;
}

// Appends the pieces in turn (absl::StrAppend zero-fills the room it adds
// before copying, which shows in a report of many lines).
void Append(std::string* out, std::initializer_list<absl::string_view> pieces) {
  for (const absl::string_view piece : pieces) {
    out->append(piece.data(), piece.size());
  }
}

struct Verbs {
  const char* need_id;
  const char* need_en;
  const char* offer_id;
  const char* offer_en;
};

Verbs VerbsFor(uint8_t type, bool supply_link) {
  switch (type) {
    case registry::v1::SERVICE:
      return {"membutuhkan layanan", "needs services:", "dapat menyediakan",
              "can provide"};
    case registry::v1::KNOW_HOW:
      return {"membutuhkan pendampingan",
              "needs know-how:", "dapat memberikan pendampingan",
              "can offer know-how:"};
    case registry::v1::MARKET_ACCESS:
      return {"mencari akses pasar untuk", "looks for market access for",
              "dapat menampung dan memasarkan", "can take and sell"};
    default:
      return supply_link
                 ? Verbs{"kekurangan bahan baku",
                         "is short of raw "
                         "material:",
                         "dapat memasok", "can supply"}
                 : Verbs{"membutuhkan", "needs", "dapat memasok", "can supply"};
  }
}

// One side of a follow-up line, read from the index once for both
// languages: "UD Sehat (Klaster Jamu Nglorog) di Kabupaten Sragen" and
// "Jahe kering (2 ton/bulan)".
struct LineSide {
  LineSide(const MatchIndex& index, uint32_t slot, const Group& g)
      : region(RegionLabel(index, index.region(slot))),
        title(index.title(slot)),
        category(index.category(slot)),
        unit(index.unit(slot)),
        period(index.period(slot)) {
    // The owner, with its cluster when it is a member; the cluster alone
    // when the cluster posted the listing.
    const uint32_t owner = index.owner(slot);
    const absl::string_view display = DisplayOf(index, g);
    if (!g.is_cluster || index.owner_name(owner) == NameOf(index, g)) {
      who = display;
    } else {
      who = OwnerLabel(index, owner);
      member_of = display;
    }
    if (index.amount(slot) > 0) AppendNumber(index.amount(slot), &amount);
  }

  void AppendWho(std::string* out) const {
    out->append(who.data(), who.size());
    if (!member_of.empty()) Append(out, {" (", member_of, ")"});
  }

  // The title (or the category's label) and the quantity.
  void AppendWhat(const MatchIndex& index, bool indonesian,
                  std::string* out) const {
    const absl::string_view t =
        title.empty() ? index.taxonomy().Label(category, indonesian) : title;
    out->append(t.data(), t.size());
    if (!amount.empty()) {
      Append(out, {" (", amount});
      AppendUnitWords(unit, period, indonesian, out);
      out->push_back(')');
    }
  }

  absl::string_view who;
  absl::string_view member_of;
  const std::string& region;
  absl::string_view title;
  CategoryId category;
  // The amount's number ("2"), empty without one.
  std::string amount;
  int unit;
  int period;
};

// Writes the follow-up line of a listing match into `t`.
void ListingLine(const MatchIndex& index, const Opp& o, const Group& supplier,
                 const Group& buyer, double distance_km,
                 matching::v1::LocalizedText* t) {
  const Related* related =
      index.taxonomy().Relate(index.category(o.offer), index.category(o.need));
  const bool link =
      related != nullptr && related->relation == Relation::kSupplyLink;
  const Verbs v = VerbsFor(index.type(o.need), link);
  const LineSide need(index, o.need, buyer);
  const LineSide offer(index, o.offer, supplier);
  std::string km, score;
  AppendFixed(distance_km, 0, &km);
  AppendFixed(o.score, 2, &score);
  for (const bool indonesian : {true, false}) {
    std::string* out = indonesian ? t->mutable_id() : t->mutable_en();
    // One allocation for most lines, instead of one per doubling.
    out->reserve(256);
    need.AppendWho(out);
    Append(out, {indonesian ? " di " : " in ", need.region, " ",
                 indonesian ? v.need_id : v.need_en, " "});
    need.AppendWhat(index, indonesian, out);
    out->append("; ");
    offer.AppendWho(out);
    Append(out, {indonesian ? " di " : " in ", offer.region, " ",
                 indonesian ? v.offer_id : v.offer_en, " "});
    offer.AppendWhat(index, indonesian, out);
    if (indonesian) {
      Append(out, {" (jarak ", km, " km, skor ", score, ")."});
    } else {
      Append(out, {" (", km, " km apart, score ", score, ")."});
    }
  }
}

matching::v1::LocalizedText ComplementLine(const MatchIndex& index,
                                           const Opp& o) {
  const Taxonomy& t = index.taxonomy();
  const SupplyLinkInfo& link = t.links()[o.link];
  const ClusterRecord& s = index.clusters()[o.supplier_cluster];
  const ClusterRecord& b = index.clusters()[o.buyer_cluster];
  const std::string s_name = s.display_name.empty() ? s.name : s.display_name;
  const std::string b_name = b.display_name.empty() ? b.name : b.display_name;
  matching::v1::LocalizedText text;
  std::string id = absl::StrCat(
      b_name, " di ", RegionLabel(index, b.region), " (",
      t.Label(b.sector, true), ") memerlukan ", t.Label(link.input, true),
      " sebagai bahan baku ", t.Label(link.output, true), "; ", s_name, " di ",
      RegionLabel(index, s.region), " (", t.Label(s.sector, true),
      ") dapat memasok, belum ada penawaran atau kebutuhan yang terdaftar");
  std::string en = absl::StrCat(
      b_name, " in ", RegionLabel(index, b.region), " (",
      t.Label(b.sector, false), ") uses ", t.Label(link.input, false),
      " as an input of ", t.Label(link.output, false), "; ", s_name, " in ",
      RegionLabel(index, s.region), " (", t.Label(s.sector, false),
      ") could supply it, though no offer or need is posted yet");
  if (!link.description_id.empty())
    absl::StrAppend(&id, " (", link.description_id, ")");
  if (!link.description_en.empty())
    absl::StrAppend(&en, " (", link.description_en, ")");
  text.set_id(absl::StrCat(id, "."));
  text.set_en(absl::StrCat(en, "."));
  return text;
}

// The score of a complementarity: the components that exist without
// listings (category closeness through the link, distance, policy); the
// others count zero.
double ComplementScore(const MatchIndex& index, const Weights& w,
                       const SupplyLinkInfo& link, const ClusterRecord& s,
                       const ClusterRecord& b) {
  const Taxonomy& t = index.taxonomy();
  const int levels =
      std::max(0, t.node(s.sector).depth - t.node(link.input).depth) +
      std::max(0, t.node(b.sector).depth - t.node(link.output).depth);
  Side x, y;
  x.region = s.region;
  x.category = s.sector;
  y.region = b.region;
  y.category = b.sector;
  bool agreement = false;
  for (const AgreementRecord& a : index.agreements()) {
    if (AgreementCovers(index, a, x, y)) {
      agreement = true;
      break;
    }
  }
  std::array<double, kComponentCount> v = {};
  v[kCategory] = LinkCloseness(link.strength, levels);
  v[kDistance] = index.grid().DistanceValue(s.region, b.region);
  v[kPolicy] = Policy(1.0, s.region != b.region, agreement);
  return WeightedSum(w, v);
}

bool OppBefore(const MatchIndex& index, const Opp& a, const Opp& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.kind != b.kind) return a.kind < b.kind;
  if (a.kind == Opportunity::LISTING_MATCH) {
    if (a.offer != b.offer) return index.id(a.offer) < index.id(b.offer);
    return index.id(a.need) < index.id(b.need);
  }
  return index.taxonomy().links()[a.link].name <
         index.taxonomy().links()[b.link].name;
}

}  // namespace

ChannelingReport GenerateChannelingReport(const MatchIndex& index,
                                          const Signals& signals,
                                          const Weights& weights,
                                          const ReportOptions& options) {
  const RegionGrid& grid = index.grid();
  std::vector<RegionId> side_a = {options.region_a};
  std::vector<RegionId> side_b;
  for (RegionId r : grid.Members(options.region_b)) {
    if (r != options.region_a) side_b.push_back(r);
  }
  std::vector<bool> in_a(grid.size(), false);
  for (RegionId r : side_a) in_a[r] = true;
  std::vector<bool> in_b(grid.size(), false);
  for (RegionId r : side_b) in_b[r] = true;

  Signals::ReadLock lock(signals);
  // Each listing of one side with its best counterparts on the other,
  // bucket by bucket: the candidate buckets of a bucket's listings are the
  // same, so they are listed once. Each match comes with the groups of its
  // two sides. Reads only the index and the signals (under `lock`), so the
  // two directions can run at once.
  auto search = [&](const std::vector<RegionId>& from,
                    const std::vector<RegionId>& to, std::vector<Hit>* hits) {
    QueryOptions qo;
    qo.filter = RegionFilter::Make(grid, to);
    qo.now_seconds = options.now_seconds;
    size_t listings = 0;
    for (RegionId r : from) {
      for (uint32_t b : index.RegionBuckets(r)) {
        listings += index.bucket(b).entries.size();
      }
    }
    hits->reserve(listings * options.matches_per_listing);
    for (RegionId r : from) {
      for (uint32_t b : index.RegionBuckets(r)) {
        const Bucket& bucket = index.bucket(b);
        if (bucket.entries.empty()) continue;
        std::optional<CandidateBuckets> candidates;
        for (const Entry& e : bucket.entries) {
          QueryContext q(index, lock, weights, SideOf(index, bucket, e), qo);
          if (!candidates) candidates = ListBuckets(q);
          if (candidates->buckets.empty()) break;
          const SearchResult res =
              SearchBuckets(q, *candidates, options.matches_per_listing);
          if (res.matches.empty()) continue;
          const uint32_t own_group = GroupKey(index, e.slot);
          for (const Candidate& c : res.matches) {
            const uint32_t group = GroupKey(index, c.slot);
            hits->push_back(
                q.query_is_need()
                    ? Hit{c.slot, e.slot, group, own_group, c.eval.score}
                    : Hit{e.slot, c.slot, own_group, group, c.eval.score});
          }
        }
      }
    }
  };
  // A's listings are searched against B on the side thread while B's are
  // searched against A here: the search is most of a report's time. A pair
  // found from both sides counts once, with the score A's search gave it.
  std::vector<Hit> from_a, from_b;
  absl::flat_hash_set<uint64_t> found_from_a;
  if (!side_b.empty()) {
    BothAtOnce(
        options.side_thread,
        [&] {
          search(side_a, side_b, &from_a);
          found_from_a.reserve(from_a.size());
          for (const Hit& h : from_a) found_from_a.insert(h.listings());
        },
        [&] { search(side_b, side_a, &from_b); });
  }

  // Opportunities by (supplier, buyer) group. A pair of listing matches
  // takes its groups' regions from its strongest match (the first once
  // sorted), so that nothing depends on the order matches were found in.
  absl::flat_hash_map<uint64_t, uint32_t> pair_of;
  std::vector<PairData> pairs;
  auto pair_for = [&](uint32_t supplier, uint32_t buyer) -> PairData& {
    auto [it, added] = pair_of.try_emplace(PairKey(supplier, buyer),
                                           static_cast<uint32_t>(pairs.size()));
    if (added) {
      pairs.emplace_back();
      pairs.back().supplier_key = supplier;
      pairs.back().buyer_key = buyer;
    }
    return pairs[it->second];
  };
  auto add_hit = [&](const Hit& h) {
    Opp o;
    o.offer = h.offer;
    o.need = h.need;
    o.score = h.score;
    pair_for(h.supplier, h.buyer).opps.push_back(o);
  };
  for (const Hit& h : from_a) add_hit(h);
  for (const Hit& h : from_b) {
    if (!found_from_a.contains(h.listings())) add_hit(h);
  }

  // Cluster-level complementarity where no listing match joins the two.
  const Taxonomy& taxonomy = index.taxonomy();
  std::vector<uint32_t> clusters_a, clusters_b;
  for (uint32_t c = 0; c < index.clusters().size(); ++c) {
    const ClusterRecord& rec = index.clusters()[c];
    if (!rec.known || rec.region == kNoRegion || rec.sector == kNoCategory) {
      continue;
    }
    if (in_a[rec.region]) clusters_a.push_back(c);
    if (in_b[rec.region]) clusters_b.push_back(c);
  }
  auto complement = [&](const std::vector<uint32_t>& suppliers,
                        const std::vector<uint32_t>& buyers) {
    for (uint32_t sc : suppliers) {
      const ClusterRecord& s = index.clusters()[sc];
      for (uint32_t bc : buyers) {
        const ClusterRecord& b = index.clusters()[bc];
        if (pair_of.contains(PairKey(sc, bc))) continue;
        for (uint32_t l = 0; l < taxonomy.links().size(); ++l) {
          const SupplyLinkInfo& link = taxonomy.links()[l];
          if (link.strength <= 0 || !taxonomy.InSubtree(s.sector, link.input) ||
              !taxonomy.InSubtree(b.sector, link.output)) {
            continue;
          }
          Opp o;
          o.kind = Opportunity::COMPLEMENTARITY;
          o.link = l;
          o.supplier_cluster = sc;
          o.buyer_cluster = bc;
          o.score = ComplementScore(index, weights, link, s, b);
          PairData& p = pair_for(sc, bc);
          p.supplier = ClusterGroup(index, sc, s.region);
          p.buyer = ClusterGroup(index, bc, b.region);
          p.opps.push_back(o);
        }
      }
    }
  };
  complement(clusters_a, clusters_b);
  complement(clusters_b, clusters_a);

  // Each pair's opportunities in order, cut to max_per_pair; its strength
  // is its strongest's score.
  auto settle = [&](PairData& p) {
    std::sort(p.opps.begin(), p.opps.end(), [&](const Opp& a, const Opp& b) {
      return OppBefore(index, a, b);
    });
    if (static_cast<int>(p.opps.size()) > options.max_per_pair) {
      p.opps.resize(options.max_per_pair);
    }
    // A pair is all listing matches or all complementarity; the latter's
    // groups are its clusters, set when it was found.
    const Opp& strongest = p.opps.front();
    if (strongest.kind == Opportunity::LISTING_MATCH) {
      p.supplier = GroupOf(index, strongest.offer);
      p.buyer = GroupOf(index, strongest.need);
    }
  };

  // Settled in two runs, on the side thread and here, each pair on its
  // own: sorting them is a good part of what is left after the search.
  const size_t settle_half =
      HalfWay(pairs, [](const PairData& p) { return p.opps.size(); });
  BothAtOnce(
      options.side_thread,
      [&] {
        for (size_t i = settle_half; i < pairs.size(); ++i) settle(pairs[i]);
      },
      [&] {
        for (size_t i = 0; i < settle_half; ++i) settle(pairs[i]);
      });

  // Strongest pair first; equal strengths in (supplier, buyer) name order.
  struct Ranked {
    double strength;
    absl::string_view supplier;
    absl::string_view buyer;
    const PairData* data;
  };
  std::vector<Ranked> ranked;
  ranked.reserve(pairs.size());
  for (const PairData& p : pairs) {
    ranked.push_back({p.opps.front().score, KeyName(index, p.supplier_key),
                      KeyName(index, p.buyer_key), &p});
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.strength != b.strength) return a.strength > b.strength;
    if (a.supplier != b.supplier) return a.supplier < b.supplier;
    return a.buyer < b.buyer;
  });

  ChannelingReport report;
  report.set_region_a(grid.name(options.region_a));
  report.set_region_b(grid.name(options.region_b));
  *report.mutable_generate_time() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(options.now_seconds);
  // The pairs' messages are added here, then filled in two runs of pairs,
  // on the side thread and here: writing the lines is the largest part of
  // what is left. Neither run adds to or reads the other's messages.
  struct Counts {
    int a_to_b = 0;
    int b_to_a = 0;
  };
  auto write = [&](size_t begin, size_t end, Counts* counts) {
    for (size_t i = begin; i < end; ++i) {
      const PairData& p = *ranked[i].data;
      ClusterPair* cp = report.mutable_pairs(static_cast<int>(i));
      cp->set_supplier(std::string(NameOf(index, p.supplier)));
      cp->set_supplier_display_name(std::string(DisplayOf(index, p.supplier)));
      cp->set_supplier_region(grid.name(p.supplier.region));
      cp->set_buyer(std::string(NameOf(index, p.buyer)));
      cp->set_buyer_display_name(std::string(DisplayOf(index, p.buyer)));
      cp->set_buyer_region(grid.name(p.buyer.region));
      cp->set_strength(ranked[i].strength);
      cp->mutable_opportunities()->Reserve(static_cast<int>(p.opps.size()));
      for (const Opp& o : p.opps) {
        Opportunity* op = cp->add_opportunities();
        op->set_kind(o.kind);
        op->set_score(o.score);
        RegionId supplier_region;
        if (o.kind == Opportunity::LISTING_MATCH) {
          supplier_region = index.region(o.offer);
          const double km =
              grid.DistanceKm(supplier_region, index.region(o.need));
          op->set_distance_km(km);
          op->set_offer_listing(index.name(o.offer));
          op->set_need_listing(index.name(o.need));
          if (options.explain_matches) {
            // The match as the need sees its supplier.
            absl::StatusOr<matching::v1::Match> match = ScorePair(
                index, lock, weights, o.offer, o.need, options.now_seconds);
            if (match.ok()) *op->mutable_match() = *std::move(match);
          }
          ListingLine(index, o, p.supplier, p.buyer, km, op->mutable_text());
        } else {
          supplier_region = index.clusters()[o.supplier_cluster].region;
          op->set_distance_km(grid.DistanceKm(
              supplier_region, index.clusters()[o.buyer_cluster].region));
          op->set_supply_link(taxonomy.links()[o.link].name);
          *op->mutable_text() = ComplementLine(index, o);
        }
        const bool from_a = in_a[supplier_region];
        op->set_direction(from_a ? Opportunity::A_TO_B : Opportunity::B_TO_A);
        ++(from_a ? counts->a_to_b : counts->b_to_a);
      }
    }
  };
  report.mutable_pairs()->Reserve(static_cast<int>(ranked.size()));
  for (size_t i = 0; i < ranked.size(); ++i) report.add_pairs();
  const size_t write_half =
      HalfWay(ranked, [](const Ranked& r) { return r.data->opps.size(); });
  Counts first, second;
  BothAtOnce(
      options.side_thread, [&] { write(write_half, ranked.size(), &second); },
      [&] { write(0, write_half, &first); });
  report.set_a_to_b_count(first.a_to_b + second.a_to_b);
  report.set_b_to_a_count(first.b_to_a + second.b_to_a);
  report.set_opportunity_count(report.a_to_b_count() + report.b_to_a_count());
  return report;
}

}  // namespace jalin::matching
