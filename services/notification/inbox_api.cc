#include "services/notification/inbox_api.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/pagination.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/notification/recipient.h"

namespace jalin::notification {

InboxApi::InboxApi(const auth::MethodPolicy* policy, storage::Database* db,
                   NotificationStore* store, storage::RequestLog* requests)
    : policy_(policy), db_(db), store_(store), requests_(requests) {}

absl::Status InboxApi::List(const grpc::ServerContextBase& ctx,
                            const v1::ListNotificationsRequest& req,
                            v1::ListNotificationsResponse* resp) {
  ASSIGN_OR_RETURN(auth::Principal p,
                   policy_->Authorize(ctx, "ListNotifications"));
  ASSIGN_OR_RETURN(std::string recipient,
                   ParseRecipientParent(req.parent(), "parent"));
  RETURN_IF_ERROR(CheckInboxAccess(p, recipient));
  FieldViolations v;
  const int page_size = api::PageSize(req.page_size(), v);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string query =
      absl::StrCat("notifications|", recipient, "|", req.unread_only());
  ASSIGN_OR_RETURN(std::string last,
                   api::DecodePageToken(req.page_token(), query));
  int64_t before = 0;
  if (!last.empty() && (!absl::SimpleAtoi(last, &before) || before <= 0)) {
    return InvalidFieldError("page_token", "is not a token this API issued");
  }
  bool more = false;
  ASSIGN_OR_RETURN(
      std::vector<StoredNotification> rows,
      store_->ListPage(recipient, req.unread_only(), before, page_size, &more));
  for (StoredNotification& row : rows) {
    *resp->add_notifications() = std::move(row.message);
  }
  if (more && !rows.empty()) {
    resp->set_next_page_token(
        api::EncodePageToken(query, absl::StrCat(rows.back().seq)));
  }
  return absl::OkStatus();
}

absl::Status InboxApi::Get(const grpc::ServerContextBase& ctx,
                           const v1::GetNotificationRequest& req,
                           v1::Notification* resp) {
  ASSIGN_OR_RETURN(auth::Principal p,
                   policy_->Authorize(ctx, "GetNotification"));
  ASSIGN_OR_RETURN(NotificationRef ref,
                   ParseNotificationName(req.name(), "name", false));
  RETURN_IF_ERROR(CheckInboxAccess(p, ref.recipient));
  ASSIGN_OR_RETURN(*resp, store_->Get(ref.recipient, ref.id));
  return absl::OkStatus();
}

absl::Status InboxApi::MarkRead(const grpc::ServerContextBase& ctx,
                                const v1::MarkReadRequest& req,
                                v1::MarkReadResponse* resp) {
  ASSIGN_OR_RETURN(auth::Principal p, policy_->Authorize(ctx, "MarkRead"));
  FieldViolations v;
  absl::StatusOr<NotificationRef> ref =
      ParseNotificationName(req.name(), "name", true);
  v.AddFrom(ref.status(), "name");
  ValidateRequestId(req.request_id(), v);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckInboxAccess(p, ref->recipient));
  return requests_->RunOnce(
      *db_, p.subject, "MarkRead", req.request_id(), req, resp,
      [&](storage::Transaction& tx) -> absl::Status {
        int marked = 0;
        if (ref->id == "-") {
          ASSIGN_OR_RETURN(marked,
                           NotificationStore::MarkAllRead(tx, ref->recipient));
        } else {
          ASSIGN_OR_RETURN(
              marked, NotificationStore::MarkRead(tx, ref->recipient, ref->id));
        }
        resp->set_marked(marked);
        return absl::OkStatus();
      });
}

absl::Status InboxApi::GetUnreadCount(const grpc::ServerContextBase& ctx,
                                      const v1::GetUnreadCountRequest& req,
                                      v1::UnreadCount* resp) {
  ASSIGN_OR_RETURN(auth::Principal p,
                   policy_->Authorize(ctx, "GetUnreadCount"));
  ASSIGN_OR_RETURN(std::string recipient,
                   ParseRecipientParent(req.parent(), "parent"));
  RETURN_IF_ERROR(CheckInboxAccess(p, recipient));
  ASSIGN_OR_RETURN(int64_t n, store_->UnreadCount(recipient));
  resp->set_unread(n);
  return absl::OkStatus();
}

absl::StatusOr<InboxApi::StreamTarget> InboxApi::PrepareSubscribe(
    const grpc::ServerContextBase& ctx, const v1::SubscribeRequest& req) {
  ASSIGN_OR_RETURN(auth::Principal p, policy_->Authorize(ctx, "Subscribe"));
  FieldViolations v;
  absl::StatusOr<std::string> recipient =
      ParseRecipientParent(req.parent(), "parent");
  v.AddFrom(recipient.status(), "parent");
  std::optional<int64_t> after;
  if (!req.cursor().empty()) {
    absl::StatusOr<int64_t> seq = DecodeCursor(req.cursor(), "cursor");
    v.AddFrom(seq.status(), "cursor");
    if (seq.ok()) after = *seq;
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckInboxAccess(p, *recipient));
  if (after.has_value()) {
    // A cursor ahead of the store (it was reset or restored from an older
    // backup) would leave the stream silent until the sequence caught up.
    ASSIGN_OR_RETURN(int64_t last, store_->LastIssuedSeq());
    if (*after > last) {
      v.Add("cursor",
            "is ahead of this service's notifications (its store was reset "
            "or restored); subscribe again without a cursor");
      return v.ToStatus();
    }
  }
  return StreamTarget{*std::move(recipient), after};
}

}  // namespace jalin::notification
