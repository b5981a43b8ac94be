// The real jalin-gateway binary in front of the real services
// (testing::Suite): health over gRPC and HTTP, /openapi.json, a call that
// reaches the real registry with its request id, the rate limit in the
// suite's Redis, and a graceful stop.

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/ids.h"
#include "common/rpc/health.h"
#include "common/testing/free_port.h"
#include "common/testing/suite.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/gateway/testing/http_client.h"

namespace jalin::gateway::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(GatewayIntegrationTest, FrontsTheRealServices) {
  jalin::testing::Suite suite(JALIN_BINARY_DIR);
  const int http_port = jalin::testing::FreePort();
  absl::Status started = suite.Start(
      {"registry", "matching", "curation", "notification", "gateway"},
      {{"gateway",
        {absl::StrCat("JALIN_HTTP_LISTEN=127.0.0.1:", http_port),
         "JALIN_RATE_LIMIT=4", "JALIN_RATE_LIMIT_WINDOW=10m",
         absl::StrCat("JALIN_WEB_DIR=", suite.dir().File("no-web"))}}});
  ASSERT_TRUE(started.ok()) << started;

  auto http_health =
      rpc::CheckHealth(suite.address("gateway"), "http", absl::Seconds(5));
  ASSERT_TRUE(http_health.ok()) << http_health.status();
  EXPECT_EQ(*http_health, "SERVING");

  auto health = HttpCall(http_port, "GET", "/healthz");
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(nlohmann::json::parse(health->body)["rateLimit"], "ok");

  auto openapi = HttpCall(http_port, "GET", "/openapi.json");
  ASSERT_TRUE(openapi.ok());
  EXPECT_EQ(openapi->status, 200);
  nlohmann::json doc = nlohmann::json::parse(openapi->body);
  EXPECT_TRUE(doc["paths"].contains("/v1/regions/{region}"));
  EXPECT_TRUE(doc["paths"].contains(
      "/v1/recipients/{recipient}/notifications:subscribe"));

  // A call reaches the real registry: its own log line names the method and
  // the request id the gateway passed on, whatever the registry answers.
  const std::string request_id = absl::StrCat("it-", NewUlid());
  auto region = HttpCall(http_port, "GET", "/v1/regions/33.13",
                         {{"Authorization", "Bearer " + suite.AdminToken()},
                          {"X-Request-Id", request_id}});
  ASSERT_TRUE(region.ok());
  EXPECT_EQ(region->header("x-request-id"), request_id);
  nlohmann::json body = nlohmann::json::parse(region->body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << region->body;
  if (region->status == 200) {
    EXPECT_EQ(body["name"], "regions/33.13");
  } else {
    ASSERT_TRUE(body.contains("error")) << region->body;
    EXPECT_EQ(body["error"]["code"], region->status);
  }
  const std::string registry_log = suite.process("registry").log_path();
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  bool logged = false;
  while (!logged && absl::Now() < deadline) {
    std::istringstream lines(ReadFile(registry_log));
    for (std::string line; std::getline(lines, line);) {
      if (absl::StrContains(line, request_id) &&
          absl::StrContains(line, "RegistryService/GetRegion")) {
        logged = true;
      }
    }
    if (!logged) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(logged) << "registry never saw request " << request_id;

  // The fifth request of one client in the window is refused, counted in
  // the suite's Redis.
  const std::string token = suite.AdminToken();
  int last = 0;
  for (int i = 0; i < 4; ++i) {
    auto r = HttpCall(http_port, "GET", "/v1/regions/33",
                      {{"Authorization", "Bearer " + token}});
    ASSERT_TRUE(r.ok());
    last = r->status;
  }
  EXPECT_EQ(last, 429);

  absl::StatusOr<int> code = suite.Stop("gateway", absl::Seconds(5));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0);
  EXPECT_FALSE(HttpCall(http_port, "GET", "/healthz").ok());
}

}  // namespace
}  // namespace jalin::gateway::testing
