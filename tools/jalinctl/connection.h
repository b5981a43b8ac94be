// The flags every subcommand that talks to services shares: where the
// services are, the bearer token, and the deadline of each call.

#ifndef TOOLS_JALINCTL_CONNECTION_H_
#define TOOLS_JALINCTL_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config/config.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace jalin::ctl {

// The token file `deploy/dev.sh up` writes, used when no token is given.
inline constexpr char kDevTokenFile[] = "var/dev-token";

// Not thread-safe; filled by Config::Parse, then read.
struct Connection {
  std::string registry_address = "127.0.0.1:7101";
  std::string matching_address = "127.0.0.1:7102";
  std::string curation_address = "127.0.0.1:7103";
  std::string notification_address = "127.0.0.1:7104";
  std::string token;
  std::string token_file;
  absl::Duration timeout = absl::Seconds(30);

  // Registers the flags (all addresses, token, token_file, timeout) on
  // `config`; `this` must outlive its Parse.
  void AddFlags(Config& config);

  // --token, else the contents of --token_file, else of var/dev-token when
  // that file exists, else empty (the service will answer
  // UNAUTHENTICATED). A --token_file that cannot be read is an error.
  absl::StatusOr<std::string> Token() const;

  // Sets the deadline (now + timeout) and the bearer token on `ctx`.
  void Prepare(grpc::ClientContext* ctx, const std::string& token,
               absl::Duration timeout = absl::ZeroDuration()) const;

  // A new channel to `address`.
  std::shared_ptr<grpc::Channel> Channel(const std::string& address) const;
};

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_CONNECTION_H_
