// The 34 provinces and 514 kabupaten/kota that ship with jalin
// (data/regions.csv), with their centre points. Loaded once at start-up by
// every service that needs region names or distances.

#ifndef COMMON_REGIONS_REGION_TABLE_H_
#define COMMON_REGIONS_REGION_TABLE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jalin::regions {

enum class Level { kProvince, kRegency, kCity };

struct RegionInfo {
  // "33" or "33.13".
  std::string code;
  Level level = Level::kRegency;
  // "Kabupaten Karanganyar".
  std::string name;
  // "33".
  std::string province_code;
  double latitude = 0;
  double longitude = 0;
};

// Immutable after Load; thread-safe to read.
class RegionTable {
 public:
  // Reads a CSV with columns code, level, name, province_code, latitude,
  // longitude. Fails on a malformed row, naming file and line.
  static absl::StatusOr<RegionTable> Load(const std::string& path);

  // By code ("33.13") or resource name ("regions/33.13"); null if unknown.
  const RegionInfo* Find(absl::string_view code_or_name) const;

  const std::vector<RegionInfo>& all() const { return regions_; }
  // Provinces, then regencies/cities, each in code order.
  std::vector<const RegionInfo*> Provinces() const;
  std::vector<const RegionInfo*> RegionsOf(absl::string_view province) const;

  // Great-circle distance between two regions' centres; -1 if either is
  // unknown.
  double DistanceKm(absl::string_view a, absl::string_view b) const;

 private:
  std::vector<RegionInfo> regions_;
  absl::flat_hash_map<std::string, size_t> by_code_;
};

// "<data_dir>/regions.csv"; an empty data_dir means "data" (relative to the
// working directory).
std::string DefaultRegionsPath(const std::string& data_dir);

}  // namespace jalin::regions

#endif  // COMMON_REGIONS_REGION_TABLE_H_
