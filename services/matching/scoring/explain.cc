#include "services/matching/scoring/explain.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace jalin::matching {
namespace {

using matching::v1::LocalizedText;
using matching::v1::Match;

struct UnitWords {
  absl::string_view id;
  absl::string_view en;
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

std::string Km(double km) {
  std::string s;
  AppendFixed(km, 0, &s);
  s.append(" km");
  return s;
}

void SetText(LocalizedText* out, std::string id, std::string en) {
  out->set_id(std::move(id));
  out->set_en(std::move(en));
}

// Each component has a sentence (always written) and a short phrase for the
// reason (built only for the components the reason names). A phrase is
// empty when the component has nothing to say in the reason; Has*Phrase
// tells that without building it.

// --- Category -------------------------------------------------------------

struct CategoryLabels {
  absl::string_view o_id, o_en, n_id, n_en;
};

CategoryLabels LabelsOf(const MatchIndex& index, CategoryId offer,
                        CategoryId need) {
  const Taxonomy& t = index.taxonomy();
  return {t.Label(offer, true), t.Label(offer, false), t.Label(need, true),
          t.Label(need, false)};
}

bool KnownRelation(const Related& r) {
  switch (r.relation) {
    case Relation::kSame:
    case Relation::kBroader:
    case Relation::kNarrower:
    case Relation::kSupplyLink:
      return true;
  }
  return false;
}

void CategorySentence(const MatchIndex& index, const Related& r,
                      CategoryId offer, CategoryId need, LocalizedText* out) {
  const CategoryLabels l = LabelsOf(index, offer, need);
  switch (r.relation) {
    case Relation::kSame:
      SetText(out, absl::StrCat("Kategori sama: ", l.o_id, "."),
              absl::StrCat("Same category: ", l.o_en, "."));
      return;
    case Relation::kBroader:
      SetText(out,
              absl::StrCat("Penawaran ", l.o_id, " mencakup kebutuhan ", l.n_id,
                           "."),
              absl::StrCat("The offer of ", l.o_en, " includes the ", l.n_en,
                           " needed."));
      return;
    case Relation::kNarrower:
      SetText(out,
              absl::StrCat(l.o_id, " termasuk ", l.n_id, " yang dibutuhkan."),
              absl::StrCat(l.o_en, " is a kind of the ", l.n_en, " needed."));
      return;
    case Relation::kSupplyLink: {
      const SupplyLinkInfo& link = index.taxonomy().links()[r.link];
      std::string id = absl::StrCat(l.o_id, " adalah bahan baku atau masukan ",
                                    l.n_id, " (rantai pasok)");
      std::string en =
          absl::StrCat(l.o_en, " is an input of ", l.n_en, " (supply chain)");
      if (!link.description_id.empty()) {
        absl::StrAppend(&id, ": ", link.description_id);
      }
      if (!link.description_en.empty()) {
        absl::StrAppend(&en, ": ", link.description_en);
      }
      absl::StrAppend(&id, ".");
      absl::StrAppend(&en, ".");
      SetText(out, std::move(id), std::move(en));
      return;
    }
  }
  SetText(out, "", "");
}

void CategoryPhrase(const MatchIndex& index, const Related& r, CategoryId offer,
                    CategoryId need, std::string* id, std::string* en) {
  const CategoryLabels l = LabelsOf(index, offer, need);
  switch (r.relation) {
    case Relation::kSame:
      *id = absl::StrCat("kategori sama (", l.o_id, ")");
      *en = absl::StrCat("same category (", l.o_en, ")");
      return;
    case Relation::kBroader:
    case Relation::kNarrower:
      *id = absl::StrCat("kategori terkait (", l.o_id, ")");
      *en = absl::StrCat("related category (", l.o_en, ")");
      return;
    case Relation::kSupplyLink:
      *id = absl::StrCat(l.o_id, " bahan baku ", l.n_id);
      *en = absl::StrCat(l.o_en, " is an input of ", l.n_en);
      return;
  }
}

// --- Distance -------------------------------------------------------------

void DistanceSentence(const MatchIndex& index, RegionId offer, RegionId need,
                      double km, LocalizedText* out) {
  if (offer == need) {
    const std::string& name = RegionLabel(index, offer);
    SetText(out, absl::StrCat("Berada di wilayah yang sama (", name, ")."),
            absl::StrCat("In the same region (", name, ")."));
    return;
  }
  const std::string d = Km(km);
  SetText(
      out,
      absl::StrCat("Jarak antarwilayah ", d, " (", RegionLabel(index, offer),
                   " – ", RegionLabel(index, need), ")."),
      absl::StrCat(d, " between the regions (", RegionLabel(index, offer),
                   " – ", RegionLabel(index, need), ")."));
}

void DistancePhrase(RegionId offer, RegionId need, double km, std::string* id,
                    std::string* en) {
  if (offer == need) {
    *id = "di wilayah yang sama";
    *en = "in the same region";
    return;
  }
  const std::string d = Km(km);
  *id = absl::StrCat("berjarak ", d);
  *en = absl::StrCat(d, " away");
}

// --- Distance saved ---------------------------------------------------------

bool HasSavedPhrase(const Side& need, double saved_km) {
  return need.source_region != kNoRegion && saved_km > 0;
}

void SavedSentence(const MatchIndex& index, const Side& need, double saved_km,
                   LocalizedText* out) {
  if (need.source_region == kNoRegion) {
    SetText(out, "Sumber pasokan saat ini tidak diketahui.",
            "Where the need is supplied from today is not known.");
    return;
  }
  const std::string& source = RegionLabel(index, need.source_region);
  const std::string today =
      Km(index.grid().DistanceKm(need.source_region, need.region));
  if (saved_km <= 0) {
    SetText(out,
            absl::StrCat("Tidak lebih dekat daripada sumber pasokan saat "
                         "ini di ",
                         source, " (", today, ")."),
            absl::StrCat("Not nearer than today's source in ", source, " (",
                         today, " away)."));
    return;
  }
  const std::string saved = Km(saved_km);
  SetText(out,
          absl::StrCat("Menghemat ", saved, " dibanding pasokan saat ini dari ",
                       source, " (", today, ")."),
          absl::StrCat("Saves ", saved, " against today's source in ", source,
                       " (", today, " away)."));
}

void SavedPhrase(double saved_km, std::string* id, std::string* en) {
  const std::string saved = Km(saved_km);
  *id = absl::StrCat("menghemat ", saved);
  *en = absl::StrCat("saves ", saved);
}

// --- Capacity ---------------------------------------------------------------

std::string Percent(double coverage) {
  return absl::StrFormat("%.0f%%", coverage * 100);
}

void CapacitySentence(const MatchIndex& index, const Side& offer,
                      const Side& need, const std::optional<double>& coverage,
                      LocalizedText* out) {
  auto qty = [&](const Side& s, bool id) {
    return s.slot == kNoId
               ? std::string()
               : QuantityText(index.amount(s.slot), index.unit(s.slot),
                              index.period(s.slot), id);
  };
  if (!coverage) {
    SetText(out,
            "Jumlah tidak dapat dibandingkan (tidak diisi atau satuannya "
            "berbeda).",
            "Quantities cannot be compared (not given, or in different "
            "units).");
    return;
  }
  const std::string pct = Percent(*coverage);
  const std::string o_id = qty(offer, true), o_en = qty(offer, false);
  const std::string n_id = qty(need, true), n_en = qty(need, false);
  std::string id =
      absl::StrCat("Penawaran", o_id.empty() ? "" : " ", o_id, " memenuhi ",
                   pct, " kebutuhan", n_id.empty() ? "" : " ", n_id, ".");
  std::string en;
  en.reserve(96);
  en.append("The offer");
  if (!o_en.empty()) absl::StrAppend(&en, " (", o_en, ")");
  absl::StrAppend(&en, " covers ", pct, " of the need");
  if (!n_en.empty()) absl::StrAppend(&en, " (", n_en, ")");
  en.push_back('.');
  SetText(out, std::move(id), std::move(en));
}

void CapacityPhrase(double coverage, std::string* id, std::string* en) {
  const std::string pct = Percent(coverage);
  *id = absl::StrCat("memenuhi ", pct, " kebutuhan");
  *en = absl::StrCat("covers ", pct, " of the need");
}

// --- Reliability ------------------------------------------------------------

void ReliabilitySentence(const MatchIndex& index, const Side& offer,
                         int64_t deals, LocalizedText* out) {
  absl::string_view c_id, c_en;
  switch (offer.continuity) {
    case registry::v1::Listing::CONTINUOUS:
      c_id = "pasokan berkelanjutan";
      c_en = "continuous supply";
      break;
    case registry::v1::Listing::SEASONAL:
      c_id = "pasokan musiman";
      c_en = "seasonal supply";
      break;
    case registry::v1::Listing::ONE_OFF:
      c_id = "pasokan sekali";
      c_en = "one-off supply";
      break;
    default:
      c_id = "kesinambungan pasokan tidak diketahui";
      c_en = "continuity unknown";
  }
  const bool verified = offer.flags & kFlagVerified;
  const bool curated = offer.flags & kFlagCurated;
  std::string id, en;
  id.reserve(112);
  en.reserve(96);
  absl::StrAppend(&id, "Pemasok: ", c_id, ", ",
                  verified ? "terverifikasi" : "belum terverifikasi", ", ");
  absl::StrAppend(&en, "Supplier: ", c_en, ", ",
                  verified ? "verified" : "not verified", ", ");
  if (curated) {
    const absl::string_view grade =
        offer.slot == kNoId ? absl::string_view() : index.grade(offer.slot);
    if (grade.empty()) {
      absl::StrAppend(&id, "produk terkurasi, ");
      absl::StrAppend(&en, "curated products, ");
    } else {
      absl::StrAppend(&id, "produk terkurasi (grade ", grade, "), ");
      absl::StrAppend(&en, "curated products (grade ", grade, "), ");
    }
  }
  absl::StrAppend(&id, deals, " transaksi selesai.");
  absl::StrAppend(&en, deals,
                  deals == 1 ? " completed deal." : " completed deals.");
  SetText(out, std::move(id), std::move(en));
}

void ReliabilityPhrase(const Side& offer, std::string* id, std::string* en) {
  const bool verified = offer.flags & kFlagVerified;
  const bool curated = offer.flags & kFlagCurated;
  *id = absl::StrCat("pemasok ",
                     verified ? "terverifikasi" : "belum terverifikasi",
                     curated ? " dan terkurasi" : "");
  *en = absl::StrCat(verified ? "a verified" : "an unverified",
                     curated ? ", curated" : "", " supplier");
}

// --- Policy -----------------------------------------------------------------

struct PolicyWords {
  absl::string_view c_id, c_en, r_id, r_en;
};

PolicyWords PolicyWordsOf(double diversity, bool across_regions) {
  return {diversity >= 1   ? "lintas klaster"
          : diversity <= 0 ? "dalam klaster yang sama"
                           : "tanpa klaster bersama",
          diversity >= 1   ? "across clusters"
          : diversity <= 0 ? "within one cluster"
                           : "not both in clusters",
          across_regions ? "lintas kabupaten/kota"
                         : "dalam kabupaten/kota yang sama",
          across_regions ? "across regions" : "within one region"};
}

void PolicySentence(double diversity, bool across_regions, bool agreement,
                    LocalizedText* out) {
  const PolicyWords w = PolicyWordsOf(diversity, across_regions);
  SetText(out,
          absl::StrCat("Kerja sama ", w.c_id, ", ", w.r_id, ", ",
                       agreement ? "dengan MoU aktif antarwilayah"
                                 : "belum ada MoU antarwilayah",
                       "."),
          absl::StrCat("Cooperation ", w.c_en, ", ", w.r_en, ", ",
                       agreement ? "under an active agreement"
                                 : "no agreement between the regions",
                       "."));
}

void PolicyPhrase(double diversity, bool across_regions, bool agreement,
                  std::string* id, std::string* en) {
  const PolicyWords w = PolicyWordsOf(diversity, across_regions);
  if (agreement) {
    *id = absl::StrCat("kerja sama ", w.r_id, " dengan MoU aktif");
    *en = absl::StrCat("cooperation ", w.r_en, " under an agreement");
  } else {
    *id = absl::StrCat("kerja sama ", w.c_id, " dan ", w.r_id);
    *en = absl::StrCat("cooperation ", w.c_en, " and ", w.r_en);
  }
}

// --- Feedback ---------------------------------------------------------------

bool HasFeedbackPhrase(const FeedbackCounts& counts) {
  return counts.agreed + counts.declined != 0;
}

void FeedbackSentence(const FeedbackCounts& counts, LocalizedText* out) {
  if (!HasFeedbackPhrase(counts)) {
    SetText(out, "Belum ada usulan serupa sebelumnya.",
            "No similar proposals yet.");
    return;
  }
  SetText(out,
          absl::StrCat("Usulan serupa sebelumnya: ", counts.agreed,
                       " disepakati, ", counts.declined, " ditolak."),
          absl::StrCat("Similar proposals before: ", counts.agreed, " agreed, ",
                       counts.declined, " declined."));
}

void FeedbackPhrase(double value, std::string* id, std::string* en) {
  *id = value >= 0.5 ? "usulan serupa sering disepakati"
                     : "usulan serupa sering ditolak";
  *en = value >= 0.5 ? "similar proposals were mostly agreed"
                     : "similar proposals were mostly declined";
}

// Appends "a, b and c" (with "," before the last when `serial_comma` and
// there are more than two).
void AppendPhrases(absl::Span<const std::string> p, absl::string_view and_word,
                   bool serial_comma, std::string* out) {
  if (p.empty()) return;
  if (p.size() == 1) {
    absl::StrAppend(out, p[0]);
    return;
  }
  for (size_t i = 0; i + 1 < p.size(); ++i) {
    absl::StrAppend(out, i > 0 ? ", " : "", p[i]);
  }
  absl::StrAppend(out, serial_comma && p.size() > 2 ? "," : "", " ", and_word,
                  " ", p.back());
}

}  // namespace

void AppendFixed(double x, int decimals, std::string* out) {
  // printf's "%.Nf", without its format parsing: the same correctly
  // rounded digits.
  char buf[64];
  const std::to_chars_result r = std::to_chars(
      buf, buf + sizeof buf, x, std::chars_format::fixed, decimals);
  if (r.ec == std::errc()) {
    out->append(buf, r.ptr);
  } else {
    absl::StrAppend(out, absl::StrFormat("%.*f", decimals, x));
  }
}

void AppendNumber(double x, std::string* out) {
  if (std::fabs(x - std::round(x)) < 1e-9) {
    AppendFixed(x, 0, out);
    return;
  }
  const size_t start = out->size();
  AppendFixed(x, 2, out);
  while (out->size() > start && out->back() == '0') out->pop_back();
  if (out->size() > start && out->back() == '.') out->pop_back();
}

void AppendUnitWords(int unit, int period, bool indonesian, std::string* out) {
  const UnitWords u = UnitName(unit);
  const UnitWords p = PeriodName(period);
  const absl::string_view unit_word = indonesian ? u.id : u.en;
  const absl::string_view period_word = indonesian ? p.id : p.en;
  out->push_back(' ');
  out->append(unit_word.data(), unit_word.size());
  out->append(period_word.data(), period_word.size());
}

void AppendQuantity(double amount, int unit, int period, bool indonesian,
                    std::string* out) {
  if (!(amount > 0)) return;
  AppendNumber(amount, out);
  AppendUnitWords(unit, period, indonesian, out);
}

std::string QuantityText(double amount, int unit, int period, bool indonesian) {
  std::string out;
  AppendQuantity(amount, unit, period, indonesian, &out);
  return out;
}

absl::string_view OwnerLabel(const MatchIndex& index, uint32_t owner) {
  const absl::string_view display = index.owner_display_name(owner);
  return display.empty() ? index.owner_name(owner) : display;
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
  const double diversity =
      ClusterDiversity(q.query.clusters, candidate.clusters);
  const bool across_regions = offer.region != need.region;

  Match m;
  *m.mutable_listing() = index.ToProto(c.slot);
  m.set_score(e.score);
  m.set_distance_km(e.distance_km);
  m.set_distance_saved_km(e.saved_km);
  // Components that may be named in the reason, by contribution.
  std::array<std::pair<double, int>, kComponentCount> order;
  int named = 0;
  for (int i = 0; i < kComponentCount; ++i) {
    matching::v1::ScoreComponent* sc = m.add_components();
    const absl::string_view name = ComponentName(static_cast<Component>(i));
    sc->set_name(name.data(), name.size());
    sc->set_value(e.values[i]);
    sc->set_weight(q.weights[i]);
    sc->set_contribution(e.values[i] * q.weights[i]);
    LocalizedText* text = sc->mutable_explanation();
    bool has_phrase = true;
    switch (i) {
      case kCategory:
        CategorySentence(index, *c.related, offer.category, need.category,
                         text);
        has_phrase = KnownRelation(*c.related);
        break;
      case kDistance:
        DistanceSentence(index, offer.region, need.region, e.distance_km, text);
        break;
      case kDistanceSaved:
        SavedSentence(index, need, e.saved_km, text);
        has_phrase = HasSavedPhrase(need, e.saved_km);
        break;
      case kCapacity:
        CapacitySentence(index, offer, need, e.coverage, text);
        has_phrase = e.coverage.has_value();
        break;
      case kReliability:
        ReliabilitySentence(index, offer, e.supplier_deals, text);
        break;
      case kPolicy:
        PolicySentence(diversity, across_regions, e.agreement, text);
        break;
      case kFeedback:
        FeedbackSentence(counts, text);
        has_phrase = HasFeedbackPhrase(counts);
        break;
    }
    if (sc->contribution() > 0 && has_phrase) {
      order[named++] = {sc->contribution(), i};
    }
  }
  // The strongest reasons first; ties in component order.
  std::stable_sort(
      order.begin(), order.begin() + named,
      [](const auto& a, const auto& b) { return a.first > b.first; });
  const int shown = std::min(named, 3);
  std::array<std::string, 3> id, en;
  for (int k = 0; k < shown; ++k) {
    std::string* pid = &id[k];
    std::string* pen = &en[k];
    switch (order[k].second) {
      case kCategory:
        CategoryPhrase(index, *c.related, offer.category, need.category, pid,
                       pen);
        break;
      case kDistance:
        DistancePhrase(offer.region, need.region, e.distance_km, pid, pen);
        break;
      case kDistanceSaved:
        SavedPhrase(e.saved_km, pid, pen);
        break;
      case kCapacity:
        CapacityPhrase(*e.coverage, pid, pen);
        break;
      case kReliability:
        ReliabilityPhrase(offer, pid, pen);
        break;
      case kPolicy:
        PolicyPhrase(diversity, across_regions, e.agreement, pid, pen);
        break;
      case kFeedback:
        FeedbackPhrase(e.values[kFeedback], pid, pen);
        break;
    }
  }
  const absl::string_view who = OwnerLabel(index, index.owner(c.slot));
  const std::string& where = RegionLabel(index, candidate.region);
  // Reasons are appended piece by piece: room for most of them up front.
  std::string* reason_id = m.mutable_reason()->mutable_id();
  reason_id->reserve(192);
  absl::StrAppend(reason_id, who, " di ", where, " cocok: ");
  AppendPhrases(absl::MakeConstSpan(id.data(), shown), "dan", true, reason_id);
  reason_id->push_back('.');
  std::string* reason_en = m.mutable_reason()->mutable_en();
  reason_en->reserve(192);
  absl::StrAppend(reason_en, who, " in ", where, " fits: ");
  AppendPhrases(absl::MakeConstSpan(en.data(), shown), "and", false, reason_en);
  reason_en->push_back('.');
  return m;
}

}  // namespace jalin::matching
