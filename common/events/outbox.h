// The transactional outbox (DESIGN §6): a service writes its change and the
// event in one local transaction; OutboxRelay publishes pending events in
// order. No event is published outside the outbox.

#ifndef COMMON_EVENTS_OUTBOX_H_
#define COMMON_EVENTS_OUTBOX_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/storage/database.h"
#include "jalin/events/v1/event.pb.h"

namespace jalin::events {

// Where the outbox stands, read inside a transaction: every event with
// sequence <= `last_sequence` is either in the snapshot being read or
// already published; those published are on the stream up to and including
// `last_stream_id`.
struct OutboxPosition {
  // Highest sequence assigned so far.
  uint64_t last_sequence = 0;
  // Stream entry id of the last published event ("0-0" if none).
  std::string last_stream_id = "0-0";
};

// An event in the form the outbox stores it, so that it can be built and
// serialised before the transaction that appends it (outside the write
// lock). Plain value; move it in.
struct SerializedEvent {
  std::string id;
  std::string type;
  // The serialised jalin.events.v1.Event (without its sequence).
  std::string payload;
};

// Thread-safe (holds no mutable state beyond the notifier).
class Outbox {
 public:
  // `notify` (optional) is called after a transaction that appended events
  // commits; the relay uses it to publish at once instead of polling.
  explicit Outbox(std::function<void()> notify = nullptr);

  // Creates the outbox tables (component "outbox").
  static absl::Status Migrate(storage::Database& db);

  // Appends `event` in `tx`. The event's `sequence` is assigned by the store
  // and set when the relay publishes it.
  absl::Status Append(storage::Transaction& tx,
                      const jalin::events::v1::Event& event) const;
  // The same for an event serialised beforehand (see Serialize).
  absl::Status Append(storage::Transaction& tx,
                      const SerializedEvent& event) const;

  // `event` as Append stores it.
  static SerializedEvent Serialize(const jalin::events::v1::Event& event);

  static absl::StatusOr<OutboxPosition> Position(storage::Transaction& tx);

  // Events not yet published.
  static absl::StatusOr<int64_t> PendingCount(storage::Transaction& tx);

 private:
  std::function<void()> notify_;
};

}  // namespace jalin::events

#endif  // COMMON_EVENTS_OUTBOX_H_
