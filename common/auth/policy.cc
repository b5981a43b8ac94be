#include "common/auth/policy.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"

namespace jalin::auth {
namespace {

unsigned Bit(Role role) { return 1u << static_cast<unsigned>(role); }

}  // namespace

MethodPolicy::MethodPolicy(const Authenticator* authenticator)
    : authenticator_(authenticator) {}

MethodPolicy& MethodPolicy::Allow(absl::string_view method,
                                  std::initializer_list<Role> roles) {
  unsigned bits = 0;
  for (Role r : roles) bits |= Bit(r);
  allowed_[std::string(method)] |= bits;
  return *this;
}

MethodPolicy& MethodPolicy::AllowAuthenticated(absl::string_view method) {
  allowed_[std::string(method)] = kAnyRole;
  return *this;
}

absl::StatusOr<Principal> MethodPolicy::Authorize(
    const grpc::ServerContextBase& ctx, absl::string_view method) const {
  absl::StatusOr<Principal> principal = authenticator_->Authenticate(ctx);
  if (!principal.ok()) {
    return WithErrorInfo(principal.status(), "UNAUTHENTICATED");
  }
  auto it = allowed_.find(method);
  if (it == allowed_.end() || (it->second & Bit(principal->role)) == 0) {
    return WithErrorInfo(
        absl::PermissionDeniedError(absl::StrCat(
            "role ", RoleName(principal->role), " may not call ", method)),
        "ROLE_NOT_ALLOWED", {{"method", std::string(method)}});
  }
  return principal;
}

std::vector<std::string> MethodPolicy::MissingMethods(
    const google::protobuf::ServiceDescriptor& service) const {
  std::vector<std::string> missing;
  for (int i = 0; i < service.method_count(); ++i) {
    const std::string& name = service.method(i)->name();
    if (!allowed_.contains(name)) missing.push_back(name);
  }
  return missing;
}

absl::Status PermissionDenied(absl::string_view what) {
  return WithErrorInfo(absl::PermissionDeniedError(std::string(what)),
                       "PERMISSION_DENIED");
}

}  // namespace jalin::auth
