// The Redis cache in front of Get, with the real binary: served from Redis
// when warm, invalidated by every change, the store answers (never a stale
// record) while Redis is away and after it returns, and changes made after
// a restart behind the clock still retire cached values.

#include <algorithm>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/testing/raw_sqlite.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/revision_clock.h"
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

// A run whose clock was an hour ahead left the enterprise at a revision an
// hour ahead, and the store's revision mark above it (as every write does).
// The registry restarts behind that clock: its changes still get later
// revisions, so they retire the cached value instead of being refused.
TEST_F(RegistryCacheTest, ARestartBehindTheClockStillRetiresCachedValues) {
  const int64_t ahead = absl::ToUnixMicros(absl::Now() + absl::Hours(1));
  ASSERT_TRUE(env_->suite().Stop("registry", absl::Seconds(20)).ok());
  {
    v1::Enterprise stored = enterprise_;
    stored.set_display_name("Batik Girilayu Lama");
    stored.mutable_meta()->set_etag(absl::StrCat(ahead));
    jalin::testing::RawSqlite db(env_->suite().dir().File("registry.db"),
                                 /*writable=*/true);
    const std::string id = enterprise_.name().substr(strlen("enterprises/"));
    ASSERT_EQ(
        db.One(absl::StrCat("UPDATE enterprises SET data = X'",
                            absl::BytesToHexString(stored.SerializeAsString()),
                            "' WHERE id = '", id, "'")),
        "");
    ASSERT_EQ(
        db.One(absl::StrCat("UPDATE registry_revision_mark SET ",
                            "revision = ", ahead + RevisionClock::kMarkLead)),
        "");
  }
  ASSERT_TRUE(env_->Restart().ok());
  // The record at the revision ahead goes into the cache.
  EXPECT_EQ(Get().display_name(), "Batik Girilayu Lama");
  EXPECT_EQ(Get().meta().etag(), absl::StrCat(ahead));

  Rename("Batik Girilayu Baru");
  const v1::Enterprise after = Get();
  EXPECT_EQ(after.display_name(), "Batik Girilayu Baru");
  int64_t revision = 0;
  ASSERT_TRUE(absl::SimpleAtoi(after.meta().etag(), &revision));
  EXPECT_GT(revision, ahead);
}

}  // namespace
}  // namespace jalin::registry::testing
