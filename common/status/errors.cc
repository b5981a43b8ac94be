#include "common/status/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/strings/abbreviate.h"
#include "google/protobuf/io/coded_stream.h"

namespace jalin {

void FieldViolations::Add(std::string field, std::string description) {
  google::rpc::BadRequest::FieldViolation v;
  if (field.size() > kMaxFieldBytes) {
    field = strings::BoundUtf8Bytes(field, kMaxFieldBytes);
  }
  if (description.size() > kMaxDescriptionBytes) {
    description = strings::BoundUtf8Bytes(description, kMaxDescriptionBytes);
  }
  v.set_field(std::move(field));
  v.set_description(std::move(description));
  violations_.push_back(std::move(v));
}

void FieldViolations::Merge(const FieldViolations& other,
                            absl::string_view prefix) {
  for (const auto& v : other.violations_) {
    std::string field =
        prefix.empty() ? v.field() : absl::StrCat(prefix, ".", v.field());
    Add(std::move(field), v.description());
  }
}

void FieldViolations::AddFrom(const absl::Status& status,
                              absl::string_view fallback_field) {
  if (status.ok()) return;
  std::optional<google::rpc::BadRequest> bad = GetBadRequest(status);
  if (!bad.has_value() || bad->field_violations().empty()) {
    Add(std::string(fallback_field), std::string(status.message()));
    return;
  }
  for (const auto& fv : bad->field_violations()) {
    Add(fv.field(), fv.description());
  }
}

absl::Status FieldViolations::ToStatus(absl::string_view message) const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest bad_request;
  size_t bytes = 0;
  for (const auto& v : violations_) {
    // The entry in the BadRequest: its tag, its length and itself.
    const size_t size = v.ByteSizeLong();
    const size_t entry =
        1 + google::protobuf::io::CodedOutputStream::VarintSize64(size) + size;
    const size_t listed = bad_request.field_violations_size();
    if (listed > 0 &&
        (listed == kMaxListed || bytes + entry > kMaxListedBytes)) {
      break;
    }
    bytes += entry;
    *bad_request.add_field_violations() = v;
  }
  std::string text = absl::StrCat(message, ": ", violations_[0].field(), " ",
                                  violations_[0].description());
  const size_t unlisted =
      violations_.size() - bad_request.field_violations_size();
  if (unlisted > 0) {
    absl::StrAppend(&text, " (and ", violations_.size() - 1, " more, ",
                    unlisted, " of them not listed)");
  } else if (violations_.size() > 1) {
    absl::StrAppend(&text, " (and ", violations_.size() - 1, " more)");
  }
  absl::Status status = absl::InvalidArgumentError(text);
  status.SetPayload(kBadRequestTypeUrl,
                    absl::Cord(bad_request.SerializeAsString()));
  return status;
}

absl::Status InvalidFieldError(std::string field, std::string description) {
  FieldViolations v;
  v.Add(std::move(field), std::move(description));
  return v.ToStatus();
}

absl::Status WithErrorInfo(absl::Status status, absl::string_view reason,
                           const std::map<std::string, std::string>& metadata) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  for (const auto& [k, v] : metadata) (*info.mutable_metadata())[k] = v;
  status.SetPayload(kErrorInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

std::optional<google::rpc::BadRequest> GetBadRequest(const absl::Status& s) {
  auto payload = s.GetPayload(kBadRequestTypeUrl);
  if (!payload) return std::nullopt;
  google::rpc::BadRequest out;
  if (!out.ParseFromString(std::string(*payload))) return std::nullopt;
  return out;
}

std::optional<google::rpc::ErrorInfo> GetErrorInfo(const absl::Status& s) {
  auto payload = s.GetPayload(kErrorInfoTypeUrl);
  if (!payload) return std::nullopt;
  google::rpc::ErrorInfo out;
  if (!out.ParseFromString(std::string(*payload))) return std::nullopt;
  return out;
}

absl::Status Annotate(const absl::Status& status, absl::string_view context) {
  if (status.ok()) return status;
  absl::Status out(status.code(),
                   absl::StrCat(context, ": ", status.message()));
  status.ForEachPayload(
      [&out](absl::string_view url, const absl::Cord& payload) {
        out.SetPayload(url, payload);
      });
  return out;
}

}  // namespace jalin
