#include "common/regions/region_code.h"

#include <cstddef>

#include "absl/strings/ascii.h"

namespace jalin::regions {

int CodeDepth(absl::string_view code) {
  static constexpr size_t kSegmentDigits[] = {2, 2, 2, 4};
  int depth = 0;
  while (depth < 4) {
    const size_t width = kSegmentDigits[depth];
    if (code.size() < width) return 0;
    for (size_t i = 0; i < width; ++i) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(code[i]))) return 0;
    }
    code.remove_prefix(width);
    ++depth;
    if (code.empty()) return depth;
    if (code.front() != '.') return 0;
    code.remove_prefix(1);
  }
  return 0;  // a fifth segment
}

}  // namespace jalin::regions
