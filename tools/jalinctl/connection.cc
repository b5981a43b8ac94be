#include "tools/jalinctl/connection.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth/bearer_token.h"
#include "common/rpc/client.h"

namespace jalin::ctl {
namespace {

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read the token file ", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(ss.str()));
}

}  // namespace

void Connection::AddFlags(Config& config) {
  config.AddString("registry_address", &registry_address,
                   "the registry's gRPC address");
  config.AddString("matching_address", &matching_address,
                   "the matching service's gRPC address");
  config.AddString("curation_address", &curation_address,
                   "the curation service's gRPC address");
  config.AddString("notification_address", &notification_address,
                   "the notification service's gRPC address");
  config.AddString("token", &token, "bearer token (JWT); see 'jalinctl token'");
  config.AddString("token_file", &token_file,
                   "file holding the bearer token (when --token is empty; "
                   "default var/dev-token if it exists)");
  config.AddDuration("timeout", &timeout, "deadline of each call");
}

absl::StatusOr<std::string> Connection::Token() const {
  absl::StatusOr<std::string> t = std::string();
  std::string from = "--token";
  if (!token.empty()) {
    t = std::string(absl::StripAsciiWhitespace(token));
  } else if (!token_file.empty()) {
    t = ReadTokenFile(token_file);
    from = token_file;
  } else if (std::ifstream(kDevTokenFile).good()) {
    t = ReadTokenFile(kDevTokenFile);
    from = kDevTokenFile;
  }
  // gRPC would refuse other bytes in metadata: say so before any call.
  if (t.ok() && !t->empty() && !auth::IsBearerTokenSyntax(*t)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the token from ", from,
        " is not a bearer token (letters, digits and -._~+/, then any =)"));
  }
  return t;
}

void Connection::Prepare(grpc::ClientContext* ctx, const std::string& token,
                         absl::Duration call_timeout) const {
  rpc::PrepareContext(
      ctx, call_timeout > absl::ZeroDuration() ? call_timeout : timeout, token);
}

std::shared_ptr<grpc::Channel> Connection::Channel(
    const std::string& address) const {
  return rpc::MakeChannel(address);
}

}  // namespace jalin::ctl
