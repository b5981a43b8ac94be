// Consumes one Redis stream as a member of a consumer group (DESIGN §6):
// acknowledges an event only after the handler's transaction committed
// (the acknowledgements of a round go out with the next round's read, in
// one round trip, or at Stop),
// drops duplicates by event id, drains its own pending entries on start
// and after any failed round (a read whose reply was lost has moved entries
// there unseen), reclaims entries stuck with dead consumers (XAUTOCLAIM), and
// moves an event that keeps failing to a dead-letter stream. Events are applied
// in stream order: a failing event is retried before anything after it.

#ifndef COMMON_EVENTS_EVENT_CONSUMER_H_
#define COMMON_EVENTS_EVENT_CONSUMER_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "common/storage/database.h"
#include "jalin/events/v1/event.pb.h"

namespace jalin::events {

struct ConsumerOptions {
  // The stream to read: "jalin.registry.events".
  std::string stream;
  // One group per consuming service: "matching".
  std::string group;
  // This process's name in the group; keep it stable across restarts so
  // that the process finds its own pending entries again.
  std::string consumer;
  // Where a newly created group starts: "0" (everything retained) or a
  // stream id (e.g. a snapshot position).
  std::string start_id = "0";
  int batch_size = 200;
  // How long one read blocks waiting for new entries.
  absl::Duration block = absl::Milliseconds(500);
  // Entries idle this long in another consumer's pending list are taken over.
  absl::Duration claim_min_idle = absl::Seconds(30);
  absl::Duration claim_interval = absl::Seconds(5);
  // An entry delivered this many times (it crashed or failed every time) is
  // dead-lettered without running the handler again.
  int max_deliveries = 5;
  // A handler that fails with a permanent error is tried this many times in
  // a row, then the event is dead-lettered. Transient errors (UNAVAILABLE,
  // DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED) are retried without
  // limit, holding back later events.
  int max_attempts = 3;
  absl::Duration retry_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(2);
  // Default: stream + ".dead." + group.
  std::string dead_letter_stream = {};
  // How long processed event ids are remembered for deduplication.
  absl::Duration dedupe_retention = absl::Hours(24 * 7);
};

// Applies one event. With a database, `tx` is the consumer's write
// transaction (the dedupe record is written in it too); without one, `tx`
// is null and duplicates are dropped from an in-memory window.
using EventHandler = std::function<absl::Status(
    const jalin::events::v1::Event& event, storage::Transaction* tx)>;

// The owner calls Start and Stop (not at the same time, and not while
// another thread is in PollOnce); the handler runs on the consumer's own
// thread.
// `redis` and `db` (nullable) must outlive the consumer.
class EventConsumer {
 public:
  EventConsumer(redis::Client* redis, storage::Database* db,
                ConsumerOptions options, EventHandler handler);
  ~EventConsumer();

  EventConsumer(const EventConsumer&) = delete;
  EventConsumer& operator=(const EventConsumer&) = delete;

  // Creates the dedupe table (component "consumer").
  static absl::Status Migrate(storage::Database& db);

  void Start();
  void Stop();

  // One round of the loop (used by the thread and by tests): pending
  // entries first, then a reclaim if due, then new entries. Returns the
  // number of entries handled (applied, duplicate or dead-lettered); they
  // are acknowledged by the next round's read, or by Stop.
  absl::StatusOr<int> PollOnce();

  bool healthy() const { return healthy_.load(); }
  int64_t applied() const { return applied_.load(); }
  int64_t duplicates() const { return duplicates_.load(); }
  int64_t dead_lettered() const { return dead_lettered_.load(); }
  const std::string& dead_letter_stream() const { return dead_letter_stream_; }

 private:
  struct Entry {
    std::string stream_id;
    bool parsed = false;
    jalin::events::v1::Event event;
    int64_t deliveries = 1;
  };

  void Run();
  // PollOnce's work; PollOnce makes any failure re-read the pending list.
  absl::StatusOr<int> Round();
  absl::Status EnsureGroup();
  absl::StatusOr<std::vector<Entry>> Read(const std::string& id,
                                          absl::Duration block);
  absl::StatusOr<std::vector<Entry>> Claim();
  absl::Status LoadDeliveryCounts(std::vector<Entry>& entries);
  // Applies entries in order; stops at a transient failure.
  absl::Status Process(std::vector<Entry>& entries, int* handled);
  // Applies entries[from...] in one transaction until one fails; returns the
  // index of the failing entry (or entries.size()) and its error.
  absl::StatusOr<size_t> ApplyRun(const std::vector<Entry>& entries,
                                  size_t from, absl::Status* failure,
                                  std::vector<std::string>* done);
  absl::Status ApplyOne(const Entry& entry);
  // Queues acknowledgements; the next Read sends them ahead of itself.
  void Ack(const std::vector<std::string>& ids);
  // XACK for the queued ids.
  std::vector<std::string> AckCommand() const;
  // Sends the queued acknowledgements now (before a reclaim, a retry's
  // wait, and at Stop).
  absl::Status FlushAcks();
  absl::Status DeadLetter(const Entry& entry, const absl::Status& why);
  bool IsDuplicateInMemory(const std::string& id);
  void PruneDedupe();
  bool Stopping();

  redis::Client* const redis_;
  storage::Database* const db_;
  const ConsumerOptions options_;
  const EventHandler handler_;
  const std::string dead_letter_stream_;

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;

  // Loop state, touched only by the polling thread (and by Stop once that
  // thread has ended).
  bool group_ready_ = false;
  bool drain_pending_ = true;
  absl::Time next_claim_ = absl::InfinitePast();
  absl::Time next_prune_ = absl::InfinitePast();
  // Stream ids applied (or dead-lettered) but not yet acknowledged.
  std::vector<std::string> unacked_;
  std::deque<std::string> recent_order_;
  absl::flat_hash_set<std::string> recent_;

  std::atomic<bool> healthy_{false};
  std::atomic<int64_t> applied_{0};
  std::atomic<int64_t> duplicates_{0};
  std::atomic<int64_t> dead_lettered_{0};
};

}  // namespace jalin::events

#endif  // COMMON_EVENTS_EVENT_CONSUMER_H_
