#include "services/registry/revision_clock.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace jalin::registry {

int64_t RevisionClock::Next() {
  const int64_t now = absl::ToUnixMicros(clock_->Now());
  absl::MutexLock lock(&mu_);
  last_ = std::max(last_ + 1, now);
  return last_;
}

std::string EtagOf(int64_t revision) { return absl::StrCat(revision); }

int64_t RevisionOf(absl::string_view etag) {
  int64_t revision = 0;
  if (!absl::SimpleAtoi(etag, &revision) || revision < 0) return 0;
  return revision;
}

}  // namespace jalin::registry
