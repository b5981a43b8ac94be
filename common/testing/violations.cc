#include "common/testing/violations.h"

#include "common/status/errors.h"

namespace jalin::testing {

std::vector<std::string> ViolatedFields(const absl::Status& s) {
  std::vector<std::string> fields;
  if (auto bad = GetBadRequest(s)) {
    for (const auto& v : bad->field_violations()) fields.push_back(v.field());
  }
  return fields;
}

}  // namespace jalin::testing
