// Establishes the principal of an incoming call from its bearer token.

#ifndef COMMON_AUTH_AUTHENTICATOR_H_
#define COMMON_AUTH_AUTHENTICATOR_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "grpcpp/server_context.h"

namespace jalin::auth {

// Verifies "authorization: Bearer <jwt>" metadata. Verified tokens are
// cached until they expire, so that the logging interceptor and the handler
// can both ask without verifying twice.
//
// Thread-safe. `clock` must outlive the authenticator.
class Authenticator {
 public:
  Authenticator(JwtKeys keys, const Clock* clock);

  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  // UNAUTHENTICATED when the metadata has no bearer token or the token is
  // invalid or expired.
  absl::StatusOr<Principal> Authenticate(
      const grpc::ServerContextBase& ctx) const;
  absl::StatusOr<Principal> AuthenticateToken(absl::string_view token) const;

 private:
  static constexpr size_t kMaxCached = 4096;

  const JwtKeys keys_;
  const Clock* const clock_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Principal> cache_
      ABSL_GUARDED_BY(mu_);
};

// The bearer token of a call's metadata, or empty.
absl::string_view BearerToken(const grpc::ServerContextBase& ctx);

}  // namespace jalin::auth

#endif  // COMMON_AUTH_AUTHENTICATOR_H_
