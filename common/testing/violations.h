// What a failed status says about itself, for tests: the fields an
// INVALID_ARGUMENT status names in its google.rpc.BadRequest (AIP-193), and
// the reason of its google.rpc.ErrorInfo.

#ifndef COMMON_TESTING_VIOLATIONS_H_
#define COMMON_TESTING_VIOLATIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace jalin::testing {

// In the order the status lists them; empty without a BadRequest.
std::vector<std::string> ViolatedFields(const absl::Status& s);

// The same for a status received over gRPC, its details read back.
std::vector<std::string> ViolatedFields(const grpc::Status& s);

// ErrorInfo.reason ("CAMPAIGN_STATE"); empty without an ErrorInfo.
std::string ErrorReason(const absl::Status& s);
std::string ErrorReason(const grpc::Status& s);

}  // namespace jalin::testing

#endif  // COMMON_TESTING_VIOLATIONS_H_
