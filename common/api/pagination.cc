#include "common/api/pagination.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jalin::api {
namespace {

constexpr absl::string_view kVersion = "p1";

// FNV-1a: a stable fingerprint of the query text (not a security measure:
// tokens are not secrets, only opaque).
std::string Fingerprint(absl::string_view query) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : query) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return absl::StrFormat("%016x", h);
}

}  // namespace

int PageSize(int32_t requested, FieldViolations& violations,
             absl::string_view field, int default_size, int max_size) {
  if (requested < 0) {
    violations.Add(std::string(field), "must not be negative");
    return default_size;
  }
  if (requested == 0) return default_size;
  return requested > max_size ? max_size : requested;
}

std::string EncodePageToken(absl::string_view query,
                            absl::string_view last_key) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(kVersion, ":", Fingerprint(query), ":", last_key));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view query) {
  if (token.empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return InvalidFieldError("page_token", "is not a token this API issued");
  }
  const std::string prefix =
      absl::StrCat(kVersion, ":", Fingerprint(query), ":");
  if (raw.compare(0, prefix.size(), prefix) != 0) {
    if (raw.rfind(std::string(kVersion) + ":", 0) == 0) {
      return InvalidFieldError(
          "page_token",
          "belongs to a request with other filters; start again "
          "without a page_token");
    }
    return InvalidFieldError("page_token", "is not a token this API issued");
  }
  return raw.substr(prefix.size());
}

}  // namespace jalin::api
