#include "tools/jalinctl/generic_call.h"

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/impl/codegen/proto_utils.h"

namespace jalin::ctl {

std::unique_ptr<google::protobuf::Message> NewMessage(
    const google::protobuf::Descriptor* type) {
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  return std::unique_ptr<google::protobuf::Message>(prototype->New());
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> CallUnary(
    const std::shared_ptr<grpc::Channel>& channel,
    const google::protobuf::MethodDescriptor* method,
    const google::protobuf::Message& request, grpc::ClientContext* ctx) {
  if (method->client_streaming() || method->server_streaming()) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name(), " is not a unary method"));
  }
  std::unique_ptr<google::protobuf::Message> response =
      NewMessage(method->output_type());
  grpc::TemplatedGenericStub<google::protobuf::Message,
                             google::protobuf::Message>
      stub(channel);
  const std::string path =
      absl::StrCat("/", method->service()->full_name(), "/", method->name());
  absl::Notification done;
  grpc::Status result;
  stub.UnaryCall(ctx, path, grpc::StubOptions(), &request, response.get(),
                 [&](grpc::Status s) {
                   result = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (!result.ok()) return FromGrpcStatus(result);
  return response;
}

}  // namespace jalin::ctl
