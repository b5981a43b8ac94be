#include "common/config/config.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jalin {
namespace {

using ::testing::HasSubstr;

struct Fixture {
  std::string listen = "127.0.0.1:7101";
  int64_t batch = 100;
  bool verbose = false;
  double weight = 0.5;
  absl::Duration timeout = absl::Seconds(2);
  Config config{"jalin-test", "a test program"};
  std::map<std::string, std::string> env;

  Fixture() {
    config.AddString("grpc_listen", &listen, "listen address");
    config.AddInt("batch_size", &batch, "records per batch", 1, 5000);
    config.AddBool("verbose", &verbose, "say more");
    config.AddDouble("weight", &weight, "a weight", 0, 1);
    config.AddDuration("timeout", &timeout, "how long");
  }

  absl::StatusOr<bool> Parse(std::vector<std::string> args,
                             std::string* out = nullptr) {
    std::string ignored;
    return config.Parse(
        args,
        [this](absl::string_view name) -> std::optional<std::string> {
          auto it = env.find(std::string(name));
          if (it == env.end()) return std::nullopt;
          return it->second;
        },
        out != nullptr ? out : &ignored);
  }
};

TEST(ConfigTest, DefaultsStayWhenNothingIsGiven) {
  Fixture f;
  ASSERT_TRUE(*f.Parse({}));
  EXPECT_EQ(f.listen, "127.0.0.1:7101");
  EXPECT_EQ(f.batch, 100);
}

TEST(ConfigTest, EnvironmentOverridesDefault) {
  Fixture f;
  f.env["JALIN_GRPC_LISTEN"] = "0.0.0.0:9000";
  f.env["JALIN_BATCH_SIZE"] = "250";
  f.env["JALIN_VERBOSE"] = "true";
  f.env["JALIN_TIMEOUT"] = "250ms";
  ASSERT_TRUE(*f.Parse({}));
  EXPECT_EQ(f.listen, "0.0.0.0:9000");
  EXPECT_EQ(f.batch, 250);
  EXPECT_TRUE(f.verbose);
  EXPECT_EQ(f.timeout, absl::Milliseconds(250));
}

TEST(ConfigTest, FlagWinsOverEnvironment) {
  Fixture f;
  f.env["JALIN_BATCH_SIZE"] = "250";
  ASSERT_TRUE(*f.Parse({"--batch_size=300", "--grpc-listen", "[::1]:1"}));
  EXPECT_EQ(f.batch, 300);
  EXPECT_EQ(f.listen, "[::1]:1");
}

TEST(ConfigTest, BareBoolFlagIsTrue) {
  Fixture f;
  ASSERT_TRUE(*f.Parse({"--verbose"}));
  EXPECT_TRUE(f.verbose);
}

TEST(ConfigTest, InvalidEnvironmentValueNamesTheVariable) {
  Fixture f;
  f.env["JALIN_BATCH_SIZE"] = "lots";
  auto r = f.Parse({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("JALIN_BATCH_SIZE"));
  EXPECT_THAT(r.status().message(), HasSubstr("not an integer"));
}

TEST(ConfigTest, OutOfRangeFlagNamesTheFlagAndTheRange) {
  Fixture f;
  auto r = f.Parse({"--batch_size=0"});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("batch_size"));
  EXPECT_THAT(r.status().message(), HasSubstr("between 1 and 5000"));
  auto w = Fixture().Parse({"--weight=1.5"});
  ASSERT_FALSE(w.ok());
  EXPECT_THAT(w.status().message(), HasSubstr("weight"));
}

TEST(ConfigTest, BadDurationAndBoolAreRefused) {
  EXPECT_FALSE(Fixture().Parse({"--timeout=soon"}).ok());
  EXPECT_FALSE(Fixture().Parse({"--verbose=maybe"}).ok());
}

TEST(ConfigTest, UnknownFlagAndStrayArgumentAreRefused) {
  auto r = Fixture().Parse({"--nope=1"});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unknown flag --nope"));
  EXPECT_FALSE(Fixture().Parse({"stray"}).ok());
  EXPECT_FALSE(Fixture().Parse({"--grpc_listen"}).ok());  // missing value
}

TEST(ConfigTest, HelpAndSettingsStopWithText) {
  Fixture f;
  std::string out;
  auto r = f.Parse({"--help"}, &out);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  EXPECT_THAT(
      out, HasSubstr("--batch_size (JALIN_BATCH_SIZE, int, default \"100\")"));
  Fixture g;
  r = g.Parse({"--settings"}, &out);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  EXPECT_THAT(out,
              HasSubstr("JALIN_GRPC_LISTEN\t127.0.0.1:7101\tlisten address\n"));
}

TEST(ConfigTest, ChecksRunAfterAllValues) {
  Fixture f;
  f.config.AddCheck([&f] {
    return f.batch > 1000 && f.verbose
               ? "JALIN_BATCH_SIZE: too large with verbose"
               : "";
  });
  EXPECT_TRUE(f.Parse({"--batch_size=2000"}).ok());
  Fixture g;
  g.config.AddCheck([&g] {
    return g.batch > 1000 && g.verbose
               ? "JALIN_BATCH_SIZE: too large with verbose"
               : "";
  });
  auto r = g.Parse({"--verbose", "--batch_size=2000"});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("too large"));
}

}  // namespace
}  // namespace jalin
