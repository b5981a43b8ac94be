// The five real binaries plus Redis: each reports SERVING, and each exits
// with code 0 within 5 s of SIGTERM.

#include "absl/time/clock.h"
#include "common/rpc/health.h"
#include "common/testing/suite.h"
#include "gtest/gtest.h"

namespace jalin {
namespace {

const std::vector<std::string> kServices = {"registry", "matching", "curation",
                                            "notification", "gateway"};

TEST(SuiteLifecycleTest, AllServeAndStopGracefully) {
  testing::Suite suite(JALIN_BINARY_DIR);
  absl::Status started = suite.Start(kServices);
  ASSERT_TRUE(started.ok()) << started;
  for (const auto& name : kServices) {
    for (const char* entry : {"", "liveness"}) {
      auto status =
          rpc::CheckHealth(suite.address(name), entry, absl::Seconds(5));
      ASSERT_TRUE(status.ok()) << name << ": " << status.status();
      EXPECT_EQ(*status, "SERVING") << name << " '" << entry << "'";
    }
    auto redis =
        rpc::CheckHealth(suite.address(name), "redis", absl::Seconds(5));
    ASSERT_TRUE(redis.ok());
    EXPECT_EQ(*redis, "SERVING") << name;
  }
  for (const auto& name : kServices) {
    const absl::Time start = absl::Now();
    absl::StatusOr<int> code = suite.Stop(name, absl::Seconds(5));
    ASSERT_TRUE(code.ok()) << name << ": " << code.status() << "\n"
                           << testing::TailOfFile(
                                  suite.process(name).log_path());
    EXPECT_EQ(*code, 0) << name;
    EXPECT_LT(absl::Now() - start, absl::Seconds(5)) << name;
  }
}

TEST(SuiteLifecycleTest, ReadinessFollowsRedisButLivenessDoesNot) {
  testing::Suite suite(JALIN_BINARY_DIR);
  ASSERT_TRUE(
      suite.Start({"registry"}, {{"registry", {"JALIN_REDIS_TIMEOUT=200ms"}}})
          .ok());
  ASSERT_TRUE(suite.redis().Stop().ok());
  // The readiness loop notices within its interval (2 s).
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  std::string redis_status;
  while (absl::Now() < deadline) {
    auto s =
        rpc::CheckHealth(suite.address("registry"), "redis", absl::Seconds(2));
    redis_status = s.ok() ? *s : "";
    if (redis_status == "NOT_SERVING") break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(redis_status, "NOT_SERVING");
  // Degraded, not down: the registry still serves, and liveness holds.
  EXPECT_EQ(*rpc::CheckHealth(suite.address("registry"), "", absl::Seconds(2)),
            "SERVING");
  EXPECT_EQ(*rpc::CheckHealth(suite.address("registry"), "liveness",
                              absl::Seconds(2)),
            "SERVING");
  ASSERT_TRUE(suite.redis().Restart().ok());
  ASSERT_TRUE(
      rpc::WaitForServing(suite.address("registry"), "redis", absl::Seconds(10))
          .ok());
}

}  // namespace
}  // namespace jalin
