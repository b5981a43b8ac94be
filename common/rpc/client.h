// Outgoing calls between services and from tools: channels, and contexts
// that always carry a deadline and the caller's bearer token.

#ifndef COMMON_RPC_CLIENT_H_
#define COMMON_RPC_CLIENT_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/clock.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace jalin::rpc {

// An insecure channel (TLS is terminated by the mesh/ingress) with
// keepalive and jalin's message size limits.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address);

// Sets the deadline (now + timeout) and, if non-empty, the bearer token and
// request id on `ctx`. Every outgoing call goes through this. A token that
// is not an RFC 6750 b64token, or a request id with a byte outside
// printable ASCII, is left out (gRPC would abort the process on it).
void PrepareContext(grpc::ClientContext* ctx, absl::Duration timeout,
                    absl::string_view bearer_token,
                    absl::string_view request_id = "");

// The token a service presents to other services: either a fixed token
// (read from a file, for deployments with RS256 where services hold no
// private key) or one minted with the configured keys for
// "services/<name>" with role service, renewed before it expires.
// Thread-safe.
class ServiceToken {
 public:
  ServiceToken(std::string service, auth::JwtKeys keys, std::string fixed_token,
               const Clock* clock);

  absl::StatusOr<std::string> Get();

 private:
  const std::string service_;
  const auth::JwtKeys keys_;
  const std::string fixed_;
  const Clock* const clock_;
  absl::Mutex mu_;
  std::string token_ ABSL_GUARDED_BY(mu_);
  absl::Time renew_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace jalin::rpc

#endif  // COMMON_RPC_CLIENT_H_
