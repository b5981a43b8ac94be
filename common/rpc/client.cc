#include "common/rpc/client.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/auth/bearer_token.h"
#include "common/log/log.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace jalin::rpc {
namespace {

// gRPC accepts only printable ASCII in a text metadata value; handed
// anything else, it fails the call start with an assertion, which aborts
// the process.
bool LegalMetadataValue(absl::string_view value) {
  for (char c : value) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7E) return false;
  }
  return true;
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30'000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10'000);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

void PrepareContext(grpc::ClientContext* ctx, absl::Duration timeout,
                    absl::string_view bearer_token,
                    absl::string_view request_id) {
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  // A token that is not RFC 6750 syntax, or a request id gRPC would refuse
  // (see LegalMetadataValue), is left out rather than abort the caller:
  // without a token the service answers UNAUTHENTICATED, which is what a
  // malformed token deserves. Callers that take tokens from users check
  // them first (auth::ParseBearerAuthorization); this is the last line of
  // defence.
  if (!bearer_token.empty()) {
    if (auth::IsBearerTokenSyntax(bearer_token)) {
      ctx->AddMetadata("authorization", absl::StrCat("Bearer ", bearer_token));
    } else {
      log::Warn("bearer token left out of the call: not RFC 6750 syntax",
                {{"token_bytes", bearer_token.size()}});
    }
  }
  if (!request_id.empty() && LegalMetadataValue(request_id)) {
    ctx->AddMetadata("x-request-id", std::string(request_id));
  }
}

ServiceToken::ServiceToken(std::string service, auth::JwtKeys keys,
                           std::string fixed_token, const Clock* clock)
    : service_(std::move(service)),
      keys_(std::move(keys)),
      fixed_(std::move(fixed_token)),
      clock_(clock) {}

absl::StatusOr<std::string> ServiceToken::Get() {
  if (!fixed_.empty()) return fixed_;
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  if (now < renew_at_) return token_;
  auth::Principal self;
  self.subject = absl::StrCat("services/", service_);
  self.role = auth::Role::kService;
  constexpr absl::Duration kTtl = absl::Hours(1);
  absl::StatusOr<std::string> token = auth::MintToken(self, keys_, now, kTtl);
  if (!token.ok()) return token.status();
  token_ = *token;
  renew_at_ = now + kTtl / 2;
  return token_;
}

}  // namespace jalin::rpc
