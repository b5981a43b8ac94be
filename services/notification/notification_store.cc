#include "services/notification/notification_store.h"

#include <initializer_list>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "services/notification/recipient.h"

namespace jalin::notification {
namespace {

using storage::Param;

constexpr absl::string_view kColumns = "seq, id, recipient, is_read, message";

int64_t Micros(const google::protobuf::Timestamp& ts) {
  return google::protobuf::util::TimeUtil::TimestampToMicroseconds(ts);
}

// Builds the complete message of a row selected with kColumns.
absl::Status FromRow(const storage::Row& row, StoredNotification* out) {
  out->seq = row.Int(0);
  if (!out->message.ParseFromArray(row.Blob(4).data(),
                                   static_cast<int>(row.Blob(4).size()))) {
    return absl::DataLossError(
        absl::StrCat("notification ", row.Text(1), " does not decode"));
  }
  out->message.set_name(NotificationName(row.Text(2), row.Text(1)));
  out->message.set_recipient(std::string(row.Text(2)));
  out->message.set_read(row.Int(3) != 0);
  out->message.set_cursor(EncodeCursor(out->seq));
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

absl::StatusOr<bool> NotificationStore::Insert(storage::Transaction& tx,
                                               const v1::Notification& n) {
  v1::Notification stored = n;
  stored.clear_name();
  stored.clear_read();
  stored.clear_cursor();
  const std::string blob = stored.SerializeAsString();
  RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO notifications (id, recipient, event_id, create_time, "
      "message) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (recipient, event_id) DO NOTHING",
      {Param(NewUlid()), Param(n.recipient()), Param(n.event_id()),
       Param(Micros(n.create_time())), Param::Blob(blob)}));
  return tx.ChangedRows() > 0;
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
  ASSIGN_OR_RETURN(
      std::vector<StoredNotification> rows,
      Collect(db_,
              absl::StrCat("SELECT ", kColumns,
                           " FROM notifications WHERE recipient = ? AND "
                           "id = ?"),
              {Param(recipient), Param(id)}));
  if (rows.empty()) {
    return absl::NotFoundError(
        absl::StrCat(NotificationName(recipient, id), " not found"));
  }
  return std::move(rows.front().message);
}

absl::StatusOr<int> NotificationStore::MarkRead(storage::Transaction& tx,
                                                absl::string_view recipient,
                                                absl::string_view id) {
  ASSIGN_OR_RETURN(int64_t found,
                   storage::QueryInt(tx,
                                     "SELECT COUNT(*) FROM notifications WHERE "
                                     "recipient = ? AND id = ?",
                                     {Param(recipient), Param(id)}));
  if (found == 0) {
    return absl::NotFoundError(
        absl::StrCat(NotificationName(recipient, id), " not found"));
  }
  RETURN_IF_ERROR(
      tx.Exec("UPDATE notifications SET is_read = 1 WHERE recipient = ? AND "
              "id = ? AND is_read = 0",
              {Param(recipient), Param(id)}));
  return static_cast<int>(tx.ChangedRows());
}

absl::StatusOr<int> NotificationStore::MarkAllRead(
    storage::Transaction& tx, absl::string_view recipient) {
  RETURN_IF_ERROR(
      tx.Exec("UPDATE notifications SET is_read = 1 WHERE recipient = ? AND "
              "is_read = 0",
              {Param(recipient)}));
  return static_cast<int>(tx.ChangedRows());
}

absl::StatusOr<int64_t> NotificationStore::UnreadCount(
    absl::string_view recipient) {
  int64_t n = 0;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(n, storage::QueryInt(tx,
                                          "SELECT COUNT(*) FROM notifications "
                                          "WHERE recipient = ? AND is_read = 0",
                                          {Param(recipient)}));
    return absl::OkStatus();
  }));
  return n;
}

absl::StatusOr<int64_t> NotificationStore::DeleteOlderThan(absl::Time cutoff,
                                                           int limit) {
  int64_t deleted = 0;
  RETURN_IF_ERROR(db_->Write([&](storage::Transaction& tx) {
    RETURN_IF_ERROR(tx.Exec(
        "DELETE FROM notifications WHERE seq IN (SELECT seq FROM "
        "notifications WHERE create_time < ? ORDER BY create_time LIMIT ?)",
        {Param(absl::ToUnixMicros(cutoff)), Param(limit)}));
    deleted = tx.ChangedRows();
    return absl::OkStatus();
  }));
  return deleted;
}

}  // namespace jalin::notification
