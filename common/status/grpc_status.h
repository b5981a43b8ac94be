// The one place where absl::Status becomes grpc::Status and back.

#ifndef COMMON_STATUS_GRPC_STATUS_H_
#define COMMON_STATUS_GRPC_STATUS_H_

#include <cstddef>
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

// The most bytes of a status message a caller receives, kMessageCut
// included: a longer one is cut between UTF-8 code points and ends in
// kMessageCut. The message travels twice in the trailers that gRPC clients
// refuse above 8 KiB (see FieldViolations::kMaxListed): in grpc-message,
// percent-encoded (a byte outside ASCII takes three, so up to 3 KiB), and
// in grpc-status-details-bin, beside the BadRequest (at most 2 KiB) and the
// ErrorInfo; at 1 KiB all of it stays below the limit, which a message that
// repeats a client's value whole (a NOT_FOUND naming a 100,000-character
// name) would exceed. A message written for a person, naming a few
// resources, is a few hundred bytes at most and arrives unchanged.
inline constexpr size_t kMaxMessageBytes = 1024;
inline constexpr absl::string_view kMessageCut = "... (message cut)";
// The most bytes of an ErrorInfo metadata value ("..." included), for the
// same reason: values are names and numbers for programs, far shorter.
inline constexpr size_t kMaxErrorInfoValueBytes = 256;
// A PreconditionFailure travels beside them: at most this many violations,
// each one's type and subject cut to kMaxErrorInfoValueBytes and its
// description (a sentence that may list examples) to kMaxMessageBytes.
inline constexpr int kMaxPreconditionViolations = 4;
// A detail of any other type this size or larger is left out (and logged):
// none is sent today, and one that grew would otherwise fail the caller's
// call in its trailers instead of reporting the error.
inline constexpr size_t kMaxOtherDetailBytes = 1024;

// Converts `status` for the wire. The grpc::Status carries a serialised
// google.rpc.Status in its details with every payload of `status` (BadRequest
// and others) and always an ErrorInfo: the one attached with WithErrorInfo,
// or one whose reason is the code's name. `domain` ("registry.jalin") fills
// ErrorInfo.domain. A server fault's message is logged with a new reference
// and replaced by "internal error in <domain> (reference <id>)"; the default
// ErrorInfo carries the reference in its metadata. Any other message is cut
// to kMaxMessageBytes, ErrorInfo metadata values to kMaxErrorInfoValueBytes
// and a PreconditionFailure as above; a detail of another type (not a
// BadRequest, which FieldViolations bounds where it is made) is left out
// from kMaxOtherDetailBytes on.
grpc::Status ToGrpcStatus(const absl::Status& status, absl::string_view domain);

// The inverse, for clients: code, message and every detail become payloads
// (readable with GetBadRequest/GetErrorInfo).
absl::Status FromGrpcStatus(const grpc::Status& status);

// The google.rpc.Status inside a grpc::Status (code and message only when it
// carries no details).
google::rpc::Status ToRpcStatus(const grpc::Status& status);

// Builds the rich google.rpc.Status of an absl::Status (a server fault and
// a long message as ToGrpcStatus sends them).
google::rpc::Status ToRpcStatus(const absl::Status& status,
                                absl::string_view domain);

// Converts a google.rpc.Status (e.g. a per-record import error) back.
absl::Status FromRpcStatus(const google::rpc::Status& status);

}  // namespace jalin

#endif  // COMMON_STATUS_GRPC_STATUS_H_
