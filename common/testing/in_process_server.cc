#include "common/testing/in_process_server.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace jalin::testing {

InProcessServer::InProcessServer(grpc::Service* service) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port_);
  builder.RegisterService(service);
  server_ = builder.BuildAndStart();
}

InProcessServer::~InProcessServer() {
  if (server_ != nullptr) server_->Shutdown();
}

std::string InProcessServer::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

}  // namespace jalin::testing
