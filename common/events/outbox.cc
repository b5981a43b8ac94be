#include "common/events/outbox.h"

#include "absl/time/clock.h"
#include "common/status/status_macros.h"

namespace jalin::events {
namespace {

constexpr storage::Migration kMigrations[] = {
    {1, "outbox tables",
     R"sql(
CREATE TABLE jalin_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  payload BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE jalin_outbox_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_sent_seq INTEGER NOT NULL,
  last_stream_id TEXT NOT NULL
);
INSERT INTO jalin_outbox_state (id, last_sent_seq, last_stream_id)
  VALUES (1, 0, '0-0');
)sql"},
};

}  // namespace

Outbox::Outbox(std::function<void()> notify) : notify_(std::move(notify)) {}

absl::Status Outbox::Migrate(storage::Database& db) {
  return db.Migrate("outbox", kMigrations);
}

SerializedEvent Outbox::Serialize(const jalin::events::v1::Event& event) {
  return {event.id(), event.type(), event.SerializeAsString()};
}

absl::Status Outbox::Append(storage::Transaction& tx,
                            const jalin::events::v1::Event& event) const {
  return Append(tx, Serialize(event));
}

absl::Status Outbox::Append(storage::Transaction& tx,
                            const SerializedEvent& event) const {
  RETURN_IF_ERROR(
      tx.Exec("INSERT INTO jalin_outbox (event_id, type, payload, created_at) "
              "VALUES (?, ?, ?, ?)",
              {storage::Param(event.id), storage::Param(event.type),
               storage::Param::Blob(event.payload),
               storage::Param(absl::ToUnixMicros(absl::Now()))}));
  if (notify_) tx.OnCommit(notify_);
  return absl::OkStatus();
}

absl::StatusOr<OutboxPosition> Outbox::Position(storage::Transaction& tx) {
  OutboxPosition pos;
  int64_t last_sent = 0;
  RETURN_IF_ERROR(
      tx.Query("SELECT last_sent_seq, last_stream_id FROM jalin_outbox_state "
               "WHERE id = 1",
               {}, [&](const storage::Row& row) {
                 last_sent = row.Int(0);
                 pos.last_stream_id = std::string(row.Text(1));
                 return absl::OkStatus();
               }));
  // Published rows are deleted, so the highest remaining row (if any) is the
  // highest sequence assigned.
  ASSIGN_OR_RETURN(
      int64_t max_pending,
      storage::QueryInt(tx, "SELECT MAX(seq) FROM jalin_outbox", {}, 0));
  pos.last_sequence = static_cast<uint64_t>(std::max(last_sent, max_pending));
  return pos;
}

absl::StatusOr<int64_t> Outbox::PendingCount(storage::Transaction& tx) {
  return storage::QueryInt(tx, "SELECT COUNT(*) FROM jalin_outbox", {}, 0);
}

}  // namespace jalin::events
