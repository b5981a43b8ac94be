// Which roles may call which method: one table per service, checked at the
// top of every handler. A method missing from the table is refused
// (fail-closed); MissingMethods() lets a test prove the table is complete.

#ifndef COMMON_AUTH_POLICY_H_
#define COMMON_AUTH_POLICY_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/authenticator.h"
#include "common/auth/principal.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/server_context.h"

namespace jalin::auth {

// Immutable after construction; thread-safe to use from handlers.
// `authenticator` must outlive the policy.
class MethodPolicy {
 public:
  explicit MethodPolicy(const Authenticator* authenticator);

  // `method` is the short name ("GetRegion").
  MethodPolicy& Allow(absl::string_view method,
                      std::initializer_list<Role> roles);
  // Any authenticated principal.
  MethodPolicy& AllowAuthenticated(absl::string_view method);

  // Authenticates the call and checks the role. UNAUTHENTICATED without a
  // valid token, PERMISSION_DENIED for a role the method does not allow.
  // Region and organisation scope are the handler's to check (before it
  // looks anything up, so that a denial reveals nothing).
  absl::StatusOr<Principal> Authorize(const grpc::ServerContextBase& ctx,
                                      absl::string_view method) const;

  // Methods of `service` that have no entry.
  std::vector<std::string> MissingMethods(
      const google::protobuf::ServiceDescriptor& service) const;

 private:
  static constexpr unsigned kAnyRole = ~0u;
  const Authenticator* const authenticator_;
  absl::flat_hash_map<std::string, unsigned> allowed_;  // role bit set
};

// PERMISSION_DENIED with an ErrorInfo reason; the message names what the
// principal lacks, never whether the resource exists.
absl::Status PermissionDenied(absl::string_view what);

}  // namespace jalin::auth

#endif  // COMMON_AUTH_POLICY_H_
