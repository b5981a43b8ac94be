// Many short strings (ids, names) kept in one buffer: reading a campaign
// of 100,000 submissions costs a few allocations instead of several per
// submission.
//
// Not thread-safe. Views returned by Get() stay valid until the next Add().

#ifndef SERVICES_CURATION_NAME_POOL_H_
#define SERVICES_CURATION_NAME_POOL_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace jalin::curation {

class NamePool {
 public:
  // Stores a copy of `s`; returns its index.
  size_t Add(absl::string_view s) {
    slices_.push_back({buffer_.size(), s.size()});
    buffer_.append(s.data(), s.size());
    return slices_.size() - 1;
  }
  absl::string_view Get(size_t i) const {
    return absl::string_view(buffer_).substr(slices_[i].offset,
                                             slices_[i].size);
  }
  size_t size() const { return slices_.size(); }

 private:
  struct Slice {
    size_t offset;
    size_t size;
  };
  std::string buffer_;
  std::vector<Slice> slices_;
};

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_NAME_POOL_H_
