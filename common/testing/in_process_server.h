// A gRPC server in the test's own process, on a free loopback port, for
// tests of one service class over a real connection.

#ifndef COMMON_TESTING_IN_PROCESS_SERVER_H_
#define COMMON_TESTING_IN_PROCESS_SERVER_H_

#include <memory>
#include <string>

#include "grpcpp/server.h"
#include "grpcpp/support/server_callback.h"

namespace jalin::testing {

// Not thread-safe. `service` must outlive the server.
class InProcessServer {
 public:
  explicit InProcessServer(grpc::Service* service);
  ~InProcessServer();

  InProcessServer(const InProcessServer&) = delete;
  InProcessServer& operator=(const InProcessServer&) = delete;

  bool ok() const { return server_ != nullptr && port_ > 0; }
  // "127.0.0.1:<port>".
  std::string address() const;

 private:
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace jalin::testing

#endif  // COMMON_TESTING_IN_PROCESS_SERVER_H_
