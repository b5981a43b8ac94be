// What the generator knows about each sector, keyed by taxonomy category
// ids: how its goods are traded (units, usual amounts and prices), which
// certificates its UMKM hold, what it leaves over as a by-product, what
// know-how it can teach, which partners buy it, and which sectors each
// kabupaten of Jawa Tengah is known for. Lookups walk up the taxonomy, so
// a category without an entry of its own uses its parent's.
//
// Ids missing from the taxonomy are skipped, so the generator keeps working
// when the taxonomy changes; a test checks that every id here exists in
// the taxonomy that ships.

#ifndef TOOLS_DATAGEN_SECTOR_KNOWLEDGE_H_
#define TOOLS_DATAGEN_SECTOR_KNOWLEDGE_H_

#include <string>
#include <vector>

#include "jalin/registry/v1/partner.pb.h"
#include "jalin/type/v1/certification.pb.h"
#include "jalin/type/v1/quantity.pb.h"
#include "tools/datagen/taxonomy.h"

namespace jalin::datagen {

// How a good or service is traded.
struct Trade {
  type::v1::Unit unit = type::v1::KILOGRAM;
  type::v1::Period period = type::v1::MONTH;
  // Usual amount per period for a cluster, and for one enterprise.
  double cluster_min = 0;
  double cluster_max = 0;
  double enterprise_min = 0;
  double enterprise_max = 0;
  // Usual price in rupiah per `price_unit`; 0 when not quoted.
  int64_t price_min = 0;
  int64_t price_max = 0;
  type::v1::Unit price_unit = type::v1::KILOGRAM;
  // False for what is not measured in amounts (market access, finance).
  bool has_quantity = true;
};

// A certificate the UMKM of a sector may hold, with its likelihood for
// mikro, kecil and menengah enterprises.
struct CertificateRule {
  type::v1::CertificationKind kind;
  double mikro;
  double kecil;
  double menengah;
  // Validity in years (0: does not expire).
  int years;
};

// How `category` is traded (its own entry or its nearest ancestor's; a
// default for unknown categories).
Trade TradeOf(const Taxonomy& taxonomy, const std::string& category);

// The certificates a sector's UMKM may hold.
std::vector<CertificateRule> CertificatesOf(const Taxonomy& taxonomy,
                                            const std::string& category);

// What a sector leaves over that another sector uses ("mebel-kayu" ->
// "serbuk-gergaji"); empty when nothing.
std::string ByProductOf(const Taxonomy& taxonomy, const std::string& category);

// The know-how a mature cluster of this sector can teach; empty if none.
std::string KnowHowOf(const Taxonomy& taxonomy, const std::string& category);

// Know-how and services young clusters commonly look for.
const std::vector<std::string>& CommonKnowHowNeeds();

// Market channels a sector's producers look for (consumer goods look for
// souvenir centres, modern retail, ...); empty for raw materials.
std::vector<std::string> MarketChannelsOf(const Taxonomy& taxonomy,
                                          const std::string& category);

// What kind of partner exists, what it buys, and the market access it
// offers.
struct PartnerProfile {
  registry::v1::Partner::Kind kind;
  // Name stems: "Rumah Makan", "Pusat Oleh-oleh".
  std::vector<std::string> name_stems;
  // Categories it buys (its needs).
  std::vector<std::string> buys;
  // The market access it offers, if any.
  std::string offers;
  // Relative frequency in a kabupaten, and in a kota.
  double weight_regency;
  double weight_city;
};
const std::vector<PartnerProfile>& PartnerProfiles();

// The sectors `region_code` ("33.13") is known for; empty for regions
// without an entry.
const std::vector<std::string>& SpecialitiesOf(const std::string& region_code);

// Categories eligible as a cluster's sector, with weights: the producing
// sectors of the taxonomy (not market access, not pure know-how).
struct SectorChoice {
  std::string category;
  double weight;
};
std::vector<SectorChoice> SectorPool(const Taxonomy& taxonomy);

// A short word for a sector's products, for names ("Jamu", "Keripik",
// "Mebel"): the label up to " dan " or " (".
std::string ShortLabel(const TaxonomyCategory& category);

// Indonesian unit and period words: "kg", "ton", "bulan".
std::string UnitWord(type::v1::Unit unit);
std::string PeriodWord(type::v1::Period period);

// Every category id this file mentions, for the test that keeps it in step
// with the taxonomy.
std::vector<std::string> MentionedCategories();

}  // namespace jalin::datagen

#endif  // TOOLS_DATAGEN_SECTOR_KNOWLEDGE_H_
