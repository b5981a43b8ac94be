// JSON Web Tokens for jalin principals: HS256 with a shared secret for
// development, RS256 with a key pair for deployments.
//
// Claims: iss "jalin", sub, role, regions (array of codes), org, src
// (integrator's source system), iat, exp.

#ifndef COMMON_AUTH_JWT_H_
#define COMMON_AUTH_JWT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"

namespace jalin::auth {

// Keys a process holds. Verification accepts a token signed with either
// configured algorithm, choosing the key by the token's "alg" header and
// refusing any other algorithm (so a public key is never used as an HMAC
// secret).
struct JwtKeys {
  // HS256 shared secret; empty disables HS256.
  std::string hs256_secret;
  // RS256 public key (PEM) for verifying; empty disables RS256.
  std::string rs256_public_pem;
  // RS256 private key (PEM), only where tokens are minted.
  std::string rs256_private_pem;

  bool empty() const {
    return hs256_secret.empty() && rs256_public_pem.empty();
  }
};

// Reads keys from files (empty path = not configured). Fails with a message
// naming the file when one cannot be read or an HS256 secret is shorter than
// 32 bytes.
absl::StatusOr<JwtKeys> LoadJwtKeys(absl::string_view hs256_secret_file,
                                    absl::string_view rs256_public_key_file,
                                    absl::string_view rs256_private_key_file);

// Signs a token for `principal`, valid from `now` for `ttl`. Uses RS256 when
// a private key is present, HS256 otherwise.
absl::StatusOr<std::string> MintToken(const Principal& principal,
                                      const JwtKeys& keys, absl::Time now,
                                      absl::Duration ttl);

// Verifies signature, issuer and expiry and returns the principal.
// UNAUTHENTICATED for every kind of bad token, with a message saying which.
absl::StatusOr<Principal> VerifyToken(absl::string_view token,
                                      const JwtKeys& keys, absl::Time now);

}  // namespace jalin::auth

#endif  // COMMON_AUTH_JWT_H_
