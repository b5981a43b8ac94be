// Rich errors inside jalin: an absl::Status whose payloads carry the
// google.rpc details that AIP-193 asks for (BadRequest with every field
// violation, ErrorInfo with a machine-readable reason). grpc_status.h turns
// such a status into a grpc::Status at the edge, in one place.

#ifndef COMMON_STATUS_ERRORS_H_
#define COMMON_STATUS_ERRORS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"

namespace jalin {

// Collects every field violation of a request before failing it, so that the
// caller learns all of them at once.
//
//   FieldViolations v;
//   if (nib.size() != 13) v.Add("enterprise.nib", "must be 13 digits");
//   RETURN_IF_ERROR(v.ToStatus("invalid enterprise"));
//
// Not thread-safe.
class FieldViolations {
 public:
  // ToStatus lists at most kMaxListed violations, and at most
  // kMaxListedBytes of them serialised (the first one always). The
  // BadRequest travels in the grpc-status-details-bin trailer, and gRPC
  // clients refuse trailers above 8 KiB by default (C++, which the gateway
  // and jalinctl use, fails the call with RESOURCE_EXHAUSTED "received
  // metadata size exceeds limit", counting decoded bytes; some clients
  // count the base64, a third more). 2 KiB leaves room for the message,
  // the ErrorInfo and the encoding.
  static constexpr size_t kMaxListed = 100;
  static constexpr size_t kMaxListedBytes = 2048;

  // Add keeps at most this many bytes of a field path and of a description,
  // cut between UTF-8 code points with "..." at the end (the "..."
  // included). A description is a sentence for a person: the longest fixed
  // one in jalin is about 120 bytes, and a value it repeats is abbreviated
  // to 64 code points at the source (api::Abbreviate), which leaves room
  // for one such value; a path is dotted field names and indexes. What the
  // bound stops is a client's value repeated whole (a 100,000-character
  // name, a map key in a path) by a check that forgot to abbreviate it: the
  // first violation, listed whatever its size, stays near 512 bytes (a
  // quarter of kMaxListedBytes, so a few more are still listed after it),
  // and the status message that repeats it stays under the 1 KiB the edge
  // allows (kMaxMessageBytes in grpc_status.h), so the edge never cuts the
  // count of the others off an INVALID_ARGUMENT.
  static constexpr size_t kMaxFieldBytes = 256;
  static constexpr size_t kMaxDescriptionBytes = 256;

  FieldViolations() = default;

  // `field` is the path in the request, dotted with indexes in brackets:
  // "enterprise.certifications[1].expire_date". Both are cut to the bounds
  // above.
  void Add(std::string field, std::string description);
  // Adds every violation of `other`, with `prefix` + "." before each field.
  void Merge(const FieldViolations& other, absl::string_view prefix = "");
  // Adds the violations a failed `status` names (its BadRequest: only those
  // listed, see ToStatus); one on `fallback_field` with its message when it
  // names none. Nothing for OK.
  void AddFrom(const absl::Status& status,
               absl::string_view fallback_field = "");

  // Every violation added, listed or not by ToStatus.
  bool empty() const { return violations_.empty(); }
  size_t size() const { return violations_.size(); }
  const std::vector<google::rpc::BadRequest::FieldViolation>& violations()
      const {
    return violations_;
  }

  // OK when empty; otherwise INVALID_ARGUMENT with `message` followed by
  // the first violation and how many more there are, and a BadRequest
  // payload listing the first ones in order, within the limits above. When
  // some are left out the message says how many:
  //   "invalid enterprise: enterprise.nib must be 13 digits (and 411 more,
  //   372 of them not listed)".
  absl::Status ToStatus(absl::string_view message = "invalid request") const;

 private:
  std::vector<google::rpc::BadRequest::FieldViolation> violations_;
};

// INVALID_ARGUMENT for a single bad field.
absl::Status InvalidFieldError(std::string field, std::string description);

// Attaches an ErrorInfo (reason in UPPER_SNAKE_CASE, e.g.
// "CROSS_TENANT_WRITE") to `status`. The domain is filled in at the edge.
absl::Status WithErrorInfo(
    absl::Status status, absl::string_view reason,
    const std::map<std::string, std::string>& metadata = {});

// The details carried by a status, if any.
std::optional<google::rpc::BadRequest> GetBadRequest(const absl::Status& s);
std::optional<google::rpc::ErrorInfo> GetErrorInfo(const absl::Status& s);

// Type URLs under which the payloads are stored.
inline constexpr absl::string_view kBadRequestTypeUrl =
    "type.googleapis.com/google.rpc.BadRequest";
inline constexpr absl::string_view kErrorInfoTypeUrl =
    "type.googleapis.com/google.rpc.ErrorInfo";
inline constexpr absl::string_view kPreconditionFailureTypeUrl =
    "type.googleapis.com/google.rpc.PreconditionFailure";

// Prefixes the message of a non-OK status with `context` ("opening store:
// ..."), keeping code and payloads.
absl::Status Annotate(const absl::Status& status, absl::string_view context);

}  // namespace jalin

#endif  // COMMON_STATUS_ERRORS_H_
