// gRPC status → HTTP: the status code (google.rpc.Code mapping of AIP-193)
// and the JSON error body
//   {"error": {"code": 404, "message": "...", "status": "NOT_FOUND",
//              "details": [{"@type":
//              "type.googleapis.com/google.rpc.ErrorInfo",
//                           "reason": "...", "domain": "...", ...}]}}
// with every google.rpc detail decoded to JSON.

#ifndef SERVICES_GATEWAY_HTTP_ERROR_H_
#define SERVICES_GATEWAY_HTTP_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "google/rpc/status.pb.h"

namespace jalin::gateway {

// 400 for INVALID_ARGUMENT, 404 for NOT_FOUND, 499 for CANCELLED, ...
int HttpStatusFromCode(absl::StatusCode code);

// The JSON error body of `status` (its code is a google.rpc.Code).
// `http_status` replaces the mapped HTTP status in "code" where HTTP has a
// more precise one (405, 413, 415, 431); 0 keeps the mapping.
std::string ErrorJson(const google::rpc::Status& status, int http_status = 0);

// The JSON error body of an error raised by the gateway itself; `domain`
// fills the ErrorInfo.
std::string ErrorJson(const absl::Status& status, absl::string_view domain,
                      int http_status = 0);

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_HTTP_ERROR_H_
