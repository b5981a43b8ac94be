// The Redis cache in front of Get, with the real binary: served from Redis
// when warm, invalidated by every change, and the store answers (never a
// stale record) while Redis is away and after it returns.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/registry/registry_test_env.h"

namespace jalin::registry::testing {
namespace {

class RegistryCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto env = RegistryEnv::Start();
    ASSERT_TRUE(env.ok()) << env.status();
    env_ = *std::move(env);
    admin_ = env_->AdminToken();
    v1::CreateEnterpriseRequest req;
    *req.mutable_enterprise() =
        SampleEnterprise("regions/33.13", "Batik Girilayu");
    ASSERT_TRUE(
        Call(*env_, admin_, &Stub::CreateEnterprise, req, &enterprise_).ok());
  }

  v1::Enterprise Get() {
    v1::GetEnterpriseRequest get;
    get.set_name(enterprise_.name());
    v1::Enterprise out;
    grpc::Status s = Call(*env_, admin_, &Stub::GetEnterprise, get, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  void Rename(const std::string& display_name) {
    v1::UpdateEnterpriseRequest req;
    req.mutable_enterprise()->set_name(enterprise_.name());
    req.mutable_enterprise()->set_display_name(display_name);
    req.mutable_update_mask()->add_paths("display_name");
    v1::Enterprise out;
    grpc::Status s = Call(*env_, admin_, &Stub::UpdateEnterprise, req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // The cache keys of the enterprise, by generation.
  std::vector<std::string> Keys() {
    auto r = env_->redis().Command(
        {"KEYS", absl::StrCat("jalin:registry:cache:*:", enterprise_.name())});
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& k : r->elements) out.push_back(k.str);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::unique_ptr<RegistryEnv> env_;
  std::string admin_;
  v1::Enterprise enterprise_;
};

TEST_F(RegistryCacheTest, WarmGetsComeFromRedisAndChangesInvalidate) {
  EXPECT_EQ(Get().display_name(), "Batik Girilayu");
  const std::vector<std::string> keys = Keys();
  ASSERT_EQ(keys.size(), 1u);
  // Plant a different value under the entry: a warm Get answers it, which
  // shows the store was not asked.
  v1::Enterprise planted = enterprise_;
  planted.set_display_name("Dari cache");
  ASSERT_TRUE(env_->redis()
                  .Command({"SET", keys[0],
                            absl::StrCat(enterprise_.meta().etag(), ":v",
                                         planted.SerializeAsString())})
                  .ok());
  EXPECT_EQ(Get().display_name(), "Dari cache");
  // A change retires the entry; the next Get reads the store.
  Rename("Batik Girilayu Jaya");
  EXPECT_EQ(Get().display_name(), "Batik Girilayu Jaya");
  EXPECT_EQ(Get().display_name(), "Batik Girilayu Jaya");
}

TEST_F(RegistryCacheTest, StoreAnswersWhileRedisIsAwayAndNothingStaleAfter) {
  EXPECT_EQ(Get().display_name(), "Batik Girilayu");
  ASSERT_EQ(Keys().size(), 1u);
  const std::string old_key = Keys()[0];
  ASSERT_TRUE(env_->suite().redis().Stop().ok());

  // Degraded, not failing: reads and writes go on.
  EXPECT_EQ(Get().display_name(), "Batik Girilayu");
  Rename("Batik Girilayu Baru");
  EXPECT_EQ(Get().display_name(), "Batik Girilayu Baru");
  v1::ListEnterprisesRequest list;
  list.set_region("regions/33.13");
  v1::ListEnterprisesResponse resp;
  EXPECT_TRUE(Call(*env_, admin_, &Stub::ListEnterprises, list, &resp).ok());

  // Redis returns with its data: the old entry is still there...
  ASSERT_TRUE(env_->suite().redis().Restart().ok());
  // (The test's own connection broke with the restart: retry until the
  // client reconnected.)
  absl::StatusOr<redis::Reply> stale = env_->redis().Command({"GET", old_key});
  for (int i = 0; i < 100 && !stale.ok(); ++i) {
    stale = env_->redis().Command({"GET", old_key});
  }
  ASSERT_TRUE(stale.ok()) << stale.status();
  EXPECT_THAT(stale->str, ::testing::HasSubstr("Batik Girilayu"));
  EXPECT_THAT(stale->str, ::testing::Not(::testing::HasSubstr("Baru")));
  // ...but the registry never serves it: once it uses the cache again, it
  // does so under a new generation.
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (Keys().size() < 2 && absl::Now() < deadline) {
    EXPECT_EQ(Get().display_name(), "Batik Girilayu Baru");
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_EQ(Keys().size(), 2u);
  EXPECT_EQ(Get().display_name(), "Batik Girilayu Baru");
}

}  // namespace
}  // namespace jalin::registry::testing
