#include "services/curation/curation_errors.h"

#include "absl/strings/cord.h"

namespace jalin::curation {

absl::Status PreconditionFailed(
    absl::string_view message, absl::string_view type,
    absl::string_view subject, absl::string_view description,
    absl::string_view reason,
    const std::map<std::string, std::string>& metadata) {
  absl::Status status = absl::FailedPreconditionError(message);
  google::rpc::PreconditionFailure failure;
  auto* v = failure.add_violations();
  v->set_type(std::string(type));
  v->set_subject(std::string(subject));
  v->set_description(std::string(description));
  status.SetPayload(kPreconditionFailureTypeUrl,
                    absl::Cord(failure.SerializeAsString()));
  return WithErrorInfo(std::move(status), reason, metadata);
}

std::optional<google::rpc::PreconditionFailure> GetPreconditionFailure(
    const absl::Status& status) {
  auto payload = status.GetPayload(kPreconditionFailureTypeUrl);
  if (!payload.has_value()) return std::nullopt;
  google::rpc::PreconditionFailure failure;
  if (!failure.ParseFromString(std::string(*payload))) return std::nullopt;
  return failure;
}

}  // namespace jalin::curation
