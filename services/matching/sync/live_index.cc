#include "services/matching/sync/live_index.h"

namespace jalin::matching {
namespace {

absl::Status NotLoaded() {
  return absl::UnavailableError(
      "the match index is still loading from the registry; retry shortly");
}

}  // namespace

absl::Status LiveIndex::Read(
    absl::FunctionRef<absl::Status(const MatchIndex&)> fn) const {
  absl::ReaderMutexLock lock(&mu_);
  if (index_ == nullptr) return NotLoaded();
  return fn(*index_);
}

absl::Status LiveIndex::Write(
    absl::FunctionRef<absl::Status(MatchIndex&)> fn) {
  absl::WriterMutexLock lock(&mu_);
  if (index_ == nullptr) return NotLoaded();
  return fn(*index_);
}

std::unique_ptr<MatchIndex> LiveIndex::Swap(std::unique_ptr<MatchIndex> next,
                                            IndexInfo info) {
  absl::WriterMutexLock lock(&mu_);
  std::swap(index_, next);
  info_ = info;
  return next;
}

void LiveIndex::CountEvent() {
  absl::WriterMutexLock lock(&mu_);
  ++info_.events_applied;
}

bool LiveIndex::ready() const {
  absl::ReaderMutexLock lock(&mu_);
  return index_ != nullptr;
}

IndexInfo LiveIndex::info() const {
  absl::ReaderMutexLock lock(&mu_);
  return info_;
}

}  // namespace jalin::matching
