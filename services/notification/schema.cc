#include "services/notification/schema.h"

namespace jalin::notification {
namespace {

// Times are unix microseconds. Protobuf columns hold serialised messages.
constexpr storage::Migration kMigrations[] = {
    {1, "inboxes, subscriptions, webhooks and deliveries",
     R"sql(
CREATE TABLE notifications (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient TEXT NOT NULL,
  event_id TEXT NOT NULL,
  is_read INTEGER NOT NULL DEFAULT 0,
  create_time INTEGER NOT NULL,
  message BLOB NOT NULL
);
-- One entry per (recipient, event). Event ids are time-ordered ULIDs, so
-- this index grows at its end instead of touching a page per recipient.
CREATE UNIQUE INDEX notifications_once ON notifications (event_id, recipient);
CREATE INDEX notifications_by_recipient ON notifications (recipient, seq);
-- Unread counts, kept with every change of a recipient's entries (a small,
-- hot table instead of a second per-recipient index).
CREATE TABLE inbox_unread (
  recipient TEXT PRIMARY KEY,
  unread INTEGER NOT NULL
);

CREATE TABLE subscriptions (
  id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,
  owner TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  message BLOB NOT NULL
);
CREATE INDEX subscriptions_by_recipient ON subscriptions (recipient, id);

CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  secret TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  message BLOB NOT NULL
);
CREATE INDEX webhooks_by_owner ON webhooks (owner, id);

CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL,
  state INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_time INTEGER NOT NULL,
  first_attempt_time INTEGER,
  last_attempt_time INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  duration_ms REAL,
  create_time INTEGER NOT NULL,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX deliveries_due ON webhook_deliveries (webhook_id, next_attempt_time)
  WHERE state = 0;
CREATE INDEX deliveries_next ON webhook_deliveries (next_attempt_time)
  WHERE state = 0;
CREATE INDEX deliveries_dead ON webhook_deliveries (webhook_id, id)
  WHERE state = 2;
CREATE INDEX deliveries_delivered ON webhook_deliveries (webhook_id, last_attempt_time)
  WHERE state = 1;
CREATE INDEX deliveries_by_time ON webhook_deliveries (create_time);

CREATE TABLE webhook_stats (
  webhook_id TEXT PRIMARY KEY,
  delivered INTEGER NOT NULL DEFAULT 0,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  dead_lettered INTEGER NOT NULL DEFAULT 0,
  last_success_time INTEGER,
  last_error TEXT NOT NULL DEFAULT ''
);
)sql"},
    // Retention used to walk in sequence order and stop at the first young
    // row, so one row dated ahead (the clock had jumped forward) held back
    // everything after it.
    {2, "notifications by creation time, for retention",
     R"sql(
CREATE INDEX notifications_by_time ON notifications (create_time);
)sql"},
    // Unread counts in two parts; migration 1's note on inbox_unread (kept
    // with every change) no longer holds. For each recipient, unread =
    // inbox_unread.unread (0 without a row) + its entries with
    // seq > inbox_unread_mark.seq AND is_read = 0. Inserts leave the
    // counters alone; the inserting transaction now and then folds the
    // entries above the mark into inbox_unread and moves the mark up
    // (NotificationStore::Insert). Reads and retention change a counter only
    // for entries at or below the mark. The counters already cover every
    // existing row, so the mark starts at the highest sequence.
    {3, "unread counters cover entries up to a mark",
     R"sql(
CREATE TABLE inbox_unread_mark (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
);
INSERT INTO inbox_unread_mark (id, seq)
  SELECT 1, COALESCE(MAX(seq), 0) FROM notifications;
)sql"},
    // Dead-letter retention read every dead letter (deliveries_dead) to
    // find the expired ones, in each batch of the janitor's write
    // transactions: a receiver down for a week leaves many.
    {4, "dead letters by their last attempt, for retention",
     R"sql(
CREATE INDEX deliveries_dead_by_time ON webhook_deliveries (last_attempt_time)
  WHERE state = 2;
)sql"},
    // An inbox's unread entries were found by reading each entry's row for
    // its read mark, newest first: a recipient who had read all but a few
    // old entries of 100,000 waited 170-240 ms for the unread page. With
    // the mark in the index, the walk reads the index alone (8 ms), and an
    // insert costs the same (the entry is no larger to speak of). The
    // index is rebuilt once, when a service first opens an older store.
    {5, "the read mark in the inbox index",
     R"sql(
DROP INDEX notifications_by_recipient;
CREATE INDEX notifications_by_recipient
  ON notifications (recipient, seq, is_read);
)sql"},
};

}  // namespace

absl::Status MigrateSchema(storage::Database& db) {
  return db.Migrate("notification", kMigrations);
}

}  // namespace jalin::notification
