// The gRPC face of the notification service: a thin callback-API layer that
// hands each call to the inbox, subscription and webhook APIs and maps
// their absl::Status to the wire (rpc::Unary), plus the Subscribe stream.

#ifndef SERVICES_NOTIFICATION_NOTIFICATION_SERVICE_H_
#define SERVICES_NOTIFICATION_NOTIFICATION_SERVICE_H_

#include "jalin/notification/v1/notification_service.grpc.pb.h"
#include "services/notification/inbox_api.h"
#include "services/notification/live_hub.h"
#include "services/notification/subscription_api.h"
#include "services/notification/webhook_api.h"

namespace jalin::notification {

// Thread-safe. Every pointer must outlive the service.
class NotificationServiceImpl final
    : public v1::NotificationService::CallbackService {
 public:
  NotificationServiceImpl(InboxApi* inbox, SubscriptionApi* subscriptions,
                          WebhookApi* webhooks, LiveHub* hub);

  grpc::ServerUnaryReactor* ListNotifications(
      grpc::CallbackServerContext* ctx, const v1::ListNotificationsRequest* req,
      v1::ListNotificationsResponse* resp) override;
  grpc::ServerUnaryReactor* GetNotification(
      grpc::CallbackServerContext* ctx, const v1::GetNotificationRequest* req,
      v1::Notification* resp) override;
  grpc::ServerUnaryReactor* MarkRead(grpc::CallbackServerContext* ctx,
                                     const v1::MarkReadRequest* req,
                                     v1::MarkReadResponse* resp) override;
  grpc::ServerUnaryReactor* GetUnreadCount(grpc::CallbackServerContext* ctx,
                                           const v1::GetUnreadCountRequest* req,
                                           v1::UnreadCount* resp) override;
  grpc::ServerWriteReactor<v1::Notification>* Subscribe(
      grpc::CallbackServerContext* ctx,
      const v1::SubscribeRequest* req) override;

  grpc::ServerUnaryReactor* CreateSubscription(
      grpc::CallbackServerContext* ctx,
      const v1::CreateSubscriptionRequest* req,
      v1::Subscription* resp) override;
  grpc::ServerUnaryReactor* ListSubscriptions(
      grpc::CallbackServerContext* ctx, const v1::ListSubscriptionsRequest* req,
      v1::ListSubscriptionsResponse* resp) override;
  grpc::ServerUnaryReactor* DeleteSubscription(
      grpc::CallbackServerContext* ctx,
      const v1::DeleteSubscriptionRequest* req,
      google::protobuf::Empty* resp) override;

  grpc::ServerUnaryReactor* CreateWebhook(grpc::CallbackServerContext* ctx,
                                          const v1::CreateWebhookRequest* req,
                                          v1::Webhook* resp) override;
  grpc::ServerUnaryReactor* GetWebhook(grpc::CallbackServerContext* ctx,
                                       const v1::GetWebhookRequest* req,
                                       v1::Webhook* resp) override;
  grpc::ServerUnaryReactor* ListWebhooks(
      grpc::CallbackServerContext* ctx, const v1::ListWebhooksRequest* req,
      v1::ListWebhooksResponse* resp) override;
  grpc::ServerUnaryReactor* DeleteWebhook(
      grpc::CallbackServerContext* ctx, const v1::DeleteWebhookRequest* req,
      google::protobuf::Empty* resp) override;
  grpc::ServerUnaryReactor* GetWebhookStats(
      grpc::CallbackServerContext* ctx, const v1::GetWebhookStatsRequest* req,
      v1::WebhookStats* resp) override;
  grpc::ServerUnaryReactor* ListDeadLetters(
      grpc::CallbackServerContext* ctx, const v1::ListDeadLettersRequest* req,
      v1::ListDeadLettersResponse* resp) override;
  grpc::ServerUnaryReactor* ReplayDeadLetters(
      grpc::CallbackServerContext* ctx, const v1::ReplayDeadLettersRequest* req,
      v1::ReplayDeadLettersResponse* resp) override;

 private:
  InboxApi* const inbox_;
  SubscriptionApi* const subscriptions_;
  WebhookApi* const webhooks_;
  LiveHub* const hub_;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_NOTIFICATION_SERVICE_H_
