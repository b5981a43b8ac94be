// The Redis client against a real redis-server started for the test.

#include "common/redis/redis_client.h"

#include "absl/time/clock.h"
#include "common/testing/redis_server.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jalin::redis {
namespace {

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::RedisServer::Start(dir_.path());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    client_ = std::make_unique<Client>(Options{.address = server_->address()});
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::RedisServer> server_;
  std::unique_ptr<Client> client_;
};

TEST_F(RedisClientTest, ArgumentsAreBinarySafe) {
  const std::string value("a\0b\r\n\xff", 6);
  ASSERT_TRUE(client_->Command({"SET", "k", value}).ok());
  auto r = client_->Command({"GET", "k"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type, Reply::Type::kString);
  EXPECT_EQ(r->str, value);
  auto missing = client_->Command({"GET", "nope"});
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->is_nil());
}

TEST_F(RedisClientTest, PipelineAnswersEachCommandInOrder) {
  std::vector<std::vector<std::string>> cmds;
  for (int i = 0; i < 100; ++i) cmds.push_back({"INCR", "counter"});
  cmds.push_back({"HGET", "counter", "x"});  // wrong type: an error reply
  auto replies = client_->Pipeline(cmds);
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 101u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ((*replies)[i].integer, i + 1);
  EXPECT_TRUE(replies->back().is_error());
  EXPECT_THAT(replies->back().str, ::testing::HasSubstr("WRONGTYPE"));
}

TEST_F(RedisClientTest, ErrorReplyIsFailedPrecondition) {
  auto r = client_->Command({"XGROUP", "CREATE", "nostream", "g", "0"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(RedisClientTest, CommandTimeoutIsUnavailable) {
  Client fast(Options{.address = server_->address(),
                      .command_timeout = absl::Milliseconds(100)});
  const absl::Time start = absl::Now();
  auto r = fast.Command({"BLPOP", "empty-list", "5"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  // A longer per-call timeout lets a blocking command finish.
  auto ok = fast.Command({"BLPOP", "empty-list", "1"}, absl::Seconds(3));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_TRUE(ok->is_nil());
}

TEST_F(RedisClientTest, ALongerTimeoutLastsOnlyForItsCall) {
  Client fast(Options{.address = server_->address(),
                      .command_timeout = absl::Milliseconds(100),
                      .max_idle_connections = 1});
  // The same pooled connection serves every call below.
  auto ok = fast.Command({"BLPOP", "empty-list", "0.3"}, absl::Seconds(5));
  ASSERT_TRUE(ok.ok()) << ok.status();
  auto piped = fast.Pipeline({{"PING"}, {"BLPOP", "empty-list", "0.3"}},
                             absl::Seconds(5));
  ASSERT_TRUE(piped.ok()) << piped.status();
  // Back to the command timeout: a command that outlasts it fails.
  auto r = fast.Command({"BLPOP", "empty-list", "1"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  auto p = fast.Pipeline({{"PING"}, {"BLPOP", "empty-list", "1"}});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(fast.Ping().ok());
}

TEST_F(RedisClientTest, UnreachableServerIsUnavailable) {
  Client nowhere(Options{.address = "unix:" + dir_.File("missing.sock")});
  EXPECT_EQ(nowhere.Ping().code(), absl::StatusCode::kUnavailable);
  Client bad_port(Options{.address = "127.0.0.1:notaport"});
  EXPECT_EQ(bad_port.Ping().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RedisClientTest, ReconnectsAfterServerRestart) {
  ASSERT_TRUE(client_->Command({"SET", "k", "v"}).ok());
  ASSERT_TRUE(server_->Restart().ok());
  // The pooled connection died with the old server; the client notices
  // and connects afresh, and the AOF kept the data.
  absl::StatusOr<Reply> r = client_->Command({"GET", "k"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->str, "v");
}

}  // namespace
}  // namespace jalin::redis
