#include "common/auth/authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace jalin::auth {

absl::string_view BearerToken(const grpc::ServerContextBase& ctx) {
  const auto& md = ctx.client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) return {};
  absl::string_view value(it->second.data(), it->second.size());
  constexpr absl::string_view kPrefix = "Bearer ";
  if (value.size() <= kPrefix.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kPrefix.size()), kPrefix)) {
    return {};
  }
  return absl::StripAsciiWhitespace(value.substr(kPrefix.size()));
}

Authenticator::Authenticator(JwtKeys keys, const Clock* clock)
    : keys_(std::move(keys)), clock_(clock) {}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::ServerContextBase& ctx) const {
  absl::string_view token = BearerToken(ctx);
  if (token.empty()) {
    return absl::UnauthenticatedError(
        "missing bearer token: send 'authorization: Bearer <jwt>'");
  }
  return AuthenticateToken(token);
}

absl::StatusOr<Principal> Authenticator::AuthenticateToken(
    absl::string_view token) const {
  const absl::Time now = clock_->Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(token);
    if (it != cache_.end()) {
      if (it->second.expire_time > now) return it->second;
      cache_.erase(it);
    }
  }
  absl::StatusOr<Principal> principal = VerifyToken(token, keys_, now);
  if (!principal.ok()) return principal;
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_.emplace(std::string(token), *principal);
  return principal;
}

}  // namespace jalin::auth
