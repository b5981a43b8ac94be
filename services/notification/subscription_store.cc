#include "services/notification/subscription_store.h"

#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/time_util.h"

namespace jalin::notification {
namespace {

using storage::Param;

absl::Status Parse(const storage::Row& row, int column, v1::Subscription* out) {
  const absl::string_view blob = row.Blob(column);
  if (!out->ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
    return absl::DataLossError("a stored subscription does not decode");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SubscriptionStore::Insert(storage::Transaction& tx,
                                       const v1::Subscription& s) {
  ASSIGN_OR_RETURN(std::string id,
                   api::ParseName(s.name(), "subscriptions", "name"));
  return tx.Exec(
      "INSERT INTO subscriptions (id, recipient, owner, create_time, message) "
      "VALUES (?, ?, ?, ?, ?)",
      {Param(id), Param(s.recipient()), Param(s.owner()),
       Param(google::protobuf::util::TimeUtil::TimestampToMicroseconds(
           s.create_time())),
       Param::Blob(s.SerializeAsString())});
}

absl::StatusOr<v1::Subscription> SubscriptionStore::Get(
    storage::Transaction& tx, absl::string_view id) {
  v1::Subscription s;
  bool found = false;
  RETURN_IF_ERROR(tx.Query("SELECT message FROM subscriptions WHERE id = ?",
                           {Param(id)}, [&](const storage::Row& row) {
                             found = true;
                             return Parse(row, 0, &s);
                           }));
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("subscriptions/", id, " not found"));
  }
  return s;
}

absl::Status SubscriptionStore::Delete(storage::Transaction& tx,
                                       absl::string_view id) {
  RETURN_IF_ERROR(
      tx.Exec("DELETE FROM subscriptions WHERE id = ?", {Param(id)}));
  if (tx.ChangedRows() == 0) {
    return absl::NotFoundError(
        absl::StrCat("subscriptions/", id, " not found"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Subscription>> SubscriptionStore::ListPage(
    absl::string_view recipient, absl::string_view after_id, int limit,
    bool* more) {
  std::vector<v1::Subscription> out;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) {
    auto on_row = [&](const storage::Row& row) {
      out.emplace_back();
      return Parse(row, 0, &out.back());
    };
    if (recipient.empty()) {
      return tx.Query(
          "SELECT message FROM subscriptions WHERE id > ? ORDER BY id "
          "LIMIT ?",
          {Param(after_id), Param(limit + 1)}, on_row);
    }
    return tx.Query(
        "SELECT message FROM subscriptions WHERE recipient = ? AND id > ? "
        "ORDER BY id LIMIT ?",
        {Param(recipient), Param(after_id), Param(limit + 1)}, on_row);
  }));
  *more = out.size() > static_cast<size_t>(limit);
  if (*more) out.pop_back();
  return out;
}

absl::StatusOr<std::vector<v1::Subscription>> SubscriptionStore::LoadAll() {
  std::vector<v1::Subscription> out;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) {
    return tx.Query("SELECT message FROM subscriptions ORDER BY id", {},
                    [&](const storage::Row& row) {
                      out.emplace_back();
                      return Parse(row, 0, &out.back());
                    });
  }));
  return out;
}

}  // namespace jalin::notification
