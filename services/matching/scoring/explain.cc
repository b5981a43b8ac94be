#include "services/matching/scoring/explain.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace jalin::matching {
namespace {

using matching::v1::LocalizedText;
using matching::v1::Match;

struct UnitWords {
  const char* id;
  const char* en;
};

UnitWords UnitName(int unit) {
  switch (unit) {
    case type::v1::GRAM:
      return {"gram", "g"};
    case type::v1::KILOGRAM:
      return {"kg", "kg"};
    case type::v1::QUINTAL:
      return {"kuintal", "quintals"};
    case type::v1::TON:
      return {"ton", "t"};
    case type::v1::MILLILITER:
      return {"ml", "ml"};
    case type::v1::LITER:
      return {"liter", "litres"};
    case type::v1::CUBIC_METER:
      return {"m³", "m³"};
    case type::v1::PIECE:
      return {"buah", "pieces"};
    case type::v1::DOZEN:
      return {"lusin", "dozen"};
    case type::v1::THOUSAND_PIECES:
      return {"ribu buah", "thousand pieces"};
    case type::v1::METER:
      return {"meter", "m"};
    case type::v1::SQUARE_METER:
      return {"m²", "m²"};
    case type::v1::HECTARE:
      return {"hektare", "ha"};
    case type::v1::HOUR:
      return {"jam", "hours"};
    case type::v1::SESSION:
      return {"sesi", "sessions"};
    case type::v1::PERSON_DAY:
      return {"hari orang kerja", "person-days"};
    default:
      return {"unit", "units"};
  }
}

UnitWords PeriodName(int period) {
  switch (period) {
    case type::v1::DAY:
      return {"/hari", "/day"};
    case type::v1::WEEK:
      return {"/minggu", "/week"};
    case type::v1::MONTH:
      return {"/bulan", "/month"};
    case type::v1::YEAR:
      return {"/tahun", "/year"};
    default:
      return {"", ""};
  }
}

std::string Number(double x) {
  if (std::fabs(x - std::round(x)) < 1e-9) return absl::StrFormat("%.0f", x);
  std::string s = absl::StrFormat("%.2f", x);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string Km(double km) { return absl::StrFormat("%.0f km", km); }

LocalizedText Text(std::string id, std::string en) {
  LocalizedText t;
  t.set_id(std::move(id));
  t.set_en(std::move(en));
  return t;
}

struct Parts {
  LocalizedText sentence;
  // Short phrases for the reason.
  std::string id_phrase;
  std::string en_phrase;
};

Parts CategoryParts(const MatchIndex& index, const Related& r, CategoryId offer,
                    CategoryId need) {
  const Taxonomy& t = index.taxonomy();
  const absl::string_view o_id = t.Label(offer, true);
  const absl::string_view o_en = t.Label(offer, false);
  const absl::string_view n_id = t.Label(need, true);
  const absl::string_view n_en = t.Label(need, false);
  switch (r.relation) {
    case Relation::kSame:
      return {Text(absl::StrCat("Kategori sama: ", o_id, "."),
                   absl::StrCat("Same category: ", o_en, ".")),
              absl::StrCat("kategori sama (", o_id, ")"),
              absl::StrCat("same category (", o_en, ")")};
    case Relation::kBroader:
      return {Text(absl::StrCat("Penawaran ", o_id, " mencakup kebutuhan ",
                                n_id, "."),
                   absl::StrCat("The offer of ", o_en, " includes the ", n_en,
                                " needed.")),
              absl::StrCat("kategori terkait (", o_id, ")"),
              absl::StrCat("related category (", o_en, ")")};
    case Relation::kNarrower:
      return {Text(absl::StrCat(o_id, " termasuk ", n_id, " yang dibutuhkan."),
                   absl::StrCat(o_en, " is a kind of the ", n_en, " needed.")),
              absl::StrCat("kategori terkait (", o_id, ")"),
              absl::StrCat("related category (", o_en, ")")};
    case Relation::kSupplyLink: {
      const SupplyLinkInfo& link = t.links()[r.link];
      std::string id = absl::StrCat(o_id, " adalah bahan baku atau masukan ",
                                    n_id, " (rantai pasok)");
      std::string en =
          absl::StrCat(o_en, " is an input of ", n_en, " (supply chain)");
      if (!link.description_id.empty()) {
        absl::StrAppend(&id, ": ", link.description_id);
      }
      if (!link.description_en.empty()) {
        absl::StrAppend(&en, ": ", link.description_en);
      }
      absl::StrAppend(&id, ".");
      absl::StrAppend(&en, ".");
      return {Text(std::move(id), std::move(en)),
              absl::StrCat(o_id, " bahan baku ", n_id),
              absl::StrCat(o_en, " is an input of ", n_en)};
    }
  }
  return {};
}

Parts DistanceParts(const MatchIndex& index, RegionId offer, RegionId need,
                    double km) {
  if (offer == need) {
    const std::string& name = RegionLabel(index, offer);
    return {Text(absl::StrCat("Berada di wilayah yang sama (", name, ")."),
                 absl::StrCat("In the same region (", name, ").")),
            "di wilayah yang sama", "in the same region"};
  }
  const std::string d = Km(km);
  return {
      Text(absl::StrCat("Jarak antarwilayah ", d, " (",
                        RegionLabel(index, offer), " – ",
                        RegionLabel(index, need), ")."),
           absl::StrCat(d, " between the regions (", RegionLabel(index, offer),
                        " – ", RegionLabel(index, need), ").")),
      absl::StrCat("berjarak ", d), absl::StrCat(d, " away")};
}

Parts SavedParts(const MatchIndex& index, const Side& need, double saved_km) {
  if (need.source_region == kNoRegion) {
    return {Text("Sumber pasokan saat ini tidak diketahui.",
                 "Where the need is supplied from today is not known."),
            "", ""};
  }
  const std::string& source = RegionLabel(index, need.source_region);
  const double source_km =
      index.grid().DistanceKm(need.source_region, need.region);
  if (saved_km <= 0) {
    return {Text(absl::StrCat("Tidak lebih dekat daripada sumber pasokan saat "
                              "ini di ",
                              source, " (", Km(source_km), ")."),
                 absl::StrCat("Not nearer than today's source in ", source,
                              " (", Km(source_km), " away).")),
            "", ""};
  }
  const std::string saved = Km(saved_km);
  const std::string today = Km(source_km);
  return {Text(absl::StrCat("Menghemat ", saved,
                            " dibanding pasokan saat ini dari ", source, " (",
                            today, ")."),
               absl::StrCat("Saves ", saved, " against today's source in ",
                            source, " (", today, " away).")),
          absl::StrCat("menghemat ", saved), absl::StrCat("saves ", saved)};
}

Parts CapacityParts(const MatchIndex& index, const Side& offer,
                    const Side& need, const std::optional<double>& coverage) {
  auto qty = [&](const Side& s, bool id) {
    return s.slot == kNoId
               ? std::string()
               : QuantityText(index.amount(s.slot), index.unit(s.slot),
                              index.period(s.slot), id);
  };
  if (!coverage) {
    return {Text("Jumlah tidak dapat dibandingkan (tidak diisi atau satuannya "
                 "berbeda).",
                 "Quantities cannot be compared (not given, or in different "
                 "units)."),
            "", ""};
  }
  const std::string pct = absl::StrFormat("%.0f%%", *coverage * 100);
  std::string o_id = qty(offer, true), o_en = qty(offer, false);
  std::string n_id = qty(need, true), n_en = qty(need, false);
  std::string id =
      absl::StrCat("Penawaran", o_id.empty() ? "" : " ", o_id, " memenuhi ",
                   pct, " kebutuhan", n_id.empty() ? "" : " ", n_id, ".");
  std::string en = absl::StrCat(
      "The offer", o_en.empty() ? "" : absl::StrCat(" (", o_en, ")"),
      " covers ", pct, " of the need",
      n_en.empty() ? "" : absl::StrCat(" (", n_en, ")"), ".");
  return {Text(std::move(id), std::move(en)),
          absl::StrCat("memenuhi ", pct, " kebutuhan"),
          absl::StrCat("covers ", pct, " of the need")};
}

Parts ReliabilityParts(const MatchIndex& index, const Side& offer,
                       int64_t deals) {
  std::vector<std::string> id, en;
  switch (offer.continuity) {
    case registry::v1::Listing::CONTINUOUS:
      id.push_back("pasokan berkelanjutan");
      en.push_back("continuous supply");
      break;
    case registry::v1::Listing::SEASONAL:
      id.push_back("pasokan musiman");
      en.push_back("seasonal supply");
      break;
    case registry::v1::Listing::ONE_OFF:
      id.push_back("pasokan sekali");
      en.push_back("one-off supply");
      break;
    default:
      id.push_back("kesinambungan pasokan tidak diketahui");
      en.push_back("continuity unknown");
  }
  const bool verified = offer.flags & kFlagVerified;
  const bool curated = offer.flags & kFlagCurated;
  id.push_back(verified ? "terverifikasi" : "belum terverifikasi");
  en.push_back(verified ? "verified" : "not verified");
  if (curated) {
    const std::string grade =
        offer.slot == kNoId ? "" : std::string(index.grade(offer.slot));
    id.push_back(grade.empty()
                     ? "produk terkurasi"
                     : absl::StrCat("produk terkurasi (grade ", grade, ")"));
    en.push_back(grade.empty()
                     ? "curated products"
                     : absl::StrCat("curated products (grade ", grade, ")"));
  }
  id.push_back(absl::StrCat(deals, " transaksi selesai"));
  en.push_back(
      absl::StrCat(deals, deals == 1 ? " completed deal" : " completed deals"));
  std::string id_phrase = absl::StrCat(
      "pemasok ", verified ? "terverifikasi" : "belum terverifikasi",
      curated ? " dan terkurasi" : "");
  std::string en_phrase =
      absl::StrCat(verified ? "a verified" : "an unverified",
                   curated ? ", curated" : "", " supplier");
  return {Text(absl::StrCat("Pemasok: ", absl::StrJoin(id, ", "), "."),
               absl::StrCat("Supplier: ", absl::StrJoin(en, ", "), ".")),
          std::move(id_phrase), std::move(en_phrase)};
}

Parts PolicyParts(double diversity, bool across_regions, bool agreement) {
  std::string c_id = diversity >= 1   ? "lintas klaster"
                     : diversity <= 0 ? "dalam klaster yang sama"
                                      : "tanpa klaster bersama";
  std::string c_en = diversity >= 1   ? "across clusters"
                     : diversity <= 0 ? "within one cluster"
                                      : "not both in clusters";
  std::string r_id = across_regions ? "lintas kabupaten/kota"
                                    : "dalam kabupaten/kota yang sama";
  std::string r_en = across_regions ? "across regions" : "within one region";
  std::string a_id = agreement ? "dengan MoU aktif antarwilayah"
                               : "belum ada MoU antarwilayah";
  std::string a_en = agreement ? "under an active agreement"
                               : "no agreement between the regions";
  std::string id_phrase =
      agreement ? absl::StrCat("kerja sama ", r_id, " dengan MoU aktif")
                : absl::StrCat("kerja sama ", c_id, " dan ", r_id);
  std::string en_phrase =
      agreement ? absl::StrCat("cooperation ", r_en, " under an agreement")
                : absl::StrCat("cooperation ", c_en, " and ", r_en);
  return {Text(absl::StrCat("Kerja sama ", c_id, ", ", r_id, ", ", a_id, "."),
               absl::StrCat("Cooperation ", c_en, ", ", r_en, ", ", a_en, ".")),
          std::move(id_phrase), std::move(en_phrase)};
}

Parts FeedbackParts(const FeedbackCounts& counts, double value) {
  if (counts.agreed + counts.declined == 0) {
    return {Text("Belum ada usulan serupa sebelumnya.",
                 "No similar proposals yet."),
            "", ""};
  }
  return {Text(absl::StrCat("Usulan serupa sebelumnya: ", counts.agreed,
                            " disepakati, ", counts.declined, " ditolak."),
               absl::StrCat("Similar proposals before: ", counts.agreed,
                            " agreed, ", counts.declined, " declined.")),
          value >= 0.5 ? "usulan serupa sering disepakati"
                       : "usulan serupa sering ditolak",
          value >= 0.5 ? "similar proposals were mostly agreed"
                       : "similar proposals were mostly declined"};
}

std::string JoinPhrases(absl::Span<const absl::string_view> p,
                        absl::string_view and_word, bool serial_comma) {
  if (p.empty()) return "";
  if (p.size() == 1) return std::string(p[0]);
  std::string out;
  for (size_t i = 0; i + 1 < p.size(); ++i) {
    absl::StrAppend(&out, i > 0 ? ", " : "", p[i]);
  }
  absl::StrAppend(&out, serial_comma && p.size() > 2 ? "," : "", " ", and_word,
                  " ", p.back());
  return out;
}

}  // namespace

std::string QuantityText(double amount, int unit, int period, bool indonesian) {
  if (!(amount > 0)) return "";
  const UnitWords u = UnitName(unit);
  const UnitWords p = PeriodName(period);
  return absl::StrCat(Number(amount), " ", indonesian ? u.id : u.en,
                      indonesian ? p.id : p.en);
}

std::string OwnerLabel(const MatchIndex& index, uint32_t owner) {
  absl::string_view display = index.owner_display_name(owner);
  return std::string(display.empty() ? index.owner_name(owner) : display);
}

const std::string& RegionLabel(const MatchIndex& index, RegionId region) {
  return index.grid().info(region).name;
}

Match ExplainMatch(const QueryContext& q, const Candidate& c) {
  const MatchIndex& index = q.index;
  const Side candidate = SideOf(index, c.slot);
  const bool query_is_need = q.query_is_need();
  const Side& offer = query_is_need ? candidate : q.query;
  const Side& need = query_is_need ? q.query : candidate;
  const Evaluation& e = c.eval;

  FeedbackCounts counts;
  {
    const PostingFacts p = MakePostingFacts(q, candidate.category, c.related);
    if (p.feedback != nullptr) {
      const RegionGrid& grid = index.grid();
      auto it = p.feedback->find(
          Signals::ProvincePair(grid.info(grid.province(offer.region)).code,
                                grid.info(grid.province(need.region)).code));
      if (it != p.feedback->end()) counts = it->second;
    }
  }

  std::array<Parts, kComponentCount> parts;
  parts[kCategory] =
      CategoryParts(index, *c.related, offer.category, need.category);
  parts[kDistance] =
      DistanceParts(index, offer.region, need.region, e.distance_km);
  parts[kDistanceSaved] = SavedParts(index, need, e.saved_km);
  parts[kCapacity] = CapacityParts(index, offer, need, e.coverage);
  parts[kReliability] = ReliabilityParts(index, offer, e.supplier_deals);
  parts[kPolicy] =
      PolicyParts(ClusterDiversity(q.query.clusters, candidate.clusters),
                  offer.region != need.region, e.agreement);
  parts[kFeedback] = FeedbackParts(counts, e.values[kFeedback]);

  Match m;
  *m.mutable_listing() = index.ToProto(c.slot);
  m.set_score(e.score);
  m.set_distance_km(e.distance_km);
  m.set_distance_saved_km(e.saved_km);
  std::vector<std::pair<double, int>> order;
  for (int i = 0; i < kComponentCount; ++i) {
    matching::v1::ScoreComponent* sc = m.add_components();
    sc->set_name(std::string(ComponentName(static_cast<Component>(i))));
    sc->set_value(e.values[i]);
    sc->set_weight(q.weights[i]);
    sc->set_contribution(e.values[i] * q.weights[i]);
    *sc->mutable_explanation() = std::move(parts[i].sentence);
    if (sc->contribution() > 0 && !parts[i].id_phrase.empty()) {
      order.emplace_back(sc->contribution(), i);
    }
  }
  // The strongest reasons first; ties in component order.
  std::stable_sort(
      order.begin(), order.end(),
      [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<absl::string_view> id, en;
  for (size_t i = 0; i < order.size() && i < 3; ++i) {
    id.push_back(parts[order[i].second].id_phrase);
    en.push_back(parts[order[i].second].en_phrase);
  }
  const std::string who = OwnerLabel(index, index.owner(c.slot));
  const std::string& where = RegionLabel(index, candidate.region);
  m.mutable_reason()->set_id(absl::StrCat(
      who, " di ", where, " cocok: ", JoinPhrases(id, "dan", true), "."));
  m.mutable_reason()->set_en(absl::StrCat(
      who, " in ", where, " fits: ", JoinPhrases(en, "and", false), "."));
  return m;
}

}  // namespace jalin::matching
