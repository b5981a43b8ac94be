// The gRPC side of Subscribe: a callback-API write reactor per stream (no
// thread per subscriber) that forwards between gRPC and its StreamSession.

#ifndef SERVICES_NOTIFICATION_SUBSCRIBE_REACTOR_H_
#define SERVICES_NOTIFICATION_SUBSCRIBE_REACTOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/server_callback.h"
#include "jalin/notification/v1/notification.pb.h"
#include "services/notification/live_hub.h"
#include "services/notification/stream_session.h"

namespace jalin::notification {

// Deletes itself when the call is done. `hub` must outlive it.
class SubscribeReactor final
    : public grpc::ServerWriteReactor<v1::Notification>,
      public StreamSink {
 public:
  SubscribeReactor(LiveHub* hub, const std::string& recipient,
                   std::optional<int64_t> after_seq);

  // StreamSink.
  void Write(const v1::Notification* message) override;
  void End(const absl::Status& status) override;

  // grpc::ServerWriteReactor.
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  LiveHub* const hub_;
  std::shared_ptr<StreamSession> session_;
};

// A stream refused before it started: finishes at once with `status`.
class RefusedStream final : public grpc::ServerWriteReactor<v1::Notification> {
 public:
  explicit RefusedStream(const absl::Status& status);
  void OnDone() override { delete this; }
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_SUBSCRIBE_REACTOR_H_
