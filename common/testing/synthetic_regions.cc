#include "common/testing/synthetic_regions.h"

#include "absl/strings/str_format.h"

namespace jalin::testing {

std::vector<std::string> SyntheticRegencies() {
  std::vector<std::string> out;
  for (int province = 0; province < 38; ++province) {
    for (int regency = 1; regency <= 14; ++regency) {
      out.push_back(absl::StrFormat("%02d.%02d", 11 + 2 * province, regency));
    }
  }
  return out;
}

}  // namespace jalin::testing
