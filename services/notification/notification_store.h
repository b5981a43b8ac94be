// Inbox entries in the service's store: one row per (recipient, event),
// numbered by a store-wide sequence that orders every recipient's stream
// and serves as the resume cursor.
//
// Commit order equals sequence order: the store has a single writer (SQLite
// serialises write transactions and assigns the sequence inside them), so a
// reader that sees sequence n also sees every committed row below n. The
// live stream relies on this (live_hub.h).
//
// Unread counts come in two parts (schema migration 3): a counter per
// recipient covering its entries up to a store-wide mark, and the entries
// above the mark, counted from the rows. Inserting leaves the counters
// alone (an upsert per insert rewrote a random page of them each time);
// every so often the inserting transaction folds the entries above the mark
// into the counters and moves the mark up.

#ifndef SERVICES_NOTIFICATION_NOTIFICATION_STORE_H_
#define SERVICES_NOTIFICATION_NOTIFICATION_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "jalin/notification/v1/notification.pb.h"

namespace jalin::notification {

struct StoredNotification {
  int64_t seq = 0;
  // Complete: name, read and cursor filled in.
  v1::Notification message;
};

// A notification's id in its resource name: its sequence, in decimal.
std::string NotificationId(int64_t seq);
// The sequence of a notification id; empty for anything else.
std::optional<int64_t> ParseNotificationId(absl::string_view id);

// The cursor of sequence `seq`, and back. Cursors are opaque to clients.
std::string EncodeCursor(int64_t seq);
// INVALID_ARGUMENT naming `field` for a malformed cursor.
absl::StatusOr<int64_t> DecodeCursor(absl::string_view cursor,
                                     absl::string_view field);

// When Insert folds the entries above the mark into the unread counters.
struct FoldOptions {
  // A fold runs once the new entry's sequence is this far above the mark,
  // and takes at most this many entries (values below 2 count as 2). This
  // bounds both the work a fold adds to the inserting transaction (the
  // consumer's, on the live stream's path) and the entries UnreadCount
  // counts one by one. A fold of 1,024 entries takes under a millisecond
  // (4,096 took 3–5 ms, a pause in the live streams each time).
  int64_t every = 256;
};

// Thread-safe: all state, the fold's included, is in the database. Folds
// and counter changes happen in write transactions, which the database
// serialises, and go back with them on rollback (or a savepoint's). `db`
// must outlive the store.
class NotificationStore {
 public:
  explicit NotificationStore(storage::Database* db) : db_(db) {}

  // In `tx`: adds `n` (recipient, event_id, text, create_time set; name,
  // read and cursor are ignored) unless the recipient already has a
  // notification of that event, folding unread counts as FoldOptions{}
  // says. Returns true when added.
  static absl::StatusOr<bool> Insert(storage::Transaction& tx,
                                     const v1::Notification& n);
  // As above; when added, also fills `*added` with the entry exactly as a
  // read of the committed row returns it (sequence, name, cursor, unread),
  // so that it can be handed to live streams after the commit without
  // reading it back.
  static absl::StatusOr<bool> Insert(storage::Transaction& tx,
                                     const v1::Notification& n,
                                     StoredNotification* added);
  // As above, folding as `fold` says.
  static absl::StatusOr<bool> Insert(storage::Transaction& tx,
                                     const v1::Notification& n,
                                     StoredNotification* added,
                                     const FoldOptions& fold);

  // The recipient's notifications after `after_seq`, oldest first.
  absl::StatusOr<std::vector<StoredNotification>> ListAfter(
      absl::string_view recipient, int64_t after_seq, int limit);

  // Every recipient's notifications after `after_seq`, in sequence order
  // (the live stream's tail).
  absl::StatusOr<std::vector<StoredNotification>> Tail(int64_t after_seq,
                                                       int limit);

  // Highest sequence so far (0 when empty).
  absl::StatusOr<int64_t> MaxSeq();
  // Highest sequence ever issued, including rows deleted since (0 when none
  // was): no cursor this store issued is above it.
  absl::StatusOr<int64_t> LastIssuedSeq();

  // A page of the inbox, newest first, below `before_seq` (0: from the
  // newest). `*more` tells whether older entries remain.
  absl::StatusOr<std::vector<StoredNotification>> ListPage(
      absl::string_view recipient, bool unread_only, int64_t before_seq,
      int limit, bool* more);

  // NOT_FOUND when the recipient has no notification `id`.
  absl::StatusOr<v1::Notification> Get(absl::string_view recipient,
                                       absl::string_view id);

  // In `tx`: marks one notification read; NOT_FOUND if there is none.
  // Returns 1 if it was unread, else 0.
  static absl::StatusOr<int> MarkRead(storage::Transaction& tx,
                                      absl::string_view recipient,
                                      absl::string_view id);
  // In `tx`: marks all of the recipient's notifications read; returns how
  // many were unread.
  static absl::StatusOr<int> MarkAllRead(storage::Transaction& tx,
                                         absl::string_view recipient);

  // The recipient's unread notifications: its counter plus its unread
  // entries above the mark, read on one snapshot.
  absl::StatusOr<int64_t> UnreadCount(absl::string_view recipient);

  // Deletes up to `limit` notifications created before `cutoff`; returns
  // how many went.
  absl::StatusOr<int64_t> DeleteOlderThan(absl::Time cutoff, int limit);

 private:
  storage::Database* const db_;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_NOTIFICATION_STORE_H_
