// Cluster leader contacts from a (fake, in-process) registry over real
// gRPC: the service token is presented, answers are cached, failures do not
// hammer the registry and a stale answer is used while it is away.

#include "services/notification/cluster_directory.h"

#include <memory>

#include "common/rpc/client.h"
#include "common/testing/in_process_server.h"
#include "gtest/gtest.h"
#include "tests/services/notification/test_support.h"

namespace jalin::notification {
namespace {

class ClusterDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.AddCluster("clusters/jamur", "Bu Sri", "+6281234567890");
    server_ = std::make_unique<jalin::testing::InProcessServer>(&registry_);
    ASSERT_TRUE(server_->ok());
    stub_ = registry::v1::RegistryService::NewStub(
        rpc::MakeChannel(server_->address()));
    directory_ = std::make_unique<RegistryClusterDirectory>(
        stub_.get(), &token_, &clock_,
        DirectoryOptions{.timeout = absl::Seconds(2),
                         .ttl = absl::Minutes(10),
                         .retry_after = absl::Seconds(30)});
  }

  test::FakeRegistry registry_;
  std::unique_ptr<jalin::testing::InProcessServer> server_;
  std::unique_ptr<registry::v1::RegistryService::Stub> stub_;
  FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  rpc::ServiceToken token_{"notification", {}, "fixed-service-token", &clock_};
  std::unique_ptr<RegistryClusterDirectory> directory_;
};

TEST_F(ClusterDirectoryTest, AsksWithTheServiceTokenAndCaches) {
  auto leader = directory_->Leader("clusters/jamur");
  ASSERT_TRUE(leader.ok()) << leader.status();
  EXPECT_EQ(leader->display_name(), "Bu Sri");
  EXPECT_EQ(leader->phone(), "+6281234567890");
  EXPECT_EQ(registry_.last_authorization(), "Bearer fixed-service-token");
  EXPECT_EQ(registry_.calls(), 1);
  ASSERT_TRUE(directory_->Leader("clusters/jamur").ok());
  EXPECT_EQ(registry_.calls(), 1);
  clock_.Advance(absl::Minutes(11));
  ASSERT_TRUE(directory_->Leader("clusters/jamur").ok());
  EXPECT_EQ(registry_.calls(), 2);
}

TEST_F(ClusterDirectoryTest, UnknownClustersAreRememberedToo) {
  EXPECT_EQ(directory_->Leader("clusters/nope").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(directory_->Leader("clusters/nope").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(registry_.calls(), 1);
}

TEST_F(ClusterDirectoryTest, WhileTheRegistryIsAwayStaleAnswersServe) {
  ASSERT_TRUE(directory_->Leader("clusters/jamur").ok());
  server_.reset();                    // the registry goes away
  clock_.Advance(absl::Minutes(11));  // the answer is stale
  auto stale = directory_->Leader("clusters/jamur");
  ASSERT_TRUE(stale.ok()) << stale.status();
  EXPECT_EQ(stale->display_name(), "Bu Sri");
  // Never known: UNAVAILABLE, and not asked again at once.
  auto unknown = directory_->Leader("clusters/batik");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kUnavailable);
  const int64_t calls = directory_->calls();
  EXPECT_EQ(directory_->Leader("clusters/batik").status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(directory_->calls(), calls);
  clock_.Advance(absl::Seconds(31));
  directory_->Leader("clusters/batik").IgnoreError();
  EXPECT_EQ(directory_->calls(), calls + 1);
}

}  // namespace
}  // namespace jalin::notification
