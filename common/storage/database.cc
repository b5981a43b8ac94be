#include "common/storage/database.h"

#include "absl/strings/string_view.h"

namespace jalin::storage {

absl::StatusOr<int64_t> QueryInt(Transaction& tx, absl::string_view sql,
                                 absl::Span<const Param> params,
                                 int64_t fallback) {
  int64_t value = fallback;
  bool seen = false;
  absl::Status s = tx.Query(sql, params, [&](const Row& row) {
    if (!seen && !row.IsNull(0)) value = row.Int(0);
    seen = true;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return value;
}

}  // namespace jalin::storage
