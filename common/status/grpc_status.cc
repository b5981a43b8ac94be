#include "common/status/grpc_status.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/ids.h"
#include "common/log/log.h"
#include "common/status/errors.h"
#include "common/strings/abbreviate.h"
#include "google/rpc/error_details.pb.h"

namespace jalin {

std::string StatusCodeName(absl::StatusCode code) {
  return absl::StatusCodeToString(code);
}

bool IsServerFault(absl::StatusCode code) {
  return code == absl::StatusCode::kInternal ||
         code == absl::StatusCode::kUnknown ||
         code == absl::StatusCode::kDataLoss;
}

namespace {

void BoundField(std::string* field, size_t max_bytes) {
  if (field->size() > max_bytes) {
    *field = strings::BoundUtf8Bytes(*field, max_bytes);
  }
}

// Cuts `failure` to the bounds in grpc_status.h.
void BoundPreconditionFailure(google::rpc::PreconditionFailure& failure) {
  auto* violations = failure.mutable_violations();
  if (violations->size() > kMaxPreconditionViolations) {
    violations->DeleteSubrange(kMaxPreconditionViolations,
                               violations->size() - kMaxPreconditionViolations);
  }
  for (auto& v : *violations) {
    BoundField(v.mutable_type(), kMaxErrorInfoValueBytes);
    BoundField(v.mutable_subject(), kMaxErrorInfoValueBytes);
    BoundField(v.mutable_description(), kMaxMessageBytes);
  }
}

}  // namespace

google::rpc::Status ToRpcStatus(const absl::Status& status,
                                absl::string_view domain) {
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(status.code()));
  // A server fault describes the service's insides (a statement, a file):
  // the caller gets a reference to quote, the log the whole message.
  std::string reference;
  if (IsServerFault(status.code())) {
    reference = NewUlid();
    log::Error("request failed inside the service",
               {{"reference", reference},
                {"code", StatusCodeName(status.code())},
                {"domain", std::string(domain)},
                {"error", std::string(status.message())}});
    rpc.set_message(absl::StrCat("internal error in ", domain, " (reference ",
                                 reference, ")"));
  } else {
    rpc.set_message(strings::BoundUtf8Bytes(status.message(), kMaxMessageBytes,
                                            kMessageCut));
  }
  if (status.ok()) return rpc;
  bool has_error_info = false;
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    if (url == kErrorInfoTypeUrl) {
      google::rpc::ErrorInfo info;
      if (info.ParseFromString(std::string(payload))) {
        has_error_info = true;
        if (info.domain().empty()) info.set_domain(std::string(domain));
        for (auto& [key, value] : *info.mutable_metadata()) {
          if (value.size() > kMaxErrorInfoValueBytes) {
            value = strings::BoundUtf8Bytes(value, kMaxErrorInfoValueBytes);
          }
        }
        rpc.add_details()->PackFrom(info);
        return;
      }
    }
    if (url == kPreconditionFailureTypeUrl) {
      google::rpc::PreconditionFailure failure;
      if (failure.ParseFromString(std::string(payload))) {
        BoundPreconditionFailure(failure);
        rpc.add_details()->PackFrom(failure);
        return;
      }
    }
    if (url != kBadRequestTypeUrl && payload.size() >= kMaxOtherDetailBytes) {
      log::Warn("error detail left out: too large for the trailers",
                {{"type", std::string(url)},
                 {"bytes", absl::StrCat(payload.size())},
                 {"domain", std::string(domain)}});
      return;
    }
    google::protobuf::Any* any = rpc.add_details();
    any->set_type_url(std::string(url));
    any->set_value(std::string(payload));
  });
  if (!has_error_info) {
    google::rpc::ErrorInfo info;
    info.set_reason(StatusCodeName(status.code()));
    info.set_domain(std::string(domain));
    if (!reference.empty()) (*info.mutable_metadata())["reference"] = reference;
    rpc.add_details()->PackFrom(info);
  }
  return rpc;
}

grpc::Status ToGrpcStatus(const absl::Status& status,
                          absl::string_view domain) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status rpc = ToRpcStatus(status, domain);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      rpc.message(), rpc.SerializeAsString());
}

google::rpc::Status ToRpcStatus(const grpc::Status& status) {
  google::rpc::Status rpc;
  if (!status.error_details().empty() &&
      rpc.ParseFromString(status.error_details())) {
    return rpc;
  }
  rpc.Clear();
  rpc.set_code(static_cast<int>(status.error_code()));
  rpc.set_message(status.error_message());
  return rpc;
}

absl::Status FromRpcStatus(const google::rpc::Status& rpc) {
  if (rpc.code() == 0) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(rpc.code()), rpc.message());
  for (const auto& any : rpc.details()) {
    out.SetPayload(any.type_url(), absl::Cord(any.value()));
  }
  return out;
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return FromRpcStatus(ToRpcStatus(status));
}

}  // namespace jalin
