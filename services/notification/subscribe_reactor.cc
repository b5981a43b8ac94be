#include "services/notification/subscribe_reactor.h"

#include "common/server/service_host.h"
#include "common/status/grpc_status.h"

namespace jalin::notification {

SubscribeReactor::SubscribeReactor(LiveHub* hub, const std::string& recipient,
                                   std::optional<int64_t> after_seq)
    : hub_(hub) {
  // Headers go out at once, so that the client knows the stream is open
  // before the first notification.
  StartSendInitialMetadata();
  session_ = hub_->Open(recipient, after_seq, this);
}

void SubscribeReactor::Write(const v1::Notification* message) {
  StartWrite(message);
}

void SubscribeReactor::End(const absl::Status& status) {
  Finish(ToGrpcStatus(status, ErrorDomain()));
}

void SubscribeReactor::OnWriteDone(bool ok) { session_->OnWriteDone(ok); }

void SubscribeReactor::OnCancel() { session_->OnCancel(); }

void SubscribeReactor::OnDone() {
  hub_->Close(session_);
  delete this;
}

RefusedStream::RefusedStream(const absl::Status& status) {
  Finish(ToGrpcStatus(status, ErrorDomain()));
}

}  // namespace jalin::notification
