#include "services/notification/notification_service.h"

#include "common/rpc/unary.h"
#include "services/notification/subscribe_reactor.h"

namespace jalin::notification {

NotificationServiceImpl::NotificationServiceImpl(InboxApi* inbox,
                                                 SubscriptionApi* subscriptions,
                                                 WebhookApi* webhooks,
                                                 LiveHub* hub)
    : inbox_(inbox),
      subscriptions_(subscriptions),
      webhooks_(webhooks),
      hub_(hub) {}

grpc::ServerUnaryReactor* NotificationServiceImpl::ListNotifications(
    grpc::CallbackServerContext* ctx, const v1::ListNotificationsRequest* req,
    v1::ListNotificationsResponse* resp) {
  return rpc::Unary(ctx, [&] { return inbox_->List(*ctx, *req, resp); });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::GetNotification(
    grpc::CallbackServerContext* ctx, const v1::GetNotificationRequest* req,
    v1::Notification* resp) {
  return rpc::Unary(ctx, [&] { return inbox_->Get(*ctx, *req, resp); });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::MarkRead(
    grpc::CallbackServerContext* ctx, const v1::MarkReadRequest* req,
    v1::MarkReadResponse* resp) {
  return rpc::Unary(ctx, [&] { return inbox_->MarkRead(*ctx, *req, resp); });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::GetUnreadCount(
    grpc::CallbackServerContext* ctx, const v1::GetUnreadCountRequest* req,
    v1::UnreadCount* resp) {
  return rpc::Unary(ctx,
                    [&] { return inbox_->GetUnreadCount(*ctx, *req, resp); });
}

grpc::ServerWriteReactor<v1::Notification>* NotificationServiceImpl::Subscribe(
    grpc::CallbackServerContext* ctx, const v1::SubscribeRequest* req) {
  absl::StatusOr<InboxApi::StreamTarget> target =
      inbox_->PrepareSubscribe(*ctx, *req);
  if (!target.ok()) return new RefusedStream(target.status());
  return new SubscribeReactor(hub_, target->recipient, target->after_seq);
}

grpc::ServerUnaryReactor* NotificationServiceImpl::CreateSubscription(
    grpc::CallbackServerContext* ctx, const v1::CreateSubscriptionRequest* req,
    v1::Subscription* resp) {
  return rpc::Unary(ctx,
                    [&] { return subscriptions_->Create(*ctx, *req, resp); });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::ListSubscriptions(
    grpc::CallbackServerContext* ctx, const v1::ListSubscriptionsRequest* req,
    v1::ListSubscriptionsResponse* resp) {
  return rpc::Unary(ctx,
                    [&] { return subscriptions_->List(*ctx, *req, resp); });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::DeleteSubscription(
    grpc::CallbackServerContext* ctx, const v1::DeleteSubscriptionRequest* req,
    google::protobuf::Empty* resp) {
  return rpc::Unary(ctx,
                    [&] { return subscriptions_->Delete(*ctx, *req, resp); });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::CreateWebhook(
    grpc::CallbackServerContext* ctx, const v1::CreateWebhookRequest* req,
    v1::Webhook* resp) {
  return rpc::Unary(ctx, [&] { return webhooks_->Create(*ctx, *req, resp); });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::GetWebhook(
    grpc::CallbackServerContext* ctx, const v1::GetWebhookRequest* req,
    v1::Webhook* resp) {
  return rpc::Unary(ctx, [&] { return webhooks_->Get(*ctx, *req, resp); });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::ListWebhooks(
    grpc::CallbackServerContext* ctx, const v1::ListWebhooksRequest* req,
    v1::ListWebhooksResponse* resp) {
  return rpc::Unary(ctx, [&] { return webhooks_->List(*ctx, *req, resp); });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::DeleteWebhook(
    grpc::CallbackServerContext* ctx, const v1::DeleteWebhookRequest* req,
    google::protobuf::Empty* resp) {
  return rpc::Unary(ctx, [&] { return webhooks_->Delete(*ctx, *req, resp); });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::GetWebhookStats(
    grpc::CallbackServerContext* ctx, const v1::GetWebhookStatsRequest* req,
    v1::WebhookStats* resp) {
  return rpc::Unary(ctx, [&] { return webhooks_->Stats(*ctx, *req, resp); });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::ListDeadLetters(
    grpc::CallbackServerContext* ctx, const v1::ListDeadLettersRequest* req,
    v1::ListDeadLettersResponse* resp) {
  return rpc::Unary(
      ctx, [&] { return webhooks_->ListDeadLetters(*ctx, *req, resp); });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::ReplayDeadLetters(
    grpc::CallbackServerContext* ctx, const v1::ReplayDeadLettersRequest* req,
    v1::ReplayDeadLettersResponse* resp) {
  return rpc::Unary(ctx, [&] { return webhooks_->Replay(*ctx, *req, resp); });
}

}  // namespace jalin::notification
