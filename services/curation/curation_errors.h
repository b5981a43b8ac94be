// FAILED_PRECONDITION errors that name the violated condition (AIP-193):
// a google.rpc.PreconditionFailure with one violation per condition, and
// an ErrorInfo reason for machines.

#ifndef SERVICES_CURATION_CURATION_ERRORS_H_
#define SERVICES_CURATION_CURATION_ERRORS_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "google/rpc/error_details.pb.h"

namespace jalin::curation {

// FAILED_PRECONDITION with `message`, one PreconditionFailure violation
// (type, subject, description) and ErrorInfo `reason`.
absl::Status PreconditionFailed(
    absl::string_view message, absl::string_view type,
    absl::string_view subject, absl::string_view description,
    absl::string_view reason,
    const std::map<std::string, std::string>& metadata = {});

// The PreconditionFailure carried by a status, if any.
std::optional<google::rpc::PreconditionFailure> GetPreconditionFailure(
    const absl::Status& status);

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_CURATION_ERRORS_H_
