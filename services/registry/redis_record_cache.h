// RecordCache on Redis. Values are "<revision>:v<record bytes>"; a change
// leaves a tombstone "<revision>:t" that refuses any older value, so that a
// reader that loaded the record before the change cannot put it back.
//
// Degrades instead of failing: after a Redis error the cache is bypassed
// (reads go to the store) and retried after `retry_after`. If an
// invalidation could not be written, entries in Redis may be stale when it
// comes back (it keeps its data), so before the cache is used again it
// moves to a new generation of keys, orphaning every old entry (they
// expire with their TTL).

#ifndef SERVICES_REGISTRY_REDIS_RECORD_CACHE_H_
#define SERVICES_REGISTRY_REDIS_RECORD_CACHE_H_

#include <atomic>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/redis/redis_client.h"
#include "services/registry/record_cache.h"

namespace jalin::registry {

struct RedisCacheOptions {
  // Keys are "<prefix>:<generation>:<record name>"; the generation counter
  // is "<prefix>:generation".
  std::string prefix = "jalin:registry:cache";
  absl::Duration ttl = absl::Minutes(10);
  // How long the cache is bypassed after a Redis error.
  absl::Duration retry_after = absl::Seconds(1);
};

// Thread-safe. `redis` and `clock` must outlive the cache.
class RedisRecordCache final : public RecordCache {
 public:
  RedisRecordCache(redis::Client* redis, const Clock* clock,
                   RedisCacheOptions options);

  std::optional<std::string> Get(absl::string_view name) override;
  void Fill(absl::string_view name, int64_t revision,
            absl::string_view bytes) override;
  void Invalidate(absl::Span<const Change> changes) override;

  // The key a record is cached under right now (for tests and operators);
  // nullopt while the cache is bypassed.
  std::optional<std::string> KeyOf(absl::string_view name);

  int64_t hits() const { return hits_.load(); }
  int64_t misses() const { return misses_.load(); }

 private:
  // The key prefix of the current generation, or nullopt while bypassed.
  // Moves to a new generation first if invalidations were lost.
  std::optional<std::string> Usable();
  // Bypass the cache for a while; `lost_invalidation` when a change could
  // not be recorded.
  void Failed(bool lost_invalidation);

  redis::Client* const redis_;
  const Clock* const clock_;
  const RedisCacheOptions options_;
  const std::string ttl_ms_;

  absl::Mutex mu_;
  absl::Time retry_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool lost_invalidations_ ABSL_GUARDED_BY(mu_) = false;
  bool generation_known_ ABSL_GUARDED_BY(mu_) = false;
  std::string key_prefix_ ABSL_GUARDED_BY(mu_);

  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_REDIS_RECORD_CACHE_H_
