#include "services/matching/sync/redis_registry_feed.h"

#include <vector>

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
  // The group is made anew at the snapshot's position, in one transaction.
  // Moving an existing group there (XGROUP SETID) would keep its pending
  // entries: those an earlier feed read but never applied (a read cut short
  // by Stop, a retry, a lost reply). The consumer drains its own pending
  // list first, and reclaims long-idle entries of other consumer names, so
  // the newest of them would be applied before the older events after the
  // position, raise the index's sequence, and make those older events look
  // already applied. Without pending entries, the read delivers everything
  // after the position in stream order; the group is this index's alone, so
  // nothing else loses by it.
  absl::StatusOr<std::vector<redis::Reply>> replies = redis_->Pipeline(
      {{"MULTI"},
       {"XGROUP", "DESTROY", options_.stream, options_.group},
       {"XGROUP", "CREATE", options_.stream, options_.group, start, "MKSTREAM"},
       {"EXEC"}});
  if (!replies.ok()) {
    return Annotate(replies.status(), "placing the registry event group");
  }
  // EXEC answers with the replies of DESTROY (an error while the stream
  // does not exist yet, which is fine) and CREATE.
  absl::StatusOr<redis::Reply> exec = redis::CheckReply(replies->back());
  if (!exec.ok() || exec->elements.size() != 2) {
    return Annotate(exec.ok() ? absl::InternalError("unexpected EXEC reply")
                              : exec.status(),
                    "placing the registry event group");
  }
  if (absl::Status created = redis::CheckReply(exec->elements[1]).status();
      !created.ok()) {
    return Annotate(created, "creating the registry event group");
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
