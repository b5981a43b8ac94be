#include "services/notification/notification_store.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "services/notification/recipient.h"

namespace jalin::notification {
namespace {

using storage::Param;

constexpr absl::string_view kColumns = "seq, recipient, is_read, message";

int64_t Micros(const google::protobuf::Timestamp& ts) {
  return google::protobuf::util::TimeUtil::TimestampToMicroseconds(ts);
}

// Fills in what the stored message leaves out (name, recipient, read,
// cursor). Both a read of a row and a freshly added entry go through here,
// so that a live stream sends the same message either way.
void Complete(int64_t seq, absl::string_view recipient, bool read,
              StoredNotification* out) {
  out->seq = seq;
  out->message.set_name(NotificationName(recipient, NotificationId(seq)));
  out->message.set_recipient(std::string(recipient));
  out->message.set_read(read);
  out->message.set_cursor(EncodeCursor(seq));
}

// Builds the complete message of a row selected with kColumns.
absl::Status FromRow(const storage::Row& row, StoredNotification* out) {
  const int64_t seq = row.Int(0);
  const absl::string_view blob = row.Blob(3);
  if (!out->message.ParseFromArray(blob.data(),
                                   static_cast<int>(blob.size()))) {
    return absl::DataLossError(
        absl::StrCat("notification ", seq, " does not decode"));
  }
  Complete(seq, row.Text(1), row.Int(2) != 0, out);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StoredNotification>> Collect(
    storage::Database* db, absl::string_view sql,
    std::initializer_list<Param> params) {
  std::vector<StoredNotification> out;
  const std::vector<Param> args(params);
  RETURN_IF_ERROR(db->Read([&](storage::Transaction& tx) {
    return tx.Query(sql, args, [&](const storage::Row& row) {
      out.emplace_back();
      return FromRow(row, &out.back());
    });
  }));
  return out;
}

// The sequence up to which inbox_unread counts entries (schema.cc), as a
// scalar subquery.
constexpr absl::string_view kMark = "(SELECT seq FROM inbox_unread_mark)";

absl::Status AddUnread(storage::Transaction& tx, absl::string_view recipient,
                       int64_t delta) {
  if (delta == 0) return absl::OkStatus();
  return tx.Exec(
      "INSERT INTO inbox_unread (recipient, unread) VALUES (?, ?) "
      "ON CONFLICT (recipient) DO UPDATE SET unread = "
      "inbox_unread.unread + excluded.unread",
      {Param(recipient), Param(delta)});
}

// In `tx`: adds the unread entries above `mark` to the counters, at most
// `limit` of them (fewer when there are fewer: then `newest`, the highest
// sequence, is the last), and moves the mark to the last one folded.
absl::Status Fold(storage::Transaction& tx, int64_t mark, int64_t newest,
                  int64_t limit) {
  ASSIGN_OR_RETURN(
      const int64_t last,
      storage::QueryInt(tx,
                        "SELECT seq FROM notifications WHERE seq > ? "
                        "ORDER BY seq LIMIT 1 OFFSET ?",
                        {Param(mark), Param(limit - 1)}, /*fallback=*/newest));
  RETURN_IF_ERROR(
      tx.Exec("INSERT INTO inbox_unread (recipient, unread) "
              "SELECT recipient, COUNT(*) FROM notifications "
              "WHERE seq > ? AND seq <= ? AND is_read = 0 GROUP BY recipient "
              "ON CONFLICT (recipient) DO UPDATE SET unread = "
              "inbox_unread.unread + excluded.unread",
              {Param(mark), Param(last)}));
  return tx.Exec("UPDATE inbox_unread_mark SET seq = ? WHERE id = 1",
                 {Param(last)});
}

}  // namespace

std::string EncodeCursor(int64_t seq) { return absl::StrCat("c", seq); }

absl::StatusOr<int64_t> DecodeCursor(absl::string_view cursor,
                                     absl::string_view field) {
  int64_t seq = 0;
  if (cursor.size() < 2 || cursor.size() > 20 || cursor[0] != 'c' ||
      !absl::SimpleAtoi(cursor.substr(1), &seq) || seq < 0) {
    return InvalidFieldError(std::string(field),
                             "is not a cursor this service issued");
  }
  return seq;
}

std::string NotificationId(int64_t seq) { return absl::StrCat(seq); }

std::optional<int64_t> ParseNotificationId(absl::string_view id) {
  int64_t seq = 0;
  if (id.empty() || id.size() > 19 || id[0] == '0' ||
      !absl::SimpleAtoi(id, &seq) || seq <= 0) {
    return std::nullopt;
  }
  return seq;
}

absl::StatusOr<bool> NotificationStore::Insert(storage::Transaction& tx,
                                               const v1::Notification& n) {
  StoredNotification added;
  return Insert(tx, n, &added);
}

absl::StatusOr<bool> NotificationStore::Insert(storage::Transaction& tx,
                                               const v1::Notification& n,
                                               StoredNotification* added) {
  return Insert(tx, n, added, FoldOptions{});
}

absl::StatusOr<bool> NotificationStore::Insert(storage::Transaction& tx,
                                               const v1::Notification& n,
                                               StoredNotification* added,
                                               const FoldOptions& fold) {
  added->message = n;
  added->message.clear_name();
  added->message.clear_read();
  added->message.clear_cursor();
  const std::string blob = added->message.SerializeAsString();
  std::optional<int64_t> seq;
  std::optional<int64_t> mark;
  RETURN_IF_ERROR(tx.Query(
      // With kMark spelled out: no string to build on the consumer's path.
      "INSERT INTO notifications (recipient, event_id, create_time, message) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (event_id, recipient) DO NOTHING "
      "RETURNING seq, (SELECT seq FROM inbox_unread_mark)",
      {Param(n.recipient()), Param(n.event_id()),
       Param(Micros(n.create_time())), Param::Blob(blob)},
      [&](const storage::Row& row) {
        seq = row.Int(0);
        if (!row.IsNull(1)) mark = row.Int(1);
        return absl::OkStatus();
      }));
  if (!seq.has_value()) return false;
  if (!mark.has_value()) {
    return absl::DataLossError("inbox_unread_mark has no row");
  }
  // The distance counts sequences, so it may count entries deleted or
  // skipped (a conflicting insert uses up a sequence); the fold then comes
  // early, which costs nothing but the fold.
  const int64_t every = std::max<int64_t>(fold.every, 2);
  if (*seq - *mark >= every) {
    RETURN_IF_ERROR(Fold(tx, *mark, *seq, every));
  }
  Complete(*seq, n.recipient(), /*read=*/false, added);
  return true;
}

absl::StatusOr<std::vector<StoredNotification>> NotificationStore::ListAfter(
    absl::string_view recipient, int64_t after_seq, int limit) {
  return Collect(db_,
                 absl::StrCat("SELECT ", kColumns,
                              " FROM notifications WHERE recipient = ? AND "
                              "seq > ? ORDER BY seq LIMIT ?"),
                 {Param(recipient), Param(after_seq), Param(limit)});
}

absl::StatusOr<std::vector<StoredNotification>> NotificationStore::Tail(
    int64_t after_seq, int limit) {
  return Collect(db_,
                 absl::StrCat("SELECT ", kColumns,
                              " FROM notifications WHERE seq > ? "
                              "ORDER BY seq LIMIT ?"),
                 {Param(after_seq), Param(limit)});
}

absl::StatusOr<int64_t> NotificationStore::MaxSeq() {
  int64_t seq = 0;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(
        seq, storage::QueryInt(tx, "SELECT MAX(seq) FROM notifications", {}));
    return absl::OkStatus();
  }));
  return seq;
}

absl::StatusOr<int64_t> NotificationStore::LastIssuedSeq() {
  int64_t seq = 0;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) -> absl::Status {
    // AUTOINCREMENT keeps the high-water mark in sqlite_sequence.
    ASSIGN_OR_RETURN(
        seq, storage::QueryInt(
                 tx,
                 "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE "
                 "name = 'notifications'), 0), COALESCE((SELECT MAX(seq) "
                 "FROM notifications), 0))",
                 {}));
    return absl::OkStatus();
  }));
  return seq;
}

absl::StatusOr<std::vector<StoredNotification>> NotificationStore::ListPage(
    absl::string_view recipient, bool unread_only, int64_t before_seq,
    int limit, bool* more) {
  const int64_t below = before_seq > 0 ? before_seq : INT64_MAX;
  ASSIGN_OR_RETURN(
      std::vector<StoredNotification> rows,
      Collect(db_,
              absl::StrCat("SELECT ", kColumns,
                           " FROM notifications WHERE recipient = ? AND "
                           "seq < ?",
                           unread_only ? " AND is_read = 0" : "",
                           " ORDER BY seq DESC LIMIT ?"),
              {Param(recipient), Param(below), Param(limit + 1)}));
  *more = rows.size() > static_cast<size_t>(limit);
  if (*more) rows.pop_back();
  return rows;
}

absl::StatusOr<v1::Notification> NotificationStore::Get(
    absl::string_view recipient, absl::string_view id) {
  const std::optional<int64_t> seq = ParseNotificationId(id);
  std::vector<StoredNotification> rows;
  if (seq.has_value()) {
    ASSIGN_OR_RETURN(rows, Collect(db_,
                                   absl::StrCat("SELECT ", kColumns,
                                                " FROM notifications WHERE "
                                                "seq = ? AND recipient = ?"),
                                   {Param(*seq), Param(recipient)}));
  }
  if (rows.empty()) {
    return absl::NotFoundError(
        absl::StrCat(NotificationName(recipient, id), " not found"));
  }
  return std::move(rows.front().message);
}

absl::StatusOr<int> NotificationStore::MarkRead(storage::Transaction& tx,
                                                absl::string_view recipient,
                                                absl::string_view id) {
  const std::optional<int64_t> seq = ParseNotificationId(id);
  bool found = false;
  bool unread = false;
  bool counted = false;  // in the recipient's counter: at or below the mark
  if (seq.has_value()) {
    RETURN_IF_ERROR(tx.Query(
        absl::StrCat("SELECT is_read, ", kMark,
                     " FROM notifications WHERE seq = ? AND recipient = ?"),
        {Param(*seq), Param(recipient)}, [&](const storage::Row& row) {
          found = true;
          unread = row.Int(0) == 0;
          counted = !row.IsNull(1) && *seq <= row.Int(1);
          return absl::OkStatus();
        }));
  }
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat(NotificationName(recipient, id), " not found"));
  }
  if (!unread) return 0;
  RETURN_IF_ERROR(tx.Exec(
      "UPDATE notifications SET is_read = 1 WHERE seq = ? AND recipient = ?",
      {Param(*seq), Param(recipient)}));
  // An entry above the mark is counted from its row, which now says read.
  if (counted) RETURN_IF_ERROR(AddUnread(tx, recipient, -1));
  return 1;
}

absl::StatusOr<int> NotificationStore::MarkAllRead(
    storage::Transaction& tx, absl::string_view recipient) {
  RETURN_IF_ERROR(
      tx.Exec("UPDATE notifications SET is_read = 1 WHERE recipient = ? AND "
              "is_read = 0",
              {Param(recipient)}));
  const int64_t changed = tx.ChangedRows();
  // Every entry is read now, those above the mark included: both parts of
  // the count are 0.
  RETURN_IF_ERROR(
      tx.Exec("UPDATE inbox_unread SET unread = 0 WHERE recipient = ?",
              {Param(recipient)}));
  return static_cast<int>(changed);
}

absl::StatusOr<int64_t> NotificationStore::UnreadCount(
    absl::string_view recipient) {
  int64_t counted = 0;
  int64_t recent = 0;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(
        counted, storage::QueryInt(
                     tx, "SELECT unread FROM inbox_unread WHERE recipient = ?",
                     {Param(recipient)}));
    // On notifications_by_recipient, over a bounded few: Insert keeps the
    // entries above the mark (every recipient's) below FoldOptions::every.
    ASSIGN_OR_RETURN(
        recent, storage::QueryInt(
                    tx,
                    absl::StrCat("SELECT COUNT(*) FROM notifications WHERE "
                                 "recipient = ? AND seq > ",
                                 kMark, " AND is_read = 0"),
                    {Param(recipient)}));
    return absl::OkStatus();
  }));
  return counted + recent;
}

absl::StatusOr<int64_t> NotificationStore::DeleteOlderThan(absl::Time cutoff,
                                                           int limit) {
  int64_t deleted = 0;
  RETURN_IF_ERROR(db_->Write([&](storage::Transaction& tx) -> absl::Status {
    // By creation time, not sequence: a row dated ahead (the clock once
    // jumped forward) must not hold back older ones behind it. The same
    // batch (ties broken by sequence) for the counts and the delete. Only
    // entries at or below the mark are in the counters; those above it
    // stop counting as their rows go.
    constexpr char kBatch[] =
        "SELECT seq FROM notifications WHERE create_time < ? "
        "ORDER BY create_time, seq LIMIT ?";
    const int64_t before = absl::ToUnixMicros(cutoff);
    std::vector<std::pair<std::string, int64_t>> unread;
    RETURN_IF_ERROR(tx.Query(
        absl::StrCat("SELECT recipient, COUNT(*) FROM notifications WHERE "
                     "is_read = 0 AND seq <= ",
                     kMark, " AND seq IN (", kBatch, ") GROUP BY recipient"),
        {Param(before), Param(limit)}, [&](const storage::Row& row) {
          unread.emplace_back(std::string(row.Text(0)), row.Int(1));
          return absl::OkStatus();
        }));
    for (const auto& [recipient, n] : unread) {
      RETURN_IF_ERROR(AddUnread(tx, recipient, -n));
    }
    RETURN_IF_ERROR(tx.Exec(
        absl::StrCat("DELETE FROM notifications WHERE seq IN (", kBatch, ")"),
        {Param(before), Param(limit)}));
    deleted = tx.ChangedRows();
    return absl::OkStatus();
  }));
  return deleted;
}

}  // namespace jalin::notification
