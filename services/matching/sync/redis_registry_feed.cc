#include "services/matching/sync/redis_registry_feed.h"

#include "absl/strings/match.h"
#include "common/status/errors.h"

namespace jalin::matching {

RedisRegistryFeed::RedisRegistryFeed(redis::Client* redis,
                                     RedisFeedOptions options)
    : redis_(redis), options_(std::move(options)) {}

RedisRegistryFeed::~RedisRegistryFeed() { Stop(); }

absl::Status RedisRegistryFeed::Start(
    const registry::v1::SnapshotPosition& position,
    RegistryEventHandler handler) {
  Stop();
  const std::string start =
      position.stream_id().empty() ? "0" : position.stream_id();
  // Create the group at the snapshot's position, or move it there.
  absl::StatusOr<redis::Reply> created =
      redis_->Command({"XGROUP", "CREATE", options_.stream, options_.group,
                       start, "MKSTREAM"});
  if (!created.ok()) {
    if (!absl::StrContains(created.status().message(), "BUSYGROUP")) {
      return Annotate(created.status(), "creating the registry event group");
    }
    absl::StatusOr<redis::Reply> moved = redis_->Command(
        {"XGROUP", "SETID", options_.stream, options_.group, start});
    if (!moved.ok()) {
      return Annotate(moved.status(), "moving the registry event group");
    }
  }
  events::ConsumerOptions co;
  co.stream = options_.stream;
  co.group = options_.group;
  co.consumer = options_.consumer;
  co.start_id = start;
  co.block = options_.block;
  auto consumer = std::make_unique<events::EventConsumer>(
      redis_, /*db=*/nullptr, co,
      [handler = std::move(handler)](const events::v1::Event& e,
                                     storage::Transaction*) {
        return handler(e);
      });
  consumer->Start();
  absl::MutexLock lock(&mu_);
  consumer_ = std::move(consumer);
  return absl::OkStatus();
}

void RedisRegistryFeed::Stop() {
  std::unique_ptr<events::EventConsumer> consumer;
  {
    absl::MutexLock lock(&mu_);
    consumer = std::move(consumer_);
  }
  if (consumer != nullptr) consumer->Stop();
}

bool RedisRegistryFeed::healthy() const {
  absl::MutexLock lock(&mu_);
  return consumer_ != nullptr && consumer_->healthy();
}

}  // namespace jalin::matching
