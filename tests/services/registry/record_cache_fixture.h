// A RedisRecordCache on a private redis-server, with a fake clock, for the
// tests of the cache and of what orders its entries (revisions).

#ifndef TESTS_SERVICES_REGISTRY_RECORD_CACHE_FIXTURE_H_
#define TESTS_SERVICES_REGISTRY_RECORD_CACHE_FIXTURE_H_

#include <memory>

#include "absl/time/time.h"
#include "common/clock.h"
#include "common/testing/redis_test.h"
#include "services/registry/redis_record_cache.h"

namespace jalin::registry {

// Used from the test's thread only.
class RecordCacheTest : public jalin::testing::RedisTest {
 protected:
  explicit RecordCacheTest(absl::Duration ttl = absl::Minutes(1))
      : RedisTest({.command_timeout = absl::Milliseconds(500)}), ttl_(ttl) {}

  void SetUp() override {
    RedisTest::SetUp();
    if (HasFatalFailure()) return;
    cache_ = std::make_unique<RedisRecordCache>(
        redis_.get(), &clock_,
        RedisCacheOptions{.ttl = ttl_, .retry_after = absl::Seconds(1)});
  }

  FakeClock clock_{absl::FromUnixSeconds(1'750'000'000)};
  std::unique_ptr<RedisRecordCache> cache_;

 private:
  const absl::Duration ttl_;
};

}  // namespace jalin::registry

#endif  // TESTS_SERVICES_REGISTRY_RECORD_CACHE_FIXTURE_H_
