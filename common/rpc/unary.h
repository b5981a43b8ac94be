// Handler helpers for the callback API: run the handler body, map its
// absl::Status to grpc::Status (with google.rpc details) in one place, finish.

#ifndef COMMON_RPC_UNARY_H_
#define COMMON_RPC_UNARY_H_

#include <utility>

#include "absl/status/status.h"
#include "common/server/service_host.h"
#include "common/status/grpc_status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace jalin::rpc {

// Runs `body` (returning absl::Status) on the calling thread and finishes the
// call with its status:
//
//   grpc::ServerUnaryReactor* Svc::GetRegion(grpc::CallbackServerContext* ctx,
//                                            const GetRegionRequest* req,
//                                            Region* resp) {
//     return rpc::Unary(ctx, [&] { return impl_.GetRegion(ctx, *req, resp); });
//   }
template <typename Body>
grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* ctx, Body&& body) {
  absl::Status status = std::forward<Body>(body)();
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status, ErrorDomain()));
  return reactor;
}

}  // namespace jalin::rpc

#endif  // COMMON_RPC_UNARY_H_
