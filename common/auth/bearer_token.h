// The syntax of bearer tokens (RFC 6750 section 2.1) and of the HTTP
// Authorization header that carries one. Every program that takes a token
// from a user (the gateway from HTTP clients, jalinctl from its flags)
// checks it here before the token goes into gRPC metadata, where a byte
// outside printable ASCII is refused.
//
// Stateless and thread-safe.

#ifndef COMMON_AUTH_BEARER_TOKEN_H_
#define COMMON_AUTH_BEARER_TOKEN_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jalin::auth {

// True when `token` is an RFC 6750 b64token:
//   1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
// Every JWT is one.
bool IsBearerTokenSyntax(absl::string_view token);

// The token of an Authorization header value "Bearer <token>". The scheme
// is matched case-insensitively (RFC 7235) and may be followed by more than
// one space; whitespace around the value is ignored. UNAUTHENTICATED when
// the scheme is not Bearer, the token is missing, or it is not a b64token.
// The result points into `authorization`.
absl::StatusOr<absl::string_view> ParseBearerAuthorization(
    absl::string_view authorization);

}  // namespace jalin::auth

#endif  // COMMON_AUTH_BEARER_TOKEN_H_
