// Protobuf messages as gRPC byte buffers: for methods a service serves raw
// (it writes a large response's wire bytes itself instead of building the
// message, WithRawCallbackMethod_*) and for generic calls (the gateway).

#ifndef COMMON_RPC_BYTE_BUFFER_H_
#define COMMON_RPC_BYTE_BUFFER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/message_lite.h"
#include "grpcpp/support/byte_buffer.h"

namespace jalin::rpc {

// Parses `buffer` into `message` without copying its bytes. A buffer that
// is not a `message` is INVALID_ARGUMENT (a bad request; a caller reading a
// response maps it to its own error).
absl::Status ParseByteBuffer(const grpc::ByteBuffer& buffer,
                             google::protobuf::MessageLite* message);

// The pieces, in order, as one buffer, without copying them: each piece's
// bytes are handed to gRPC and freed once sent.
grpc::ByteBuffer ToByteBuffer(std::vector<std::string> pieces);

}  // namespace jalin::rpc

#endif  // COMMON_RPC_BYTE_BUFFER_H_
