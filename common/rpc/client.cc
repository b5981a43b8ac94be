#include "common/rpc/client.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace jalin::rpc {

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
  if (!bearer_token.empty()) {
    ctx->AddMetadata("authorization", absl::StrCat("Bearer ", bearer_token));
  }
  if (!request_id.empty()) {
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
