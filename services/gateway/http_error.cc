#include "services/gateway/http_error.h"

#include "absl/strings/escaping.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"

namespace jalin::gateway {

int HttpStatusFromCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kUnknown:
      return 500;
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kFailedPrecondition:
      return 400;
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kInternal:
      return 500;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDataLoss:
      return 500;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    default:
      return 500;
  }
}

std::string ErrorJson(const google::rpc::Status& status, int http_status) {
  const auto code = static_cast<absl::StatusCode>(status.code());
  nlohmann::json details = nlohmann::json::array();
  for (const google::protobuf::Any& any : status.details()) {
    std::string text;
    nlohmann::json detail;
    if (google::protobuf::util::MessageToJsonString(any, &text).ok()) {
      detail = nlohmann::json::parse(text, nullptr, false);
    }
    if (!detail.is_object()) {
      // A detail type this binary does not know: keep it, undecoded.
      detail = {{"@type", any.type_url()},
                {"value", absl::Base64Escape(any.value())}};
    }
    details.push_back(std::move(detail));
  }
  nlohmann::json error = {
      {"code", http_status != 0 ? http_status : HttpStatusFromCode(code)},
      {"message", status.message()},
      {"status", StatusCodeName(code)},
      {"details", std::move(details)}};
  return nlohmann::json{{"error", std::move(error)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ErrorJson(const absl::Status& status, absl::string_view domain,
                      int http_status) {
  return ErrorJson(ToRpcStatus(status, domain), http_status);
}

}  // namespace jalin::gateway
