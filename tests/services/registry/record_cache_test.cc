// RedisRecordCache against a real redis-server: revision ordering, and no
// stale answer after Redis was away while records changed.

#include "gtest/gtest.h"
#include "services/registry/redis_record_cache.h"
#include "tests/services/registry/record_cache_fixture.h"

namespace jalin::registry {
namespace {

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
