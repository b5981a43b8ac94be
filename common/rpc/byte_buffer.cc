#include "common/rpc/byte_buffer.h"

#include <utility>

#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/slice.h"

namespace jalin::rpc {

absl::Status ParseByteBuffer(const grpc::ByteBuffer& buffer,
                             google::protobuf::MessageLite* message) {
  // The reader wants a buffer of its own; a copy shares the slices.
  grpc::ByteBuffer view(buffer);
  grpc::ProtoBufferReader reader(&view);
  if (!reader.status().ok() || !message->ParseFromZeroCopyStream(&reader)) {
    return absl::InvalidArgumentError("the request is not a valid " +
                                      message->GetTypeName());
  }
  return absl::OkStatus();
}

grpc::ByteBuffer ToByteBuffer(std::vector<std::string> pieces) {
  std::vector<grpc::Slice> slices;
  slices.reserve(pieces.size());
  for (std::string& piece : pieces) {
    if (piece.empty()) continue;
    // Owned by the slice from here on; gRPC calls the destroyer once the
    // last reference to the bytes is gone.
    auto* owned = new std::string(std::move(piece));
    slices.emplace_back(
        owned->data(), owned->size(),
        [](void* p) { delete static_cast<std::string*>(p); }, owned);
  }
  return grpc::ByteBuffer(slices.data(), slices.size());
}

}  // namespace jalin::rpc
