#include "common/testing/violations.h"

#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace jalin::testing {

std::vector<std::string> ViolatedFields(const absl::Status& s) {
  std::vector<std::string> fields;
  if (auto bad = GetBadRequest(s)) {
    for (const auto& v : bad->field_violations()) fields.push_back(v.field());
  }
  return fields;
}

std::vector<std::string> ViolatedFields(const grpc::Status& s) {
  return ViolatedFields(FromGrpcStatus(s));
}

std::string ErrorReason(const absl::Status& s) {
  auto info = GetErrorInfo(s);
  return info.has_value() ? info->reason() : "";
}

std::string ErrorReason(const grpc::Status& s) {
  return ErrorReason(FromGrpcStatus(s));
}

}  // namespace jalin::testing
