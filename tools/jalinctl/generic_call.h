// Calls a unary method by its descriptor with messages built by reflection,
// so that `jalinctl get` and `list` serve every resource of every service
// without code per method.

#ifndef TOOLS_JALINCTL_GENERIC_CALL_H_
#define TOOLS_JALINCTL_GENERIC_CALL_H_

#include <memory>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace jalin::ctl {

// A new, empty message of `type` (a generated message type).
std::unique_ptr<google::protobuf::Message> NewMessage(
    const google::protobuf::Descriptor* type);

// Calls `method` (unary) with `request` on `channel`; `ctx` must carry the
// deadline and token. Blocks until the answer; returns the service's error
// as an absl::Status with its details.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> CallUnary(
    const std::shared_ptr<grpc::Channel>& channel,
    const google::protobuf::MethodDescriptor* method,
    const google::protobuf::Message& request, grpc::ClientContext* ctx);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_GENERIC_CALL_H_
