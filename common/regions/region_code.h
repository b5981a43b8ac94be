// The shape of a Kemendagri region code in dotted form, without the region
// table: a province "33", a kabupaten/kota "33.13", a kecamatan "33.13.05"
// and a desa/kelurahan "33.13.05.2001" (segments of 2, 2, 2 and 4 digits;
// jalin/type/v1/geo.proto). Whether such a region exists is the table's
// question (RegionTable::Find).

#ifndef COMMON_REGIONS_REGION_CODE_H_
#define COMMON_REGIONS_REGION_CODE_H_

#include "absl/strings/string_view.h"

namespace jalin::regions {

// The level of a well-formed code: 1 for a province, 2 for a kabupaten/kota,
// 3 for a kecamatan, 4 for a desa/kelurahan; 0 for anything else ("",
// "3", "33.1", "33..13", "33.13.05.2001.1", "regions/33").
int CodeDepth(absl::string_view code);

// A province or a kabupaten/kota: "33" or "33.13".
inline bool IsRegionCode(absl::string_view code) {
  const int depth = CodeDepth(code);
  return depth == 1 || depth == 2;
}

}  // namespace jalin::regions

#endif  // COMMON_REGIONS_REGION_CODE_H_
