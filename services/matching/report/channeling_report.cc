#include "services/matching/report/channeling_report.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/proto/wire_writer.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/matching/scoring/explain.h"
#include "services/matching/scoring/matcher.h"
#include "services/matching/scoring/pair.h"

namespace jalin::matching {
namespace {

using matching::v1::ChannelingReport;
using matching::v1::ClusterPair;
using matching::v1::LocalizedText;
using matching::v1::Opportunity;
using proto::WireWriter;

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
  // A listing match found by a query from B's side.
  bool from_b = false;
};

struct PairData {
  // GroupKey()s of the two sides.
  uint32_t supplier_key = kNoId;
  uint32_t buyer_key = kNoId;
  // The groups of those keys, placed once the pair is settled (in the
  // regions of its strongest match) or, for a complementarity, when it is
  // found.
  Group supplier;
  Group buyer;
  // The pair's opportunities: a run of an array its table keeps (the first
  // `count` of the run once settled).
  Opp* opps = nullptr;
  uint32_t count = 0;

  absl::Span<Opp> Opps() const { return absl::MakeSpan(opps, count); }
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

// A group's key: a cluster id, or an owner id with kOwnerGroup set. One
// key per group name: a cluster's name is interned once, and an owner named
// as a cluster ("clusters/...") is a member of that cluster, so it never
// stands as an owner. Owner ids stay far below 2^31 (the owner table's
// names would pass its 4 GiB limit first).
constexpr uint32_t kOwnerGroup = 0x80000000u;

// The key of the group that stands for a listing's side.
uint32_t GroupKey(const MatchIndex& index, uint32_t slot) {
  const uint32_t pick = PickCluster(index, slot);
  return pick != kNoId ? pick : (index.owner(slot) | kOwnerGroup);
}

// The group of `key`, placed in its cluster's region, or in
// `listing_region` (an owner, or a cluster of unknown region).
Group GroupOfKey(const MatchIndex& index, uint32_t key,
                 RegionId listing_region) {
  if ((key & kOwnerGroup) == 0) return ClusterGroup(index, key, listing_region);
  Group g;
  g.id = key & ~kOwnerGroup;
  g.region = listing_region;
  return g;
}

uint64_t PairKey(uint32_t supplier, uint32_t buyer) {
  return static_cast<uint64_t>(supplier) << 32 | buyer;
}

// Pairs by (supplier, buyer) key, with their opportunities in one array,
// pair by pair. Not thread-safe.
struct PairTable {
  absl::flat_hash_map<uint64_t, uint32_t> index;
  std::vector<PairData> pairs;
  std::vector<Opp> opps;

  // The position in `pairs` of the pair of the two keys, added if new.
  uint32_t Get(uint32_t supplier, uint32_t buyer) {
    auto [it, added] = index.try_emplace(PairKey(supplier, buyer),
                                         static_cast<uint32_t>(pairs.size()));
    if (added) {
      pairs.emplace_back();
      pairs.back().supplier_key = supplier;
      pairs.back().buyer_key = buyer;
    }
    return it->second;
  }
  bool Contains(uint32_t supplier, uint32_t buyer) const {
    return index.contains(PairKey(supplier, buyer));
  }
  // Takes in `other`'s pairs, which must have no key of this table's.
  void Absorb(PairTable&& other) {
    const auto offset = static_cast<uint32_t>(pairs.size());
    index.reserve(index.size() + other.index.size());
    for (const auto& [key, at] : other.index) index.emplace(key, offset + at);
    pairs.reserve(pairs.size() + other.pairs.size());
    for (PairData& p : other.pairs) pairs.push_back(std::move(p));
  }
};

// Which of two halves a pair's key falls in, for grouping on two workers.
size_t PairHalf(uint32_t supplier, uint32_t buyer) {
  return (supplier ^ buyer) & 1;
}

// A listing match as a search found it: the two listings, their groups
// (GroupKey) and the pair's score.
struct Hit {
  uint32_t offer;
  uint32_t need;
  uint32_t supplier;
  uint32_t buyer;
  double score;
  // Found by a query from B's side.
  bool from_b;
};

// side->ForEachChunk(n, chunk, fn), or all of [0, n) here as worker 0
// without a side thread.
void Chunks(SideThread* side, size_t n, size_t chunk,
            absl::FunctionRef<void(int worker, size_t begin, size_t end)> fn) {
  if (side == nullptr) {
    if (n > 0) fn(0, 0, n);
    return;
  }
  side->ForEachChunk(n, chunk, fn);
}

// fn(0) and fn(1), one on each worker (both here without a side thread).
void Halves(SideThread* side, absl::FunctionRef<void(size_t half)> fn) {
  Chunks(side, 2, 1, [&](int, size_t begin, size_t end) {
    for (size_t half = begin; half < end; ++half) fn(half);
  });
}

// Appends the pieces in turn (absl::StrAppend zero-fills the room it adds
// before copying, which shows in a report of many lines).
void Append(std::string* out, std::initializer_list<absl::string_view> pieces) {
  for (const absl::string_view piece : pieces) {
    out->append(piece.data(), piece.size());
  }
}

// Views, so that the lines copy them without measuring them each time.
struct Verbs {
  absl::string_view need_id;
  absl::string_view need_en;
  absl::string_view offer_id;
  absl::string_view offer_en;
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

// Writes the follow-up line of a listing match as the fields of a
// LocalizedText.
void ListingLine(const MatchIndex& index, const Opp& o, const Group& supplier,
                 const Group& buyer, double distance_km, WireWriter& w) {
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
    w.Begin(indonesian ? LocalizedText::kIdFieldNumber
                       : LocalizedText::kEnFieldNumber);
    std::string* out = w.out();
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
    w.End();
  }
}

// Writes the line of a complementarity as the fields of a LocalizedText.
void ComplementLine(const MatchIndex& index, const Opp& o, WireWriter& w) {
  const Taxonomy& t = index.taxonomy();
  const SupplyLinkInfo& link = t.links()[o.link];
  const ClusterRecord& s = index.clusters()[o.supplier_cluster];
  const ClusterRecord& b = index.clusters()[o.buyer_cluster];
  const std::string s_name = s.display_name.empty() ? s.name : s.display_name;
  const std::string b_name = b.display_name.empty() ? b.name : b.display_name;
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
  id.push_back('.');
  en.push_back('.');
  w.String(LocalizedText::kIdFieldNumber, id);
  w.String(LocalizedText::kEnFieldNumber, en);
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

EncodedReport GenerateChannelingReport(const MatchIndex& index,
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
  // same, so they are listed once. The buckets of both sides are shared out
  // between the two workers as they go (the search is most of a report's
  // time, and one side's listings may cost more than the other's); each
  // worker keeps its own matches, each with the groups of its two sides.
  // Reads only the index and the signals (under `lock`).
  QueryOptions towards_b, towards_a;
  towards_b.filter = RegionFilter::Make(grid, side_b);
  towards_a.filter = RegionFilter::Make(grid, side_a);
  towards_b.now_seconds = towards_a.now_seconds = options.now_seconds;
  struct QueryBucket {
    uint32_t bucket;
    bool from_b;
  };
  std::vector<QueryBucket> queries;
  size_t listings = 0;
  if (!side_b.empty()) {
    for (const bool from_b : {false, true}) {
      for (RegionId r : from_b ? side_b : side_a) {
        for (uint32_t b : index.RegionBuckets(r)) {
          const size_t n = index.bucket(b).entries.size();
          if (n == 0) continue;
          queries.push_back({b, from_b});
          listings += n;
        }
      }
    }
  }
  std::vector<Hit> hits[2];
  // Each worker's bucket orders: a candidate bucket is listed by every
  // query bucket of a related category, and ordered once.
  EntryOrderCache orders[2];
  Chunks(options.side_thread, queries.size(), 8,
         [&](int worker, size_t begin, size_t end) {
           std::vector<Hit>& out = hits[worker];
           if (out.capacity() == 0) {
             out.reserve(listings * options.matches_per_listing / 2);
           }
           for (size_t i = begin; i < end; ++i) {
             const QueryBucket& query = queries[i];
             const Bucket& bucket = index.bucket(query.bucket);
             const QueryOptions& qo = query.from_b ? towards_a : towards_b;
             std::optional<CandidateBuckets> candidates;
             for (const Entry& e : bucket.entries) {
               QueryContext q(index, lock, weights, SideOf(index, bucket, e),
                              qo);
               if (!candidates) {
                 // Listed and ordered once for all the bucket's listings.
                 candidates = ListBuckets(q);
                 OrderEntries(index, &*candidates, &orders[worker]);
               }
               if (candidates->buckets.empty()) break;
               const SearchResult res =
                   SearchBuckets(q, *candidates, options.matches_per_listing);
               if (res.matches.empty()) continue;
               const uint32_t own_group = GroupKey(index, e.slot);
               for (const Candidate& c : res.matches) {
                 const uint32_t group = GroupKey(index, c.slot);
                 out.push_back(q.query_is_need()
                                   ? Hit{c.slot, e.slot, group, own_group,
                                         c.eval.score, query.from_b}
                                   : Hit{e.slot, c.slot, own_group, group,
                                         c.eval.score, query.from_b});
               }
             }
           }
         });

  // Opportunities by (supplier, buyer) group; a pair of listings found from
  // both sides is in its group pair twice until settled. A pair of listing
  // matches takes its groups' regions from its strongest match (the first
  // once sorted), so that nothing depends on the order matches were found
  // in.
  // Grouped on both workers, each taking the pairs of half the keys (by
  // PairHalf), then joined; the order of `pairs` does not matter (they are
  // ranked by strength and names).
  // Each half counts its pairs' matches, then places each pair's run and
  // fills it: one array, not a vector per pair.
  PairTable halves[2];
  Halves(options.side_thread, [&](size_t half) {
    PairTable& table = halves[half];
    std::vector<uint32_t> pair_of;  // of each of the half's hits, in order
    pair_of.reserve((hits[0].size() + hits[1].size()) / 2 + 64);
    for (const std::vector<Hit>& found : hits) {
      for (const Hit& h : found) {
        if (PairHalf(h.supplier, h.buyer) != half) continue;
        const uint32_t at = table.Get(h.supplier, h.buyer);
        pair_of.push_back(at);
        ++table.pairs[at].count;
      }
    }
    table.opps.resize(pair_of.size());
    Opp* next = table.opps.data();
    for (PairData& p : table.pairs) {
      p.opps = next;
      next += p.count;
      p.count = 0;
    }
    const uint32_t* at = pair_of.data();
    for (const std::vector<Hit>& found : hits) {
      for (const Hit& h : found) {
        if (PairHalf(h.supplier, h.buyer) != half) continue;
        PairData& p = table.pairs[*at++];
        Opp& o = p.opps[p.count++];
        o.offer = h.offer;
        o.need = h.need;
        o.score = h.score;
        o.from_b = h.from_b;
      }
    }
  });
  PairTable& table = halves[0];
  table.Absorb(std::move(halves[1]));
  std::vector<PairData>& pairs = table.pairs;

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
  // Their runs are placed once all are found (the array may move until
  // then); a pair's are found together.
  std::vector<Opp> complements;
  std::vector<std::pair<uint32_t, size_t>> complement_runs;  // pair, first
  auto complement = [&](const std::vector<uint32_t>& suppliers,
                        const std::vector<uint32_t>& buyers) {
    for (uint32_t sc : suppliers) {
      const ClusterRecord& s = index.clusters()[sc];
      for (uint32_t bc : buyers) {
        const ClusterRecord& b = index.clusters()[bc];
        if (table.Contains(sc, bc)) continue;
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
          const uint32_t at = table.Get(sc, bc);
          PairData& p = pairs[at];
          if (p.count++ == 0) {
            p.supplier = ClusterGroup(index, sc, s.region);
            p.buyer = ClusterGroup(index, bc, b.region);
            complement_runs.push_back({at, complements.size()});
          }
          complements.push_back(o);
        }
      }
    }
  };
  complement(clusters_a, clusters_b);
  complement(clusters_b, clusters_a);
  for (const auto& [at, first] : complement_runs) {
    pairs[at].opps = complements.data() + first;
  }

  // Each pair's opportunities in order, cut to max_per_pair; its strength
  // is its strongest's score.
  auto settle = [&](PairData& p) {
    // A listing pair found from both sides has the same score either way
    // (the pair's), so its two copies are next to each other in this
    // order, A's first; each pair is in the first 2 * max_per_pair at most
    // twice, so those hold max_per_pair distinct ones when there are that
    // many. Only they are sorted.
    auto before = [&](const Opp& a, const Opp& b) {
      if (OppBefore(index, a, b)) return true;
      if (OppBefore(index, b, a)) return false;
      return a.from_b < b.from_b;
    };
    const uint32_t most =
        static_cast<uint32_t>(std::max(options.max_per_pair, 1));
    Opp* const first = p.opps;
    Opp* const window = first + std::min<size_t>(p.count, 2 * size_t{most});
    std::partial_sort(first, window, first + p.count, before);
    Opp* const last =
        std::unique(first, window, [](const Opp& a, const Opp& b) {
          return a.kind == Opportunity::LISTING_MATCH && a.offer == b.offer &&
                 a.need == b.need;
        });
    p.count = std::min(static_cast<uint32_t>(last - first), most);
    // A pair is all listing matches or all complementarity; the latter's
    // groups are its clusters, set when it was found.
    const Opp& strongest = p.opps[0];
    if (strongest.kind == Opportunity::LISTING_MATCH) {
      p.supplier =
          GroupOfKey(index, p.supplier_key, index.region(strongest.offer));
      p.buyer = GroupOfKey(index, p.buyer_key, index.region(strongest.need));
    }
  };

  // Strongest pair first; equal strengths in (supplier, buyer) name order.
  // Ranked before the pairs are settled, so that each is settled where it
  // is written: a pair's strength is its best score, whichever of its
  // listing pairs found twice counts (the score is the pair's, from either
  // side), and its groups' names come from their keys.
  struct Ranked {
    double strength;
    absl::string_view supplier;
    absl::string_view buyer;
    PairData* data;
  };
  auto before = [](const Ranked& a, const Ranked& b) {
    if (a.strength != b.strength) return a.strength > b.strength;
    if (a.supplier != b.supplier) return a.supplier < b.supplier;
    return a.buyer < b.buyer;
  };
  // Each worker ranks one half of the pairs; the halves are merged. The
  // order is total (names are unique per group), so it is the same however
  // the pairs were split.
  std::vector<Ranked> halves_ranked[2];
  const size_t middle = pairs.size() / 2;
  Halves(options.side_thread, [&](size_t half) {
    std::vector<Ranked>& out = halves_ranked[half];
    const size_t from = half == 0 ? 0 : middle;
    const size_t to = half == 0 ? middle : pairs.size();
    out.reserve(to - from);
    for (size_t i = from; i < to; ++i) {
      PairData& p = pairs[i];
      double strength = p.opps[0].score;
      for (const Opp& o : p.Opps()) strength = std::max(strength, o.score);
      out.push_back(
          {strength,
           NameOf(index, GroupOfKey(index, p.supplier_key, kNoRegion)),
           NameOf(index, GroupOfKey(index, p.buyer_key, kNoRegion)), &p});
    }
    std::sort(out.begin(), out.end(), before);
  });
  std::vector<Ranked> ranked(pairs.size());
  std::merge(halves_ranked[0].begin(), halves_ranked[0].end(),
             halves_ranked[1].begin(), halves_ranked[1].end(), ranked.begin(),
             before);

  // The report goes out as it is written: the wire bytes of a
  // ChannelingReport, its fields in number order, without building the
  // messages first (some 30,000 of them, 15 MiB of lines, that gRPC would
  // then copy once more to send). The pairs are settled and written on both
  // workers, a chunk of pairs into a piece of its own; the pieces join in
  // rank order. (Without a side thread the one worker writes every pair
  // into the first pair piece, and the others stay empty.)
  constexpr size_t kPairsPerPiece = 32;
  EncodedReport encoded;
  const size_t pair_pieces =
      (ranked.size() + kPairsPerPiece - 1) / kPairsPerPiece;
  encoded.pieces.resize(pair_pieces + 2);
  {
    WireWriter w(&encoded.pieces.front());
    w.String(ChannelingReport::kRegionAFieldNumber,
             grid.name(options.region_a));
    w.String(ChannelingReport::kRegionBFieldNumber,
             grid.name(options.region_b));
    w.Begin(ChannelingReport::kGenerateTimeFieldNumber);
    w.Int(google::protobuf::Timestamp::kSecondsFieldNumber,
          options.now_seconds);
    w.End();
  }
  struct Counts {
    int a_to_b = 0;
    int b_to_a = 0;
  };
  auto write_opportunity = [&](const PairData& p, const Opp& o, WireWriter& w,
                               Counts* counts) {
    RegionId supplier_region, buyer_region;
    if (o.kind == Opportunity::LISTING_MATCH) {
      supplier_region = index.region(o.offer);
      buyer_region = index.region(o.need);
    } else {
      supplier_region = index.clusters()[o.supplier_cluster].region;
      buyer_region = index.clusters()[o.buyer_cluster].region;
    }
    const bool from_a = in_a[supplier_region];
    ++(from_a ? counts->a_to_b : counts->b_to_a);
    const double km = grid.DistanceKm(supplier_region, buyer_region);
    w.Begin(ClusterPair::kOpportunitiesFieldNumber);
    w.Int(Opportunity::kKindFieldNumber, o.kind);
    w.Int(Opportunity::kDirectionFieldNumber,
          from_a ? Opportunity::A_TO_B : Opportunity::B_TO_A);
    if (o.kind == Opportunity::LISTING_MATCH) {
      w.Begin(Opportunity::kOfferListingFieldNumber);
      index.AppendName(o.offer, w.out());
      w.End();
      w.Begin(Opportunity::kNeedListingFieldNumber);
      index.AppendName(o.need, w.out());
      w.End();
      w.Double(Opportunity::kScoreFieldNumber, o.score);
      w.Begin(Opportunity::kTextFieldNumber);
      ListingLine(index, o, p.supplier, p.buyer, km, w);
      w.End();
      if (options.explain_matches) {
        // The match as the need sees its supplier.
        absl::StatusOr<matching::v1::Match> match = ScorePair(
            index, lock, weights, o.offer, o.need, options.now_seconds);
        if (match.ok()) {
          w.Message(Opportunity::kMatchFieldNumber, match->SerializeAsString());
        }
      }
    } else {
      w.String(Opportunity::kSupplyLinkFieldNumber,
               taxonomy.links()[o.link].name);
      w.Double(Opportunity::kScoreFieldNumber, o.score);
      w.Begin(Opportunity::kTextFieldNumber);
      ComplementLine(index, o, w);
      w.End();
    }
    w.Double(Opportunity::kDistanceKmFieldNumber, km);
    w.End();
  };
  auto write = [&](size_t begin, size_t end, std::string* piece,
                   Counts* counts) {
    size_t opportunities = 0;
    for (size_t i = begin; i < end; ++i) {
      settle(*ranked[i].data);
      opportunities += ranked[i].data->count;
    }
    // Room for the lines (about 560 bytes an opportunity, 2 KB more with
    // its explained match) at once, instead of a copy per doubling and up
    // to twice the bytes held until the report is sent.
    piece->reserve(opportunities * (options.explain_matches ? 2700 : 640));
    // The listings of the lines in the order they are written. Their
    // fields are scattered over an index of a million listings, so each
    // line waited on a dozen reads from memory in turn; instead, each
    // listing's reads are asked for in stages over the lines before its own
    // (MatchIndex::Prefetch).
    std::vector<uint32_t> listings;
    listings.reserve(2 * opportunities);
    for (size_t i = begin; i < end; ++i) {
      for (const Opp& o : ranked[i].data->Opps()) {
        if (o.kind != Opportunity::LISTING_MATCH) continue;
        listings.push_back(o.offer);
        listings.push_back(o.need);
      }
    }
    constexpr int kStages = MatchIndex::kPrefetchStages;
    // Hints for the listings `at` onwards, each stage one line further on
    // than the next.
    auto hint = [&](size_t at) {
      for (int stage = 0; stage < kStages; ++stage) {
        const size_t k = at + 2 * static_cast<size_t>(kStages - stage);
        if (k + 1 < listings.size()) {
          index.Prefetch(listings[k], stage);
          index.Prefetch(listings[k + 1], stage);
        }
      }
    };
    size_t written = 0;
    WireWriter w(piece);
    for (size_t i = begin; i < end; ++i) {
      const PairData& p = *ranked[i].data;
      w.Begin(ChannelingReport::kPairsFieldNumber);
      w.String(ClusterPair::kSupplierFieldNumber, NameOf(index, p.supplier));
      w.String(ClusterPair::kSupplierDisplayNameFieldNumber,
               DisplayOf(index, p.supplier));
      w.String(ClusterPair::kSupplierRegionFieldNumber,
               grid.name(p.supplier.region));
      w.String(ClusterPair::kBuyerFieldNumber, NameOf(index, p.buyer));
      w.String(ClusterPair::kBuyerDisplayNameFieldNumber,
               DisplayOf(index, p.buyer));
      w.String(ClusterPair::kBuyerRegionFieldNumber, grid.name(p.buyer.region));
      w.Double(ClusterPair::kStrengthFieldNumber, ranked[i].strength);
      for (const Opp& o : p.Opps()) {
        if (o.kind == Opportunity::LISTING_MATCH) {
          hint(written);
          written += 2;
        }
        write_opportunity(p, o, w, counts);
      }
      w.End();
    }
  };
  Counts counts[2];
  Chunks(options.side_thread, ranked.size(), kPairsPerPiece,
         [&](int worker, size_t begin, size_t end) {
           write(begin, end, &encoded.pieces[1 + begin / kPairsPerPiece],
                 &counts[worker]);
         });
  const int a_to_b = counts[0].a_to_b + counts[1].a_to_b;
  const int b_to_a = counts[0].b_to_a + counts[1].b_to_a;
  encoded.opportunity_count = a_to_b + b_to_a;
  WireWriter w(&encoded.pieces.back());
  w.Int(ChannelingReport::kOpportunityCountFieldNumber,
        encoded.opportunity_count);
  w.Int(ChannelingReport::kAToBCountFieldNumber, a_to_b);
  w.Int(ChannelingReport::kBToACountFieldNumber, b_to_a);
  return encoded;
}

size_t EncodedReport::ByteSize() const {
  size_t n = 0;
  for (const std::string& piece : pieces) n += piece.size();
  return n;
}

std::string EncodedReport::Bytes() const {
  std::string bytes;
  bytes.reserve(ByteSize());
  for (const std::string& piece : pieces) bytes += piece;
  return bytes;
}

absl::StatusOr<ChannelingReport> EncodedReport::Decode() const {
  ChannelingReport report;
  if (!report.ParseFromString(Bytes())) {
    return absl::InternalError("an encoded channeling report does not parse");
  }
  return report;
}

}  // namespace jalin::matching
