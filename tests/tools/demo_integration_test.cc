// The demo of `deploy/dev.sh up` against the real registry and matching:
// the script's demo step loads Jawa Tengah, the channeling report between
// Sukoharjo and Karanganyar has opportunities in both directions, and
// loading again duplicates nothing.

#include "absl/strings/str_cat.h"
#include "common/rpc/client.h"
#include "common/testing/suite.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/tools/cli_process.h"

namespace jalin::ctl {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::RunCli;

const std::string kSource = JALIN_SOURCE_DIR;
const std::string kJalinctl =
    std::string(JALIN_BINARY_DIR) + "/tools/jalinctl/jalinctl";

class DemoIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<std::string> data = {"JALIN_DATA_DIR=" + kSource +
                                           "/data"};
    absl::Status s = suite_.Start({"registry", "matching"},
                                  {{"registry", data}, {"matching", data}});
    ASSERT_TRUE(s.ok()) << s;
  }

  // The environment `deploy/dev.sh up` gives its demo step, pointed at the
  // suite.
  std::vector<std::string> Env() const {
    return {"JALIN_REGISTRY_ADDRESS=" + suite_.address("registry"),
            "JALIN_MATCHING_ADDRESS=" + suite_.address("matching"),
            "JALIN_JWT_HS256_SECRET_FILE=" + suite_.secret_file(),
            "JALIN_BIN_DIR=" + std::string(JALIN_BINARY_DIR),
            "JALIN_DEMO_DIR=" + suite_.dir().File("demo")};
  }

  registry::v1::Counts Totals() {
    auto stub = registry::v1::RegistryService::NewStub(
        rpc::MakeChannel(suite_.address("registry")));
    registry::v1::GetStatisticsRequest request;
    registry::v1::Statistics stats;
    grpc::ClientContext ctx;
    rpc::PrepareContext(&ctx, absl::Seconds(30), suite_.AdminToken());
    grpc::Status s = stub->GetStatistics(&ctx, request, &stats);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return stats.total();
  }

  jalin::testing::Suite suite_{JALIN_BINARY_DIR};
};

TEST_F(DemoIntegrationTest, ReportBetweenNeighboursGoesBothWays) {
  auto load = RunCli({"bash", kSource + "/deploy/dev.sh", "demo"}, Env(),
                     suite_.dir().path(), "demo", absl::Minutes(5));
  ASSERT_TRUE(load.ok()) << load.status();
  ASSERT_EQ(load->exit_code, 0) << load->err;
  const registry::v1::Counts loaded = Totals();
  EXPECT_GT(loaded.enterprises(), 3000);
  EXPECT_GT(loaded.clusters(), 150);
  EXPECT_GT(loaded.open_offers(), 200);
  EXPECT_GT(loaded.open_needs(), 200);

  const std::vector<std::string> env = {
      "JALIN_MATCHING_ADDRESS=" + suite_.address("matching"),
      "JALIN_REGISTRY_ADDRESS=" + suite_.address("registry"),
      "JALIN_TOKEN=" + suite_.AdminToken()};
  auto json = RunCli({kJalinctl, "report", "channeling", "--from", "33.11",
                      "--to", "33.13", "--output", "json"},
                     env, suite_.dir().path(), "report-json");
  ASSERT_TRUE(json.ok());
  ASSERT_EQ(json->exit_code, 0) << json->err;
  auto report = nlohmann::json::parse(json->out);
  EXPECT_GT(report.value("aToBCount", 0), 0) << json->out;
  EXPECT_GT(report.value("bToACount", 0), 0) << json->out;

  auto table = RunCli(
      {kJalinctl, "report", "channeling", "--from", "33.11", "--to", "33.13"},
      env, suite_.dir().path(), "report");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->exit_code, 0) << table->err;
  EXPECT_THAT(table->out,
              AllOf(HasSubstr("Kabupaten Sukoharjo (33.11) <-> Kabupaten "
                              "Karanganyar (33.13)"),
                    HasSubstr("A -> B"), HasSubstr("B -> A")));

  auto markdown = RunCli({kJalinctl, "report", "channeling", "--from", "33.11",
                          "--to", "33.13", "--output", "markdown"},
                         env, suite_.dir().path(), "report-md");
  ASSERT_TRUE(markdown.ok());
  EXPECT_THAT(markdown->out,
              AllOf(HasSubstr("## Kabupaten Sukoharjo → Kabupaten "
                              "Karanganyar"),
                    HasSubstr("## Kabupaten Karanganyar → Kabupaten "
                              "Sukoharjo")));

  // Loading again (as every `deploy/dev.sh up` does) adds nothing.
  auto again = RunCli({"bash", kSource + "/deploy/dev.sh", "demo"}, Env(),
                      suite_.dir().path(), "demo-again", absl::Minutes(5));
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->exit_code, 0) << again->err;
  const registry::v1::Counts after = Totals();
  EXPECT_EQ(after.enterprises(), loaded.enterprises());
  EXPECT_EQ(after.clusters(), loaded.clusters());
  EXPECT_EQ(after.partners(), loaded.partners());
  EXPECT_EQ(after.open_offers(), loaded.open_offers());
  EXPECT_EQ(after.open_needs(), loaded.open_needs());
}

}  // namespace
}  // namespace jalin::ctl
