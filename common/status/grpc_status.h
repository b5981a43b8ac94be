// The one place where absl::Status becomes grpc::Status and back.

#ifndef COMMON_STATUS_GRPC_STATUS_H_
#define COMMON_STATUS_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

namespace jalin {

// "INVALID_ARGUMENT", "NOT_FOUND", ...: the canonical name of a code.
std::string StatusCodeName(absl::StatusCode code);

// True for the codes of a failure inside the service (INTERNAL, UNKNOWN,
// DATA_LOSS), whose messages are not for callers.
bool IsServerFault(absl::StatusCode code);

// Converts `status` for the wire. The grpc::Status carries a serialised
// google.rpc.Status in its details with every payload of `status` (BadRequest
// and others) and always an ErrorInfo: the one attached with WithErrorInfo,
// or one whose reason is the code's name. `domain` ("registry.jalin") fills
// ErrorInfo.domain. A server fault's message is logged with a new reference
// and replaced by "internal error in <domain> (reference <id>)"; the default
// ErrorInfo carries the reference in its metadata.
grpc::Status ToGrpcStatus(const absl::Status& status, absl::string_view domain);

// The inverse, for clients: code, message and every detail become payloads
// (readable with GetBadRequest/GetErrorInfo).
absl::Status FromGrpcStatus(const grpc::Status& status);

// The google.rpc.Status inside a grpc::Status (code and message only when it
// carries no details).
google::rpc::Status ToRpcStatus(const grpc::Status& status);

// Builds the rich google.rpc.Status of an absl::Status (a server fault as
// ToGrpcStatus sends it).
google::rpc::Status ToRpcStatus(const absl::Status& status,
                                absl::string_view domain);

// Converts a google.rpc.Status (e.g. a per-record import error) back.
absl::Status FromRpcStatus(const google::rpc::Status& status);

}  // namespace jalin

#endif  // COMMON_STATUS_GRPC_STATUS_H_
