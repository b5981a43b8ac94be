#include "services/matching/report/channeling_report.h"

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
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

// GroupOf(index, slot).name without copying it (it lives in the index).
absl::string_view GroupName(const MatchIndex& index, uint32_t slot) {
  const uint32_t pick = PickCluster(index, slot);
  if (pick != kNoId) return index.clusters()[pick].name;
  return index.owner_name(index.owner(slot));
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
    if (!member_of.empty()) absl::StrAppend(out, " (", member_of, ")");
  }

  // The title (or the category's label) and the quantity.
  void AppendWhat(const MatchIndex& index, bool indonesian,
                  std::string* out) const {
    const absl::string_view t =
        title.empty() ? index.taxonomy().Label(category, indonesian) : title;
    out->append(t.data(), t.size());
    if (!amount.empty()) {
      absl::StrAppend(out, " (", amount);
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
    absl::StrAppend(out, indonesian ? " di " : " in ", need.region, " ",
                    indonesian ? v.need_id : v.need_en, " ");
    need.AppendWhat(index, indonesian, out);
    out->append("; ");
    offer.AppendWho(out);
    absl::StrAppend(out, indonesian ? " di " : " in ", offer.region, " ",
                    indonesian ? v.offer_id : v.offer_en, " ");
    offer.AppendWhat(index, indonesian, out);
    if (indonesian) {
      absl::StrAppend(out, " (jarak ", km, " km, skor ", score, ").");
    } else {
      absl::StrAppend(out, " (", km, " km apart, score ", score, ").");
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
  using Found = absl::flat_hash_map<uint64_t, double>;
  // Each listing of one side with its best counterparts on the other,
  // bucket by bucket: the candidate buckets of a bucket's listings are the
  // same, so they are listed once. Reads only the index and the signals
  // (under `lock`), so the two directions can run at once.
  auto search = [&](const std::vector<RegionId>& from,
                    const std::vector<RegionId>& to, Found* found) {
    QueryOptions qo;
    qo.filter = RegionFilter::Make(grid, to);
    qo.now_seconds = options.now_seconds;
    size_t listings = 0;
    for (RegionId r : from) {
      for (uint32_t b : index.RegionBuckets(r)) {
        listings += index.bucket(b).entries.size();
      }
    }
    found->reserve(listings * options.matches_per_listing);
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
          for (const Candidate& c : res.matches) {
            const uint64_t key =
                q.query_is_need()
                    ? (static_cast<uint64_t>(c.slot) << 32 | e.slot)
                    : (static_cast<uint64_t>(e.slot) << 32 | c.slot);
            found->emplace(key, c.eval.score);
          }
        }
      }
    }
  };
  // (offer << 32 | need) -> score. A's listings are searched against B on
  // a second thread while B's are searched against A here: the search is
  // most of a report's time. A pair found from both sides counts once,
  // with the score A's search gave it, whichever thread ends first.
  Found found;
  if (!side_b.empty()) {
    Found from_b;
    std::thread a_to_b([&] { search(side_a, side_b, &found); });
    search(side_b, side_a, &from_b);
    a_to_b.join();
    for (const auto& [key, score] : from_b) found.emplace(key, score);
  }

  // Opportunities by (supplier, buyer) group name; the names live in the
  // index. A pair of listing matches takes its groups from its strongest
  // match (the first once sorted), so that nothing depends on hash order.
  // Each group name gets a number, and each listing's group is looked up
  // once: a pair is keyed by two numbers, not by hashing two names for
  // every opportunity.
  using PairKey = std::pair<absl::string_view, absl::string_view>;
  absl::flat_hash_map<absl::string_view, uint32_t> group_number;
  std::vector<absl::string_view> group_names;
  auto number_of = [&](absl::string_view name) {
    auto [it, added] = group_number.try_emplace(name, group_names.size());
    if (added) group_names.push_back(name);
    return it->second;
  };
  absl::flat_hash_map<uint32_t, uint32_t> slot_group;
  slot_group.reserve(found.size());
  auto group_of_slot = [&](uint32_t slot) {
    auto [it, added] = slot_group.try_emplace(slot, 0);
    if (added) it->second = number_of(GroupName(index, slot));
    return it->second;
  };
  auto pair_key = [](uint32_t supplier, uint32_t buyer) {
    return static_cast<uint64_t>(supplier) << 32 | buyer;
  };
  // (supplier number, buyer number) -> index into pairs.
  absl::flat_hash_map<uint64_t, size_t> pair_of;
  std::vector<PairData> pairs;
  std::vector<PairKey> keys;
  pairs.reserve(found.size());
  keys.reserve(found.size());
  for (const auto& [key, score] : found) {
    Opp o;
    o.offer = static_cast<uint32_t>(key >> 32);
    o.need = static_cast<uint32_t>(key & 0xFFFFFFFFu);
    o.score = score;
    const uint32_t supplier = group_of_slot(o.offer);
    const uint32_t buyer = group_of_slot(o.need);
    auto [it, added] =
        pair_of.try_emplace(pair_key(supplier, buyer), pairs.size());
    if (added) {
      pairs.emplace_back();
      keys.emplace_back(group_names[supplier], group_names[buyer]);
    }
    pairs[it->second].opps.push_back(o);
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
        const auto known_s = group_number.find(s.name);
        const auto known_b = group_number.find(b.name);
        if (known_s != group_number.end() && known_b != group_number.end() &&
            pair_of.contains(pair_key(known_s->second, known_b->second))) {
          continue;
        }
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
          auto [it, added] = pair_of.try_emplace(
              pair_key(number_of(s.name), number_of(b.name)), pairs.size());
          if (added) {
            pairs.emplace_back();
            keys.emplace_back(s.name, b.name);
            pairs.back().supplier = ClusterGroup(index, sc, s.region);
            pairs.back().buyer = ClusterGroup(index, bc, b.region);
          }
          pairs[it->second].opps.push_back(o);
        }
      }
    }
  };
  complement(clusters_a, clusters_b);
  complement(clusters_b, clusters_a);

  ChannelingReport report;
  report.set_region_a(grid.name(options.region_a));
  report.set_region_b(grid.name(options.region_b));
  *report.mutable_generate_time() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(options.now_seconds);

  // Strongest pair first; equal strengths in (supplier, buyer) name order.
  struct Ranked {
    double strength;
    const PairKey* key;
    const PairData* data;
  };
  std::vector<Ranked> ranked;
  ranked.reserve(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    PairData& p = pairs[i];
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
    ranked.push_back({p.opps.front().score, &keys[i], &p});
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.strength != b.strength) return a.strength > b.strength;
    return *a.key < *b.key;
  });

  int a_to_b = 0, b_to_a = 0, total = 0;
  for (const Ranked& r : ranked) {
    const PairData& p = *r.data;
    ClusterPair* cp = report.add_pairs();
    cp->set_supplier(std::string(NameOf(index, p.supplier)));
    cp->set_supplier_display_name(std::string(DisplayOf(index, p.supplier)));
    cp->set_supplier_region(grid.name(p.supplier.region));
    cp->set_buyer(std::string(NameOf(index, p.buyer)));
    cp->set_buyer_display_name(std::string(DisplayOf(index, p.buyer)));
    cp->set_buyer_region(grid.name(p.buyer.region));
    cp->set_strength(r.strength);
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
      (from_a ? a_to_b : b_to_a)++;
      ++total;
    }
  }
  report.set_opportunity_count(total);
  report.set_a_to_b_count(a_to_b);
  report.set_b_to_a_count(b_to_a);
  return report;
}

}  // namespace jalin::matching
