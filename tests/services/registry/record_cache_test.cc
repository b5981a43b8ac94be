// RedisRecordCache against a real redis-server: revision ordering, and no
// stale answer after Redis was away while records changed.

#include <memory>

#include "common/clock.h"
#include "common/redis/redis_client.h"
#include "common/testing/redis_server.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/registry/redis_record_cache.h"

namespace jalin::registry {
namespace {

class RecordCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = jalin::testing::RedisServer::Start(dir_.path());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    redis_ = std::make_unique<redis::Client>(
        redis::Options{.address = server_->address(),
                       .command_timeout = absl::Milliseconds(500)});
    cache_ = std::make_unique<RedisRecordCache>(
        redis_.get(), &clock_,
        RedisCacheOptions{.ttl = absl::Minutes(1),
                          .retry_after = absl::Seconds(1)});
  }

  jalin::testing::TempDir dir_;
  std::unique_ptr<jalin::testing::RedisServer> server_;
  std::unique_ptr<redis::Client> redis_;
  FakeClock clock_{absl::FromUnixSeconds(1'750'000'000)};
  std::unique_ptr<RedisRecordCache> cache_;
};

TEST_F(RecordCacheTest, FillThenHit) {
  EXPECT_FALSE(cache_->Get("enterprises/a").has_value());
  cache_->Fill("enterprises/a", 10, "v10");
  EXPECT_EQ(cache_->Get("enterprises/a"), "v10");
  EXPECT_EQ(cache_->hits(), 1);
  EXPECT_EQ(cache_->misses(), 1);
}

TEST_F(RecordCacheTest, AnOlderReadNeverReplacesANewerState) {
  cache_->Fill("enterprises/a", 10, "v10");
  // A reader that loaded revision 5 before a later change loses.
  cache_->Fill("enterprises/a", 5, "v5");
  EXPECT_EQ(cache_->Get("enterprises/a"), "v10");
  // The change to revision 20 commits: the entry is invalidated.
  const RecordCache::Change change{"enterprises/a", 20};
  cache_->Invalidate({&change, 1});
  EXPECT_FALSE(cache_->Get("enterprises/a").has_value());
  // A reader that loaded revision 10 before the change cannot put it back.
  cache_->Fill("enterprises/a", 10, "v10");
  EXPECT_FALSE(cache_->Get("enterprises/a").has_value());
  // The new state may be cached.
  cache_->Fill("enterprises/a", 20, "v20");
  EXPECT_EQ(cache_->Get("enterprises/a"), "v20");
}

TEST_F(RecordCacheTest, RedisDownMissesAndLostInvalidationsRetireOldEntries) {
  cache_->Fill("enterprises/a", 10, "v10");
  ASSERT_EQ(cache_->Get("enterprises/a"), "v10");
  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_FALSE(cache_->Get("enterprises/a").has_value());
  // A change commits while Redis is away: its invalidation is lost.
  const RecordCache::Change change{"enterprises/a", 20};
  cache_->Invalidate({&change, 1});
  // Redis comes back with its data (the old value is still in it).
  ASSERT_TRUE(server_->Restart().ok());
  auto raw = redis_->Command({"KEYS", "jalin:registry:cache:*:enterprises/a"});
  ASSERT_TRUE(raw.ok());
  ASSERT_EQ(raw->elements.size(), 1u);
  // Still bypassed until the retry time...
  EXPECT_FALSE(cache_->Get("enterprises/a").has_value());
  clock_.Advance(absl::Seconds(2));
  // ...then the cache moves to a new generation: the stale value is gone.
  EXPECT_FALSE(cache_->Get("enterprises/a").has_value());
  cache_->Fill("enterprises/a", 20, "v20");
  EXPECT_EQ(cache_->Get("enterprises/a"), "v20");
}

}  // namespace
}  // namespace jalin::registry
