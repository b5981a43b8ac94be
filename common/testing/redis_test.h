// A test fixture with a private redis-server and a client on it: the
// server keeps its socket and data in the fixture's temporary directory,
// which derived fixtures may use for their own files, and stops with the
// test.

#ifndef COMMON_TESTING_REDIS_TEST_H_
#define COMMON_TESTING_REDIS_TEST_H_

#include <memory>
#include <utility>

#include "common/redis/redis_client.h"
#include "common/testing/redis_server.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"

namespace jalin::testing {

// Used from the test's thread only, as gtest runs fixtures.
class RedisTest : public ::testing::Test {
 protected:
  // `options` for the client; its address is the server's.
  explicit RedisTest(redis::Options options = {})
      : options_(std::move(options)) {}

  void SetUp() override {
    auto server = RedisServer::Start(dir_.path());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    options_.address = server_->address();
    redis_ = std::make_unique<redis::Client>(options_);
  }

  TempDir dir_;
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<redis::Client> redis_;

 private:
  redis::Options options_;
};

}  // namespace jalin::testing

#endif  // COMMON_TESTING_REDIS_TEST_H_
