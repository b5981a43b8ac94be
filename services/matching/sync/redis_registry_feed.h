// RegistryFeed on the Redis stream jalin.registry.events, read with a
// consumer group through the shared EventConsumer (pending drain, reclaim,
// dead letters, in order).
//
// The match index lives in memory and is rebuilt from a snapshot on every
// start, so events are deduplicated by their outbox sequence against the
// index rather than in a store. Start() makes the group anew at the
// snapshot's stream position, dropping whatever an earlier run left pending,
// so a restarted or rebuilt index reads exactly the events after its
// snapshot, in stream order. Each replica of the service holds a whole index
// and needs its own group.

#ifndef SERVICES_MATCHING_SYNC_REDIS_REGISTRY_FEED_H_
#define SERVICES_MATCHING_SYNC_REDIS_REGISTRY_FEED_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/events/event_consumer.h"
#include "common/redis/redis_client.h"
#include "services/matching/sync/registry_source.h"

namespace jalin::matching {

struct RedisFeedOptions {
  std::string stream = "jalin.registry.events";
  std::string group = "matching";
  std::string consumer = "matching";
  absl::Duration block = absl::Milliseconds(500);
};

// Thread-safe. `redis` must outlive the feed.
class RedisRegistryFeed final : public RegistryFeed {
 public:
  RedisRegistryFeed(redis::Client* redis, RedisFeedOptions options);
  ~RedisRegistryFeed() override;

  absl::Status Start(const registry::v1::SnapshotPosition& position,
                     RegistryEventHandler handler) override;
  void Stop() override;
  bool healthy() const override;

 private:
  redis::Client* const redis_;
  const RedisFeedOptions options_;
  mutable absl::Mutex mu_;
  std::unique_ptr<events::EventConsumer> consumer_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SYNC_REDIS_REGISTRY_FEED_H_
