#include "common/regions/region_table.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/principal.h"
#include "common/geo/geo.h"

namespace jalin::regions {

absl::StatusOr<RegionTable> RegionTable::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read region file ", path));
  }
  RegionTable table;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line_no == 1 || line.empty()) continue;  // header
    std::vector<std::string> f = absl::StrSplit(line, ',');
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_no, ": ", why));
    };
    if (f.size() != 6) return bad("expected 6 columns");
    RegionInfo r;
    r.code = f[0];
    if (f[1] == "PROVINCE") {
      r.level = Level::kProvince;
    } else if (f[1] == "REGENCY") {
      r.level = Level::kRegency;
    } else if (f[1] == "CITY") {
      r.level = Level::kCity;
    } else {
      return bad("unknown level");
    }
    r.name = f[2];
    r.province_code = f[3];
    if (!absl::SimpleAtod(f[4], &r.latitude) ||
        !absl::SimpleAtod(f[5], &r.longitude)) {
      return bad("bad coordinates");
    }
    if (table.by_code_.contains(r.code)) return bad("duplicate code");
    table.by_code_[r.code] = table.regions_.size();
    table.regions_.push_back(std::move(r));
  }
  return table;
}

const RegionInfo* RegionTable::Find(absl::string_view code_or_name) const {
  auto it = by_code_.find(auth::RegionCode(code_or_name));
  return it == by_code_.end() ? nullptr : &regions_[it->second];
}

std::vector<const RegionInfo*> RegionTable::Provinces() const {
  std::vector<const RegionInfo*> out;
  for (const auto& r : regions_) {
    if (r.level == Level::kProvince) out.push_back(&r);
  }
  return out;
}

std::vector<const RegionInfo*> RegionTable::RegionsOf(
    absl::string_view province) const {
  const std::string code = auth::RegionCode(province);
  std::vector<const RegionInfo*> out;
  for (const auto& r : regions_) {
    if (r.level != Level::kProvince && r.province_code == code)
      out.push_back(&r);
  }
  return out;
}

double RegionTable::DistanceKm(absl::string_view a, absl::string_view b) const {
  const RegionInfo* ra = Find(a);
  const RegionInfo* rb = Find(b);
  if (ra == nullptr || rb == nullptr) return -1;
  return geo::HaversineKm(ra->latitude, ra->longitude, rb->latitude,
                          rb->longitude);
}

std::string DefaultRegionsPath(const std::string& data_dir) {
  return (data_dir.empty() ? std::string("data") : data_dir) + "/regions.csv";
}

}  // namespace jalin::regions
