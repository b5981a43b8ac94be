// The inbox methods of NotificationService (list, get, mark read, unread
// count, and the checks in front of Subscribe), on absl::Status. The gRPC
// layer (notification_service.h) maps them to the wire.
//
// Every method authorises first, then checks that the caller is the
// recipient (or an admin) before reading anything, so a refused caller
// learns nothing about the inbox.

#ifndef SERVICES_NOTIFICATION_INBOX_API_H_
#define SERVICES_NOTIFICATION_INBOX_API_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/auth/policy.h"
#include "common/storage/database.h"
#include "common/storage/request_log.h"
#include "grpcpp/server_context.h"
#include "jalin/notification/v1/notification_service.pb.h"
#include "services/notification/notification_store.h"

namespace jalin::notification {

// Thread-safe. Every pointer must outlive the API.
class InboxApi {
 public:
  InboxApi(const auth::MethodPolicy* policy, storage::Database* db,
           NotificationStore* store, storage::RequestLog* requests);

  absl::Status List(const grpc::ServerContextBase& ctx,
                    const v1::ListNotificationsRequest& req,
                    v1::ListNotificationsResponse* resp);
  absl::Status Get(const grpc::ServerContextBase& ctx,
                   const v1::GetNotificationRequest& req,
                   v1::Notification* resp);
  absl::Status MarkRead(const grpc::ServerContextBase& ctx,
                        const v1::MarkReadRequest& req,
                        v1::MarkReadResponse* resp);
  absl::Status GetUnreadCount(const grpc::ServerContextBase& ctx,
                              const v1::GetUnreadCountRequest& req,
                              v1::UnreadCount* resp);

  // What a Subscribe call may open: the recipient, and where to resume.
  struct StreamTarget {
    std::string recipient;
    std::optional<int64_t> after_seq;
  };
  absl::StatusOr<StreamTarget> PrepareSubscribe(
      const grpc::ServerContextBase& ctx, const v1::SubscribeRequest& req);

 private:
  const auth::MethodPolicy* const policy_;
  storage::Database* const db_;
  NotificationStore* const store_;
  storage::RequestLog* const requests_;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_INBOX_API_H_
