#include "tools/datagen/generator.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "tools/datagen/people.h"
#include "tools/datagen/rng.h"
#include "tools/datagen/sector_knowledge.h"
#include "tools/jalinctl/proto_text.h"

namespace jalin::datagen {
namespace {

using ctl::RecordType;
using registry::v1::Cluster;
using registry::v1::Enterprise;
using registry::v1::ImportRecord;
using registry::v1::Listing;
using registry::v1::Partner;

// Provinces on Java: where needs are often supplied from today.
constexpr const char* kJavaProvinces[] = {"31", "32", "33", "34", "35", "36"};

// 3742 -> 3700, 0.374 -> 0.37: two significant digits.
double Nice(double x) {
  if (x <= 0) return 0;
  const int exponent = static_cast<int>(std::floor(std::log10(x))) - 1;
  if (exponent >= 0) {
    const double p = std::pow(10.0, exponent);
    return std::round(x / p) * p;
  }
  const double inverse = std::pow(10.0, -exponent);
  return std::round(x * inverse) / inverse;
}

int64_t NicePrice(double x) {
  const int64_t step = x < 100000 ? 500 : x < 1000000 ? 5000 : 50000;
  return std::max<int64_t>(step,
                           static_cast<int64_t>(std::round(x / step)) * step);
}

std::string Lower(const std::string& label) {
  if (label.empty()) return label;
  std::string out = label;
  // Keep acronyms ("BSF") as they are; lower the first word otherwise.
  if (out.size() > 1 && absl::ascii_isupper(out[1])) return out;
  out[0] = absl::ascii_tolower(out[0]);
  return out;
}

// "Karanganyar" from "Kabupaten Karanganyar".
std::string PlaceName(const regions::RegionInfo& region) {
  std::string name = region.name;
  for (const char* prefix : {"Kabupaten ", "Kota "}) {
    if (absl::StartsWith(name, prefix)) return name.substr(strlen(prefix));
  }
  return name;
}

registry::v1::CategoryKind KindOf(const TaxonomyCategory& c) {
  if (c.kind == "SERVICE") return registry::v1::SERVICE;
  if (c.kind == "KNOW_HOW") return registry::v1::KNOW_HOW;
  if (c.kind == "MARKET_ACCESS") return registry::v1::MARKET_ACCESS;
  return registry::v1::GOODS;
}

struct ClusterPlan {
  std::string external_id;
  std::string sector;
  bool speciality = false;
  std::string village;
  std::string display_name;
  int enterprises = 0;
  int member_count = 0;
};

// What a listing says, before it becomes a record.
struct ListingSpec {
  Listing::Kind kind = Listing::OFFER;
  std::string owner;  // external id
  std::string category;
  std::string title;
  std::string description;
  // Amounts at cluster (true) or enterprise (false) size.
  bool cluster_size = true;
  Listing::Continuity continuity = Listing::CONTINUOUS;
  bool with_price = false;
  std::vector<type::v1::CertificationKind> certifications;
  double radius_km = 0;
  std::string source_region;
};

// Generates one region. Not thread-safe; lives for one region.
class RegionGenerator {
 public:
  RegionGenerator(const Taxonomy& taxonomy, const regions::RegionTable& table,
                  const GeneratorOptions& options,
                  const regions::RegionInfo& region, RecordSink* sink,
                  GeneratorCounts* counts)
      : taxonomy_(taxonomy),
        table_(table),
        options_(options),
        region_(region),
        sink_(sink),
        counts_(counts),
        rng_(Rng::For(options.seed, absl::StrCat("region/", region.code))),
        growth_(std::sqrt(std::max(options.scale, 0.0))),
        city_(region.level == regions::Level::kCity) {}

  absl::Status Run() {
    std::vector<ClusterPlan> clusters = PlanClusters();
    for (const ClusterPlan& c : clusters) {
      if (absl::Status s = WriteCluster(c); !s.ok()) return s;
    }
    if (absl::Status s = WritePartners(); !s.ok()) return s;
    for (const ClusterPlan& c : clusters) {
      if (absl::Status s = WriteClusterListings(c); !s.ok()) return s;
      for (int i = 0; i < c.enterprises; ++i) {
        if (absl::Status s = WriteEnterprise(c); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  }

 private:
  const TaxonomyCategory& Category(const std::string& id) const {
    return *taxonomy_.Find(id);
  }

  std::vector<ClusterPlan> PlanClusters() {
    std::vector<std::pair<std::string, bool>> sectors;
    for (const std::string& s : SpecialitiesOf(region_.code)) {
      if (taxonomy_.Find(s) != nullptr) sectors.emplace_back(s, true);
    }
    const int base = city_ ? static_cast<int>(rng_.Int(3, 5))
                           : static_cast<int>(rng_.Int(6, 9));
    const int total =
        std::max<int>(static_cast<int>(sectors.size()),
                      static_cast<int>(std::lround(base * growth_)));
    const std::vector<SectorChoice> pool = SectorPool(taxonomy_);
    std::vector<double> weights;
    for (const SectorChoice& c : pool) weights.push_back(c.weight);
    while (static_cast<int>(sectors.size()) < total && !pool.empty()) {
      sectors.emplace_back(pool[rng_.Weighted(weights)].category, false);
    }
    std::vector<ClusterPlan> plans;
    for (const auto& [sector, speciality] : sectors) {
      ClusterPlan p;
      p.external_id = absl::StrFormat("KL-%s-%03d", region_.code,
                                      static_cast<int>(plans.size()) + 1);
      p.sector = sector;
      p.speciality = speciality;
      p.village = MakeVillage(rng_);
      p.display_name = absl::StrCat("Klaster ", ShortLabel(Category(sector)),
                                    " ", p.village);
      double size = rng_.Int(12, 30) * growth_ * (speciality ? 1.5 : 1.0) *
                    (city_ ? 0.7 : 1.0) *
                    (options_.scale < 1 ? std::sqrt(options_.scale) : 1.0);
      p.enterprises = std::max(1, static_cast<int>(std::lround(size)));
      p.member_count =
          p.enterprises +
          static_cast<int>(rng_.Int(p.enterprises / 2, p.enterprises * 3));
      plans.push_back(std::move(p));
    }
    return plans;
  }

  type::v1::GeoPoint Near() {
    type::v1::GeoPoint p;
    p.set_latitude(Nice4(region_.latitude + rng_.Real(-0.06, 0.06)));
    p.set_longitude(Nice4(region_.longitude + rng_.Real(-0.06, 0.06)));
    return p;
  }
  static double Nice4(double v) { return std::round(v * 10000) / 10000; }

  void SetLocation(type::v1::Location* l, const std::string& village) {
    l->set_region(absl::StrCat("regions/", region_.code));
    l->set_address(absl::StrCat("Desa ", village, ", ", region_.name));
    *l->mutable_point() = Near();
  }

  std::vector<registry::v1::ValueChainRole> RolesOf(const std::string& sector) {
    std::vector<registry::v1::ValueChainRole> roles;
    const TaxonomyCategory& c = Category(sector);
    if (c.kind == "SERVICE" || c.kind == "KNOW_HOW") {
      roles.push_back(registry::v1::SERVICE_PROVIDER);
      return roles;
    }
    const bool has_inputs = !taxonomy_.InputsOf(sector).empty();
    if (taxonomy_.IsInput(sector) || !has_inputs) {
      roles.push_back(has_inputs ? registry::v1::PRODUCER
                                 : registry::v1::RAW_MATERIAL_SUPPLIER);
    } else {
      roles.push_back(registry::v1::PRODUCER);
    }
    if (has_inputs && taxonomy_.IsInput(sector) &&
        roles[0] != registry::v1::RAW_MATERIAL_SUPPLIER) {
      roles.push_back(registry::v1::RAW_MATERIAL_SUPPLIER);
    }
    if (!MarketChannelsOf(taxonomy_, sector).empty() && rng_.Chance(0.3)) {
      roles.push_back(registry::v1::MARKETER);
    }
    return roles;
  }

  absl::Status Emit(RecordType type, const std::string& external_id,
                    ImportRecord* record) {
    record->set_external_id(external_id);
    record->set_version(options_.version);
    return sink_->Write(type, *record);
  }

  absl::Status WriteCluster(const ClusterPlan& p) {
    ImportRecord record;
    Cluster* c = record.mutable_cluster();
    c->set_display_name(p.display_name);
    SetLocation(c->mutable_location(), p.village);
    c->set_sector(ctl::CategoryName(p.sector));
    for (auto role : RolesOf(p.sector)) c->add_roles(role);
    c->set_member_count(p.member_count);
    Person leader = MakePerson(rng_, /*with_email=*/true);
    c->mutable_leader()->set_display_name(leader.name);
    c->mutable_leader()->set_role("Ketua klaster");
    c->mutable_leader()->set_phone(leader.phone);
    c->mutable_leader()->set_email(leader.email);
    const std::string label = Lower(Category(p.sector).label_id);
    c->set_description(absl::StrCat(
        "Klaster ", label, " di Desa ", p.village, ", ", region_.name,
        ". Beranggotakan ", p.member_count, " pelaku usaha",
        p.speciality ? ", salah satu sentra unggulan daerah." : "."));
    ++counts_->clusters;
    return Emit(RecordType::kCluster, p.external_id, &record);
  }

  // A category to offer for a sector: the sector or one of its leaves.
  std::string ProductOf(const std::string& sector) {
    const TaxonomyCategory* c = &Category(sector);
    if (!c->children.empty() && rng_.Chance(0.6)) {
      c = &Category(rng_.Pick(c->children));
    }
    return c->id;
  }

  std::string SourceRegion() {
    std::vector<const regions::RegionInfo*> far;
    for (const char* p : kJavaProvinces) {
      if (p == region_.province_code) continue;
      for (const regions::RegionInfo* r : table_.RegionsOf(p)) far.push_back(r);
    }
    if (far.empty()) return "";
    return absl::StrCat("regions/", rng_.Pick(far)->code);
  }

  absl::Status WriteListing(const ListingSpec& spec) {
    const TaxonomyCategory* category = taxonomy_.Find(spec.category);
    if (category == nullptr) return absl::OkStatus();
    ImportRecord record;
    Listing* l = record.mutable_listing();
    l->set_kind(spec.kind);
    l->set_type(KindOf(*category));
    l->set_owner(ctl::RecordRef(spec.owner));
    l->set_category(ctl::CategoryName(spec.category));
    l->set_title(spec.title);
    l->set_description(spec.description);
    const Trade trade = TradeOf(taxonomy_, spec.category);
    if (trade.has_quantity) {
      const double lo =
          spec.cluster_size ? trade.cluster_min : trade.enterprise_min;
      const double hi =
          spec.cluster_size ? trade.cluster_max : trade.enterprise_max;
      l->mutable_quantity()->set_amount(Nice(rng_.Real(lo, hi)));
      l->mutable_quantity()->set_unit(trade.unit);
      l->mutable_quantity()->set_period(trade.period);
      l->set_continuity(spec.continuity);
      if (spec.with_price && trade.price_max > 0) {
        const double a = rng_.Real(trade.price_min, trade.price_max);
        const double b = rng_.Real(trade.price_min, trade.price_max);
        if (spec.kind == Listing::OFFER) {
          l->mutable_price()->mutable_min()->set_amount(
              NicePrice(std::min(a, b)));
        }
        l->mutable_price()->mutable_max()->set_amount(
            NicePrice(std::max(a, b)));
        l->mutable_price()->set_per_unit(trade.price_unit);
      }
    }
    for (auto c : spec.certifications) l->add_required_certifications(c);
    if (spec.radius_km > 0) l->set_delivery_radius_km(spec.radius_km);
    if (!spec.source_region.empty()) {
      l->set_current_source_region(spec.source_region);
    }
    l->set_status(Listing::OPEN);
    ++counts_->listings;
    return Emit(RecordType::kListing,
                absl::StrFormat("LS-%s-%06d", region_.code, ++listings_),
                &record);
  }

  Listing::Continuity OfferContinuity(const std::string& category) {
    const std::string& root = Category(category).root;
    if ((root == "pertanian" || root == "biofarmaka") && rng_.Chance(0.35)) {
      return Listing::SEASONAL;
    }
    return rng_.Chance(0.05) ? Listing::ONE_OFF : Listing::CONTINUOUS;
  }

  absl::Status WriteClusterListings(const ClusterPlan& p) {
    const std::string sector_label = Lower(Category(p.sector).label_id);
    // What the cluster makes.
    if (p.speciality || rng_.Chance(0.85)) {
      const std::string product = ProductOf(p.sector);
      ListingSpec s;
      s.kind = Listing::OFFER;
      s.owner = p.external_id;
      s.category = product;
      s.title =
          absl::StrCat(Category(product).label_id, " dari ", p.display_name);
      s.description = absl::StrCat(
          p.display_name, " (", region_.name, ") menawarkan ",
          Lower(Category(product).label_id),
          " hasil produksi anggota secara rutin; siap memasok pembeli baru.");
      s.continuity = OfferContinuity(product);
      s.with_price = rng_.Chance(0.6);
      if (absl::Status st = WriteListing(s); !st.ok()) return st;
    }
    // Its inputs: the strongest always for a speciality, others sometimes.
    std::vector<TaxonomyLink> inputs;
    for (const TaxonomyLink& l : taxonomy_.InputsOf(p.sector)) {
      if (Category(l.input).kind != "MARKET_ACCESS") inputs.push_back(l);
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
      const double chance = i == 0 ? (p.speciality ? 1.0 : 0.7)
                                   : (inputs[i].strength >= 0.5 ? 0.45 : 0.15);
      if (!rng_.Chance(chance)) continue;
      if (absl::Status st = WriteNeed(p, inputs[i].input, sector_label);
          !st.ok()) {
        return st;
      }
    }
    // One step further up the chain: growers who make their own grow bags
    // need sawdust.
    if (!inputs.empty()) {
      std::vector<TaxonomyLink> second = taxonomy_.InputsOf(inputs[0].input);
      if (!second.empty() && Category(second[0].input).kind == "GOODS" &&
          rng_.Chance(p.speciality ? 1.0 : 0.3)) {
        if (absl::Status st = WriteNeed(p, second[0].input, sector_label);
            !st.ok()) {
          return st;
        }
      }
    }
    // By-products.
    if (std::string by = ByProductOf(taxonomy_, p.sector);
        !by.empty() && rng_.Chance(p.speciality ? 1.0 : 0.5)) {
      ListingSpec s;
      s.kind = Listing::OFFER;
      s.owner = p.external_id;
      s.category = by;
      s.title =
          absl::StrCat(Category(by).label_id, " sisa produksi ", sector_label);
      s.description = absl::StrCat(
          "Anggota ", p.display_name, " menghasilkan ",
          Lower(Category(by).label_id), " dari produksi ", sector_label,
          "; tersedia rutin untuk dimanfaatkan klaster lain.");
      s.with_price = rng_.Chance(0.4);
      if (absl::Status st = WriteListing(s); !st.ok()) return st;
    }
    // Know-how a mature cluster can teach.
    if (std::string k = KnowHowOf(taxonomy_, p.sector);
        !k.empty() && p.member_count > 60 &&
        rng_.Chance(p.speciality ? 0.6 : 0.4)) {
      ListingSpec s;
      s.kind = Listing::OFFER;
      s.owner = p.external_id;
      s.category = k;
      s.title = absl::StrCat("Pelatihan ", Lower(Category(k).label_id),
                             " oleh ", p.display_name);
      s.description = absl::StrCat(
          "Anggota berpengalaman ", p.display_name, " siap berbagi ilmu ",
          Lower(Category(k).label_id),
          " kepada klaster lain melalui pelatihan dan kunjungan lapangan.");
      if (absl::Status st = WriteListing(s); !st.ok()) return st;
    }
    // Know-how young clusters look for.
    if (rng_.Chance(0.35)) {
      std::vector<std::string> known;
      for (const std::string& k : CommonKnowHowNeeds()) {
        if (taxonomy_.Find(k) != nullptr) known.push_back(k);
      }
      if (!known.empty()) {
        const std::string& k = rng_.Pick(known);
        ListingSpec s;
        s.kind = Listing::NEED;
        s.owner = p.external_id;
        s.category = k;
        s.title =
            absl::StrCat("Butuh pendampingan: ", Lower(Category(k).label_id));
        s.description =
            absl::StrCat(p.display_name, " membutuhkan pendampingan ",
                         Lower(Category(k).label_id), " untuk anggotanya.");
        if (absl::Status st = WriteListing(s); !st.ok()) return st;
      }
    }
    // Market channels for consumer goods.
    if (std::vector<std::string> channels =
            MarketChannelsOf(taxonomy_, p.sector);
        !channels.empty() && rng_.Chance(0.4)) {
      const std::string& m = rng_.Pick(channels);
      ListingSpec s;
      s.kind = Listing::NEED;
      s.owner = p.external_id;
      s.category = m;
      s.title = absl::StrCat("Mencari mitra pemasaran: ",
                             Lower(Category(m).label_id));
      s.description = absl::StrCat("Produk ", sector_label, " dari ",
                                   p.display_name, " siap dipasarkan melalui ",
                                   Lower(Category(m).label_id), ".");
      if (absl::Status st = WriteListing(s); !st.ok()) return st;
    }
    return absl::OkStatus();
  }

  absl::Status WriteNeed(const ClusterPlan& p, const std::string& input,
                         const std::string& sector_label) {
    ListingSpec s;
    s.kind = Listing::NEED;
    s.owner = p.external_id;
    s.category = input;
    s.title = absl::StrCat("Butuh pasokan ", Lower(Category(input).label_id),
                           " untuk ", sector_label);
    s.continuity = rng_.Chance(0.8) ? Listing::CONTINUOUS : Listing::SEASONAL;
    s.with_price = rng_.Chance(0.4);
    if (rng_.Chance(0.3))
      s.radius_km = static_cast<double>(rng_.Int(5, 15) * 10);
    s.description =
        absl::StrCat(p.display_name, " membutuhkan pasokan ",
                     Lower(Category(input).label_id),
                     " secara rutin untuk produksi ", sector_label, ".");
    if (s.radius_km == 0 && rng_.Chance(0.4)) {
      s.source_region = SourceRegion();
      if (const regions::RegionInfo* from = table_.Find(s.source_region)) {
        absl::StrAppend(&s.description, " Saat ini dipasok dari ", from->name,
                        ".");
      }
    }
    return WriteListing(s);
  }

  absl::Status WritePartners() {
    const std::vector<PartnerProfile>& profiles = PartnerProfiles();
    std::vector<double> weights;
    for (const PartnerProfile& p : profiles) {
      weights.push_back(city_ ? p.weight_city : p.weight_regency);
    }
    const int base = city_ ? static_cast<int>(rng_.Int(4, 7))
                           : static_cast<int>(rng_.Int(2, 4));
    const int n = std::max(1, static_cast<int>(std::lround(base * growth_)));
    for (int i = 0; i < n; ++i) {
      const PartnerProfile& profile = profiles[rng_.Weighted(weights)];
      const std::string id = absl::StrFormat("MT-%s-%03d", region_.code, i + 1);
      ImportRecord record;
      Partner* p = record.mutable_partner();
      const std::string name = absl::StrCat(
          rng_.Pick(profile.name_stems), " ",
          rng_.Chance(0.5) ? PlaceName(region_) : MakeVillage(rng_));
      p->set_display_name(name);
      p->set_kind(profile.kind);
      SetLocation(p->mutable_location(), MakeVillage(rng_));
      std::vector<std::string> buys;
      for (const std::string& b : profile.buys) {
        if (taxonomy_.Find(b) != nullptr) {
          buys.push_back(b);
          p->add_categories(ctl::CategoryName(b));
        }
      }
      Person contact = MakePerson(rng_, /*with_email=*/true);
      type::v1::Contact* c = p->add_contacts();
      c->set_display_name(contact.name);
      c->set_role(rng_.Chance(0.5) ? "Purchasing" : "Manajer");
      c->set_phone(contact.phone);
      c->set_email(contact.email);
      p->set_description(absl::StrCat(name, " di ", region_.name,
                                      " bermitra dengan UMKM setempat."));
      ++counts_->partners;
      if (absl::Status s = Emit(RecordType::kPartner, id, &record); !s.ok()) {
        return s;
      }
      // What it buys.
      const int needs = buys.empty()
                            ? 0
                            : static_cast<int>(rng_.Int(
                                  1, std::min<int64_t>(3, buys.size())));
      std::vector<std::string> left = buys;
      for (int k = 0; k < needs; ++k) {
        const size_t at = static_cast<size_t>(rng_.Int(0, left.size() - 1));
        const std::string category = left[at];
        left.erase(left.begin() + at);
        ListingSpec s;
        s.kind = Listing::NEED;
        s.owner = id;
        s.category = category;
        s.title = absl::StrCat(name, " butuh pasokan ",
                               Lower(Category(category).label_id));
        s.description = absl::StrCat(name, " mencari pemasok ",
                                     Lower(Category(category).label_id),
                                     " yang dapat memasok secara rutin.");
        s.with_price = rng_.Chance(0.4);
        if (rng_.Chance(0.25)) {
          std::vector<CertificateRule> rules =
              CertificatesOf(taxonomy_, category);
          if (!rules.empty()) s.certifications.push_back(rules[0].kind);
        }
        if (absl::Status st = WriteListing(s); !st.ok()) return st;
      }
      // The channel it opens to UMKM.
      if (taxonomy_.Find(profile.offers) != nullptr && rng_.Chance(0.8)) {
        ListingSpec s;
        s.kind = Listing::OFFER;
        s.owner = id;
        s.category = profile.offers;
        s.title = Category(profile.offers).kind == "MARKET_ACCESS"
                      ? absl::StrCat("Akses pasar melalui ", name)
                      : absl::StrCat(ShortLabel(Category(profile.offers)),
                                     " untuk UMKM oleh ", name);
        s.description =
            absl::StrCat(name, " membuka kesempatan bagi UMKM ",
                         PlaceName(region_), " dan sekitarnya (",
                         Lower(Category(profile.offers).label_id), ").");
        if (absl::Status st = WriteListing(s); !st.ok()) return st;
      }
    }
    return absl::OkStatus();
  }

  absl::Status WriteEnterprise(const ClusterPlan& cluster) {
    const std::string id =
        absl::StrFormat("UM-%s-%06d", region_.code, ++enterprises_);
    ImportRecord record;
    Enterprise* e = record.mutable_enterprise();
    Person owner = MakePerson(rng_, rng_.Chance(0.5));
    const registry::v1::Scale scale =
        static_cast<registry::v1::Scale>(1 + rng_.Weighted({0.85, 0.12, 0.03}));
    const std::string product = ProductOf(cluster.sector);
    e->set_display_name(MakeBusinessName(rng_, ShortLabel(Category(product)),
                                         FirstName(owner.name)));
    e->set_scale(scale);
    const bool has_nib =
        scale == registry::v1::MIKRO ? rng_.Chance(0.75) : rng_.Chance(0.98);
    if (has_nib) {
      e->set_nib(MakeNib(rng_));
      type::v1::Certification* c = e->add_certifications();
      c->set_kind(type::v1::NIB);
      c->set_number(e->nib());
    }
    for (const CertificateRule& rule : CertificatesOf(taxonomy_, product)) {
      const double p = scale == registry::v1::MIKRO   ? rule.mikro
                       : scale == registry::v1::KECIL ? rule.kecil
                                                      : rule.menengah;
      if (!rng_.Chance(p)) continue;
      type::v1::Certification* c = e->add_certifications();
      c->set_kind(rule.kind);
      c->set_number(MakeCertificateNumber(
          rng_, type::v1::CertificationKind_Name(rule.kind), region_.code));
      if (rule.years > 0) {
        // Issued within its validity before `as_of`, still valid for at
        // least four months after it.
        const int64_t oldest = std::max<int64_t>(30, rule.years * 365 - 120);
        absl::CivilDay issued = options_.as_of - rng_.Int(30, oldest);
        issued = absl::CivilDay(issued.year(), issued.month(),
                                std::min(issued.day(), 28));
        c->mutable_issue_date()->set_year(static_cast<int>(issued.year()));
        c->mutable_issue_date()->set_month(issued.month());
        c->mutable_issue_date()->set_day(issued.day());
        *c->mutable_expire_date() = c->issue_date();
        c->mutable_expire_date()->set_year(static_cast<int>(issued.year()) +
                                           rule.years);
      }
    }
    SetLocation(e->mutable_location(),
                rng_.Chance(0.7) ? cluster.village : MakeVillage(rng_));
    e->add_clusters(ctl::RecordRef(cluster.external_id));
    e->add_categories(ctl::CategoryName(product));
    e->set_employee_count(static_cast<int32_t>(
        scale == registry::v1::MIKRO   ? rng_.Int(1, 4)
        : scale == registry::v1::KECIL ? rng_.Int(5, 19)
                                       : rng_.Int(20, 99)));
    type::v1::Contact* c = e->add_contacts();
    c->set_display_name(owner.name);
    c->set_role("Pemilik");
    c->set_phone(owner.phone);
    c->set_email(owner.email);
    ++counts_->enterprises;
    if (absl::Status s = Emit(RecordType::kEnterprise, id, &record); !s.ok()) {
      return s;
    }
    if (rng_.Chance(0.12)) {
      ListingSpec s;
      s.kind = Listing::OFFER;
      s.owner = id;
      s.category = product;
      s.cluster_size = false;
      s.title =
          absl::StrCat(Category(product).label_id, " dari ", e->display_name());
      s.description =
          absl::StrCat(e->display_name(), " (", region_.name, ") menawarkan ",
                       Lower(Category(product).label_id), ".");
      s.continuity = OfferContinuity(product);
      s.with_price = rng_.Chance(0.7);
      if (absl::Status st = WriteListing(s); !st.ok()) return st;
    }
    return absl::OkStatus();
  }

  const Taxonomy& taxonomy_;
  const regions::RegionTable& table_;
  const GeneratorOptions& options_;
  const regions::RegionInfo& region_;
  RecordSink* const sink_;
  GeneratorCounts* const counts_;
  Rng rng_;
  const double growth_;
  const bool city_;
  int64_t listings_ = 0;
  int64_t enterprises_ = 0;
};

}  // namespace

absl::CivilDay DefaultAsOf(absl::Time now) {
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  return absl::CivilDay(today.year(), today.month(), 1);
}

absl::StatusOr<std::vector<std::string>> SelectRegions(
    const regions::RegionTable& table, const std::string& provinces,
    const std::string& regions) {
  std::vector<std::string> codes;
  for (absl::string_view p :
       absl::StrSplit(provinces, ',', absl::SkipEmpty())) {
    const regions::RegionInfo* info = table.Find(absl::StripAsciiWhitespace(p));
    if (info == nullptr || info->level != regions::Level::kProvince) {
      return absl::InvalidArgumentError(
          absl::StrCat("--provinces: \"", p, "\" is not a province code"));
    }
    for (const regions::RegionInfo* r : table.RegionsOf(info->code)) {
      codes.push_back(r->code);
    }
  }
  for (absl::string_view r : absl::StrSplit(regions, ',', absl::SkipEmpty())) {
    const regions::RegionInfo* info = table.Find(absl::StripAsciiWhitespace(r));
    if (info == nullptr || info->level == regions::Level::kProvince) {
      return absl::InvalidArgumentError(
          absl::StrCat("--regions: \"", r, "\" is not a kabupaten/kota code"));
    }
    codes.push_back(info->code);
  }
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  return codes;
}

Generator::Generator(const Taxonomy* taxonomy,
                     const regions::RegionTable* regions,
                     GeneratorOptions options)
    : taxonomy_(taxonomy), regions_(regions), options_(std::move(options)) {}

absl::Status Generator::Run(RecordSink* sink, GeneratorCounts* counts) {
  for (const std::string& code : options_.regions) {
    const regions::RegionInfo* region = regions_->Find(code);
    if (region == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown region ", code));
    }
    if (absl::Status s = GenerateRegion(*region, sink, counts); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status Generator::GenerateRegion(const regions::RegionInfo& region,
                                       RecordSink* sink,
                                       GeneratorCounts* counts) {
  RegionGenerator g(*taxonomy_, *regions_, options_, region, sink, counts);
  return g.Run();
}

}  // namespace jalin::datagen
