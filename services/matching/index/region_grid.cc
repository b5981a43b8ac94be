#include "services/matching/index/region_grid.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/geo/geo.h"

namespace jalin::matching {

RegionGrid::RegionGrid(regions::RegionTable table, double distance_scale_km)
    : table_(std::move(table)), scale_km_(distance_scale_km) {
  for (const regions::RegionInfo& r : table_.all()) infos_.push_back(&r);
  const size_t n = infos_.size();
  names_.reserve(n);
  province_.assign(n, kNoRegion);
  members_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    names_.push_back(absl::StrCat("regions/", infos_[i]->code));
  }
  for (size_t i = 0; i < n; ++i) {
    const RegionId p = Find(infos_[i]->province_code);
    province_[i] = p == kNoRegion ? static_cast<RegionId>(i) : p;
    if (is_province(static_cast<RegionId>(i))) {
      province_[i] = static_cast<RegionId>(i);
    } else {
      members_[i].push_back(static_cast<RegionId>(i));
      if (p != kNoRegion) members_[p].push_back(static_cast<RegionId>(i));
    }
  }
  province_number_.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    uint32_t code = 0;
    if (absl::SimpleAtoi(infos_[province_[i]]->code, &code) && code < 0xFFFF) {
      province_number_[i] = static_cast<uint16_t>(code);
    }
  }
  km_.resize(n * n);
  value_.resize(n * n);
  // One computation per unordered pair, so that the tables are exactly
  // symmetric (scores must not depend on which side asked).
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = a; b < n; ++b) {
      const double km =
          a == b ? 0.0
                 : geo::HaversineKm(infos_[a]->latitude, infos_[a]->longitude,
                                    infos_[b]->latitude, infos_[b]->longitude);
      const double value = std::exp(-km / scale_km_);
      km_[a * n + b] = km_[b * n + a] = km;
      value_[a * n + b] = value_[b * n + a] = value;
    }
  }
}

RegionId RegionGrid::Find(absl::string_view code_or_name) const {
  const regions::RegionInfo* info = table_.Find(code_or_name);
  if (info == nullptr) return kNoRegion;
  return static_cast<RegionId>(info - table_.all().data());
}

size_t RegionGrid::MemoryBytes() const {
  size_t bytes = (km_.capacity() + value_.capacity()) * sizeof(double) +
                 infos_.capacity() * sizeof(void*) +
                 province_.capacity() * sizeof(RegionId);
  for (const auto& m : members_) bytes += m.capacity() * sizeof(RegionId);
  for (const auto& s : names_) bytes += sizeof(std::string) + s.capacity();
  return bytes;
}

}  // namespace jalin::matching
