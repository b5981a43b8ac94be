#include "common/rpc/health.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/rpc/client.h"
#include "common/status/grpc_status.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace jalin::rpc {

absl::StatusOr<std::string> CheckHealth(const std::string& address,
                                        const std::string& service,
                                        absl::Duration timeout) {
  auto stub = grpc::health::v1::Health::NewStub(MakeChannel(address));
  grpc::ClientContext ctx;
  PrepareContext(&ctx, timeout, "");
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(service);
  grpc::health::v1::HealthCheckResponse resp;
  grpc::Status s = stub->Check(&ctx, req, &resp);
  if (s.error_code() == grpc::StatusCode::NOT_FOUND) return "SERVICE_UNKNOWN";
  if (!s.ok()) return FromGrpcStatus(s);
  return grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
      resp.status());
}

absl::Status WaitForServing(const std::string& address,
                            const std::string& service,
                            absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::string last = "no answer";
  auto channel = MakeChannel(address);
  auto stub = grpc::health::v1::Health::NewStub(channel);
  while (absl::Now() < deadline) {
    grpc::ClientContext ctx;
    // wait_for_ready: the call itself waits (up to its deadline) for the
    // server to start listening, so this loop does not spin.
    ctx.set_wait_for_ready(true);
    PrepareContext(&ctx, std::min(absl::Seconds(1), deadline - absl::Now()),
                   "");
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(service);
    grpc::health::v1::HealthCheckResponse resp;
    grpc::Status s = stub->Check(&ctx, req, &resp);
    if (s.ok() &&
        resp.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return absl::OkStatus();
    }
    if (s.ok()) {
      last = grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
          resp.status());
      // Up but not ready: watch for the change, for at most 200 ms at a time.
      grpc::ClientContext wctx;
      PrepareContext(
          &wctx, std::min(absl::Milliseconds(200), deadline - absl::Now()), "");
      auto reader = stub->Watch(&wctx, req);
      grpc::health::v1::HealthCheckResponse update;
      while (reader->Read(&update)) {
        if (update.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
          wctx.TryCancel();
          break;
        }
      }
      (void)reader->Finish();
    } else {
      last = s.error_message();
    }
  }
  return absl::DeadlineExceededError(
      absl::StrCat(address, " not SERVING after ",
                   absl::FormatDuration(timeout), ": ", last));
}

}  // namespace jalin::rpc
