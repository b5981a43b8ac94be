#include "services/notification/violations.h"

#include <optional>
#include <string>

namespace jalin::notification {

void AddViolationsOf(const absl::Status& status,
                     absl::string_view fallback_field, FieldViolations& v) {
  if (status.ok()) return;
  std::optional<google::rpc::BadRequest> bad = GetBadRequest(status);
  if (!bad.has_value() || bad->field_violations().empty()) {
    v.Add(std::string(fallback_field), std::string(status.message()));
    return;
  }
  for (const auto& fv : bad->field_violations()) {
    v.Add(fv.field(), fv.description());
  }
}

}  // namespace jalin::notification
