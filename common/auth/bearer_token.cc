#include "common/auth/bearer_token.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace jalin::auth {

bool IsBearerTokenSyntax(absl::string_view token) {
  size_t i = 0;
  for (; i < token.size(); ++i) {
    const char c = token[i];
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '.' && c != '_' && c != '~' && c != '+' && c != '/') {
      break;
    }
  }
  if (i == 0) return false;
  for (; i < token.size(); ++i) {
    if (token[i] != '=') return false;
  }
  return true;
}

absl::StatusOr<absl::string_view> ParseBearerAuthorization(
    absl::string_view authorization) {
  constexpr absl::string_view kScheme = "Bearer";
  absl::string_view value = absl::StripAsciiWhitespace(authorization);
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme) ||
      value[kScheme.size()] != ' ') {
    return absl::UnauthenticatedError(
        "the Authorization header must be \"Bearer <token>\"");
  }
  absl::string_view token = value.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  if (token.empty()) {
    return absl::UnauthenticatedError(
        "the Authorization header must be \"Bearer <token>\"");
  }
  if (!IsBearerTokenSyntax(token)) {
    return absl::UnauthenticatedError(
        "malformed bearer token: a token may hold only letters, digits and "
        "-._~+/ followed by any '=' (RFC 6750)");
  }
  return token;
}

}  // namespace jalin::auth
