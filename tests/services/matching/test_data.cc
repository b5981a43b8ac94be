#include "tests/services/matching/test_data.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace jalin::matching::test {

const regions::RegionTable& Regions() {
  static const regions::RegionTable* table = [] {
    auto t = regions::RegionTable::Load(
        absl::StrCat(JALIN_SOURCE_DIR, "/data/regions.csv"));
    if (!t.ok()) std::abort();
    return new regions::RegionTable(*std::move(t));
  }();
  return *table;
}

std::shared_ptr<const RegionGrid> Grid(double distance_scale_km) {
  return std::make_shared<const RegionGrid>(Regions(), distance_scale_km);
}

registry::v1::Category Category(const std::string& id,
                                const std::string& parent_id,
                                const std::string& label_id,
                                const std::string& label_en) {
  registry::v1::Category c;
  c.set_name("categories/" + id);
  if (!parent_id.empty()) c.set_parent("categories/" + parent_id);
  c.set_label_id(label_id.empty() ? id : label_id);
  c.set_label_en(label_en.empty() ? id : label_en);
  c.set_kind(registry::v1::GOODS);
  return c;
}

registry::v1::SupplyLink Link(const std::string& id,
                              const std::string& input_id,
                              const std::string& output_id, double strength) {
  registry::v1::SupplyLink l;
  l.set_name("supplyLinks/" + id);
  l.set_input("categories/" + input_id);
  l.set_output("categories/" + output_id);
  l.set_strength(strength);
  l.set_description_id(absl::StrCat(input_id, " dipakai untuk ", output_id));
  l.set_description_en(absl::StrCat(input_id, " is used for ", output_id));
  return l;
}

registry::v1::Cluster Cluster(const std::string& id, const std::string& name,
                              const std::string& region_code,
                              const std::string& sector_id) {
  registry::v1::Cluster c;
  c.set_name("clusters/" + id);
  c.set_display_name(name);
  c.mutable_location()->set_region("regions/" + region_code);
  if (!sector_id.empty()) c.set_sector("categories/" + sector_id);
  return c;
}

registry::v1::Listing Listing(const ListingSpec& s) {
  registry::v1::Listing l;
  l.set_name("listings/" + s.id);
  l.set_kind(s.kind);
  l.set_type(s.type);
  l.set_owner(s.owner);
  l.set_region("regions/" + s.region);
  l.set_category("categories/" + s.category);
  l.set_title(s.title.empty() ? s.id : s.title);
  if (s.amount > 0) {
    l.mutable_quantity()->set_amount(s.amount);
    l.mutable_quantity()->set_unit(s.unit);
    l.mutable_quantity()->set_period(s.period);
  }
  l.set_continuity(s.continuity);
  for (auto c : s.required) l.add_required_certifications(c);
  if (s.radius_km > 0) l.set_delivery_radius_km(s.radius_km);
  if (!s.source_region.empty()) {
    l.set_current_source_region("regions/" + s.source_region);
  }
  if (s.valid_until != absl::InfiniteFuture()) {
    l.mutable_valid_until()->set_seconds(absl::ToUnixSeconds(s.valid_until));
  }
  l.set_status(s.status);
  registry::v1::OwnerProfile* p = l.mutable_owner_profile();
  p->set_display_name(s.owner_name.empty() ? s.owner : s.owner_name);
  for (const std::string& c : s.clusters) p->add_clusters(c);
  for (auto c : s.held) p->add_certifications(c);
  p->set_verified(s.verified);
  p->set_curated(s.curated);
  return l;
}

}  // namespace jalin::matching::test
