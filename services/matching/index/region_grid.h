// Regions as small integers with every pairwise distance precomputed, so
// that scoring a candidate costs an array lookup instead of a haversine.

#ifndef SERVICES_MATCHING_INDEX_REGION_GRID_H_
#define SERVICES_MATCHING_INDEX_REGION_GRID_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/regions/region_table.h"

namespace jalin::matching {

using RegionId = uint16_t;
inline constexpr RegionId kNoRegion = 0xFFFF;

// Immutable after construction; thread-safe to read. Shared by every index
// built in the process.
class RegionGrid {
 public:
  // `distance_scale_km` shapes the distance component: a counterpart
  // `distance_scale_km` away scores 1/e of one in the same region.
  RegionGrid(regions::RegionTable table, double distance_scale_km);
  // Holds pointers into its own table: neither copyable nor movable.
  RegionGrid(const RegionGrid&) = delete;
  RegionGrid& operator=(const RegionGrid&) = delete;

  // By code ("33.13") or resource name ("regions/33.13"); kNoRegion if
  // unknown.
  RegionId Find(absl::string_view code_or_name) const;
  int size() const { return static_cast<int>(infos_.size()); }

  const regions::RegionInfo& info(RegionId r) const { return *infos_[r]; }
  // "regions/33.13".
  const std::string& name(RegionId r) const { return names_[r]; }
  bool is_province(RegionId r) const {
    return infos_[r]->level == regions::Level::kProvince;
  }
  // The province of a regency; a province is its own.
  RegionId province(RegionId r) const { return province_[r]; }
  // The province's Kemendagri code as a number (33 for "33").
  uint16_t province_number(RegionId r) const { return province_number_[r]; }
  // True when `area` is `r` or the province containing `r`.
  bool Contains(RegionId area, RegionId r) const {
    return area == r || province_[r] == area;
  }
  // Regencies and cities of a province (or just `r` for a regency).
  const std::vector<RegionId>& Members(RegionId r) const {
    return members_[r];
  }

  // Great-circle distance between the centres, in km.
  double DistanceKm(RegionId a, RegionId b) const {
    return km_[static_cast<size_t>(a) * infos_.size() + b];
  }
  // exp(-km / distance_scale_km), in (0, 1].
  double DistanceValue(RegionId a, RegionId b) const {
    return value_[static_cast<size_t>(a) * infos_.size() + b];
  }
  double distance_scale_km() const { return scale_km_; }

  const regions::RegionTable& table() const { return table_; }
  size_t MemoryBytes() const;

 private:
  const regions::RegionTable table_;
  const double scale_km_;
  std::vector<const regions::RegionInfo*> infos_;
  std::vector<std::string> names_;
  std::vector<RegionId> province_;
  std::vector<uint16_t> province_number_;
  std::vector<std::vector<RegionId>> members_;
  std::vector<double> km_;
  std::vector<double> value_;
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_INDEX_REGION_GRID_H_
