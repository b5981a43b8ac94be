// Outgoing call contexts: metadata gRPC would refuse (it aborts the process
// on it) is left out, and a call made with it fails cleanly.

#include <map>
#include <string>
#include <vector>

#include "common/rpc/client.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/test/client_context_test_peer.h"
#include "gtest/gtest.h"

namespace jalin::rpc {
namespace {

std::multimap<std::string, std::string> SentMetadata(grpc::ClientContext* c) {
  return grpc::testing::ClientContextTestPeer(c).GetSendInitialMetadata();
}

TEST(PrepareContextTest, PassesAWellFormedTokenAndRequestId) {
  grpc::ClientContext ctx;
  PrepareContext(&ctx, absl::Seconds(5), "abc.def-ghi_", "req-1");
  auto md = SentMetadata(&ctx);
  ASSERT_EQ(md.count("authorization"), 1u);
  EXPECT_EQ(md.find("authorization")->second, "Bearer abc.def-ghi_");
  ASSERT_EQ(md.count("x-request-id"), 1u);
  EXPECT_EQ(md.find("x-request-id")->second, "req-1");
}

TEST(PrepareContextTest, LeavesOutWhatGrpcWouldRefuse) {
  for (const std::string& token : std::vector<std::string>{
           "t\xc3\xb6k", "ab\tcd", "ab\ncd", "ab cd", std::string("a\0b", 3)}) {
    grpc::ClientContext ctx;
    PrepareContext(&ctx, absl::Seconds(5), token, "id\twith tab");
    auto md = SentMetadata(&ctx);
    EXPECT_EQ(md.count("authorization"), 0u) << token;
    EXPECT_EQ(md.count("x-request-id"), 0u);
  }
  grpc::ClientContext ctx;
  PrepareContext(&ctx, absl::Seconds(5), "", "r\xc3\xa9q");
  EXPECT_EQ(SentMetadata(&ctx).count("x-request-id"), 0u);
}

TEST(PrepareContextTest, ACallWithABadTokenFailsInsteadOfAborting) {
  // Nothing listens there; the call fails, the process lives.
  auto stub = grpc::health::v1::Health::NewStub(MakeChannel("127.0.0.1:1"));
  grpc::ClientContext ctx;
  PrepareContext(&ctx, absl::Milliseconds(300), "t\xc3\xb6k", "r\xc3\xa9q");
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  grpc::Status s = stub->Check(&ctx, req, &resp);
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace jalin::rpc
