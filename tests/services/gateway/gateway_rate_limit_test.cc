// The per-client rate limit against a real redis-server: a client past its
// budget gets 429 with Retry-After and nothing reaches the service; clients
// are told apart by token subject (or address); with Redis down traffic
// flows and the gateway reports itself degraded, and recovers.

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/services/gateway/gateway_fixture.h"

namespace jalin::gateway::testing {
namespace {

class RateLimitTest : public GatewayFixture {
 protected:
  bool WantsRedis() const override { return true; }
  void Configure(GatewaySettings& s) override {
    s.rate_limit = 3;
    s.rate_limit_window = absl::Minutes(10);
  }

  int Get(const std::string& token, HttpResult* out = nullptr) {
    Headers h;
    if (!token.empty()) h.push_back({"Authorization", "Bearer " + token});
    auto r = HttpCall(port(), "GET", "/v1/regions/33", h);
    if (!r.ok()) return -1;
    if (out != nullptr) *out = *r;
    return r->status;
  }

  std::string RateLimitState() {
    auto h = HttpCall(port(), "GET", "/healthz");
    if (!h.ok()) return "";
    return nlohmann::json::parse(h->body)["rateLimit"];
  }
};

TEST_F(RateLimitTest, ClientsPastTheirBudgetGet429) {
  const std::string ani = Token("users/ani");
  const std::string budi = Token("users/budi");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get(ani), 200) << i;
  HttpResult refused;
  EXPECT_EQ(Get(ani, &refused), 429);
  int retry_after = 0;
  ASSERT_TRUE(absl::SimpleAtoi(refused.header("retry-after"), &retry_after))
      << refused.header("retry-after");
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 600);
  nlohmann::json j = nlohmann::json::parse(refused.body);
  EXPECT_EQ(j["error"]["status"], "RESOURCE_EXHAUSTED");
  EXPECT_EQ(j["error"]["details"][0]["reason"], "RATE_LIMITED");
  // Another subject has its own budget; so has the anonymous address.
  EXPECT_EQ(Get(budi), 200);
  EXPECT_EQ(Get(""), 200);
  // Only the allowed requests reached the service.
  ASSERT_TRUE(backend_->WaitForCalls(5, absl::Seconds(5)));
  EXPECT_EQ(backend_->received_count(), 5u);
  EXPECT_EQ(RateLimitState(), "ok");
  // The admitted requests are counted in Redis (reported in the
  // background), where every replica sees them.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  std::string count;
  while (absl::Now() < deadline) {
    auto keys =
        redis_->Command({"KEYS", "jalin:gateway:ratelimit:sub:users/ani:*"});
    ASSERT_TRUE(keys.ok());
    if (keys->elements.size() == 1) {
      auto value = redis_->Command({"GET", keys->elements[0].str});
      ASSERT_TRUE(value.ok());
      count = value->str;
      if (count == "3") break;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(count, "3");
}

TEST_F(RateLimitTest, RedisDownLetsTrafficThroughDegradedThenRecovers) {
  const std::string ani = Token("users/ani");
  ASSERT_TRUE(redis_server_->Stop().ok());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Get(ani), 200) << i;
  // The background report fails and the limiter says so.
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (RateLimitState() != "degraded" && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(RateLimitState(), "degraded");
  // Degraded, traffic still flows past the limit.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get(ani), 200) << i;
  ASSERT_TRUE(redis_server_->Restart().ok());
  // Recovery is noticed on the first report after the back-off (traffic
  // from another client makes the reports).
  const std::string citra = Token("users/citra");
  deadline = absl::Now() + absl::Seconds(10);
  std::string state;
  while (absl::Now() < deadline) {
    Get(citra);
    state = RateLimitState();
    if (state == "ok") break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(state, "ok");
}

}  // namespace
}  // namespace jalin::gateway::testing
