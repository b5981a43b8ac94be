#include "services/registry/revision_clock.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "services/registry/record_kinds.h"

namespace jalin::registry {
namespace {

// Raises `*max` to the largest revision among the records of kind T.
template <typename T>
absl::Status MaxRevisionOf(storage::Transaction& tx, int64_t* max) {
  static const std::string* const sql =
      new std::string(absl::StrCat("SELECT data FROM ", Kind<T>::kCollection));
  T record;
  return tx.Query(*sql, {}, [&](const storage::Row& row) -> absl::Status {
    const absl::string_view data = row.Blob(0);
    if (!record.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
      return absl::DataLossError(
          absl::StrCat("unreadable record in ", Kind<T>::kCollection));
    }
    *max = std::max(*max, RevisionOf(record.meta().etag()));
    return absl::OkStatus();
  });
}

}  // namespace

int64_t RevisionClock::Next() {
  const int64_t now = absl::ToUnixMicros(clock_->Now());
  absl::MutexLock lock(&mu_);
  last_ = std::max(last_ + 1, now);
  return last_;
}

absl::Status RevisionClock::Cover(storage::Transaction& tx, int64_t revision) {
  {
    absl::MutexLock lock(&mu_);
    if (revision <= committed_mark_) return absl::OkStatus();
  }
  const int64_t mark = revision + kMarkLead;
  RETURN_IF_ERROR(tx.Exec(
      "UPDATE registry_revision_mark SET revision = ? WHERE revision < ?",
      {storage::Param(mark), storage::Param(mark)}));
  tx.OnCommit([this, mark] {
    absl::MutexLock lock(&mu_);
    committed_mark_ = std::max(committed_mark_, mark);
  });
  return absl::OkStatus();
}

absl::StatusOr<int64_t> LoadRevisionFloor(storage::Database& db) {
  int64_t floor = 0;
  RETURN_IF_ERROR(db.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(
        floor, storage::QueryInt(
                   tx, "SELECT revision FROM registry_revision_mark", {}, 0));
    return absl::OkStatus();
  }));
  if (floor > 0) return floor;
  // No write since the mark was added: the records hold every revision
  // (but a deletion's) handed out before. Kept as the mark, so that the
  // records are read once, not at every start until the first write.
  RETURN_IF_ERROR(db.Write([&](storage::Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(MaxRevisionOf<v1::Cluster>(tx, &floor));
    RETURN_IF_ERROR(MaxRevisionOf<v1::Enterprise>(tx, &floor));
    RETURN_IF_ERROR(MaxRevisionOf<v1::Partner>(tx, &floor));
    RETURN_IF_ERROR(MaxRevisionOf<v1::Listing>(tx, &floor));
    RETURN_IF_ERROR(MaxRevisionOf<v1::Agreement>(tx, &floor));
    if (floor == 0) return absl::OkStatus();
    return tx.Exec(
        "UPDATE registry_revision_mark SET revision = ? WHERE revision < ?",
        {storage::Param(floor), storage::Param(floor)});
  }));
  return floor;
}

std::string EtagOf(int64_t revision) { return absl::StrCat(revision); }

int64_t RevisionOf(absl::string_view etag) {
  int64_t revision = 0;
  if (!absl::SimpleAtoi(etag, &revision) || revision < 0) return 0;
  return revision;
}

}  // namespace jalin::registry
