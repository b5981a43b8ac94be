#include "services/notification/subscription_api.h"

#include "absl/strings/str_cat.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/ids.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "services/notification/filter.h"
#include "services/notification/recipient.h"

namespace jalin::notification {
namespace {

bool MayUse(const auth::Principal& p, const v1::Subscription& s) {
  return p.role == auth::Role::kAdmin || s.owner() == p.subject ||
         s.recipient() == RecipientOf(p);
}

absl::Status NotYours() {
  return auth::PermissionDenied(
      "only the owner or recipient of a subscription, or an admin, may use "
      "it");
}

}  // namespace

SubscriptionApi::SubscriptionApi(const auth::MethodPolicy* policy,
                                 storage::Database* db,
                                 SubscriptionStore* store,
                                 storage::RequestLog* requests,
                                 const Clock* clock,
                                 std::function<void()> changed)
    : policy_(policy),
      db_(db),
      store_(store),
      requests_(requests),
      clock_(clock),
      changed_(std::move(changed)) {}

absl::Status SubscriptionApi::Create(const grpc::ServerContextBase& ctx,
                                     const v1::CreateSubscriptionRequest& req,
                                     v1::Subscription* resp) {
  ASSIGN_OR_RETURN(auth::Principal p,
                   policy_->Authorize(ctx, "CreateSubscription"));
  FieldViolations v;
  if (!req.has_subscription()) {
    v.Add("subscription", "is required");
  } else {
    const v1::Subscription& s = req.subscription();
    if (!s.recipient().empty() && !IsValidRecipient(s.recipient())) {
      v.Add("subscription.recipient",
            "must be \"{collection}/{id}\", e.g. \"users/ani\" or "
            "\"enterprises/01j...\"");
    }
    ValidateFilter(s.filter(), "subscription.filter", v);
  }
  ValidateRequestId(req.request_id(), v);
  RETURN_IF_ERROR(v.ToStatus());

  v1::Subscription s = req.subscription();
  const std::string own = RecipientOf(p);
  if (s.recipient().empty()) s.set_recipient(own);
  if (s.recipient() != own && p.role != auth::Role::kAdmin) {
    return auth::PermissionDenied(
        "only an admin may subscribe another recipient");
  }
  RETURN_IF_ERROR(ScopeFilter(p, *s.mutable_filter()));
  s.set_owner(p.subject);
  s.set_name(absl::StrCat("subscriptions/", NewUlid()));
  *s.mutable_create_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(clock_->Now()));
  return requests_->RunOnce(*db_, p.subject, "CreateSubscription",
                            req.request_id(), req, resp,
                            [&](storage::Transaction& tx) -> absl::Status {
                              RETURN_IF_ERROR(SubscriptionStore::Insert(tx, s));
                              tx.OnCommit(changed_);
                              *resp = s;
                              return absl::OkStatus();
                            });
}

absl::Status SubscriptionApi::List(const grpc::ServerContextBase& ctx,
                                   const v1::ListSubscriptionsRequest& req,
                                   v1::ListSubscriptionsResponse* resp) {
  ASSIGN_OR_RETURN(auth::Principal p,
                   policy_->Authorize(ctx, "ListSubscriptions"));
  FieldViolations v;
  const int page_size = api::PageSize(req.page_size(), v);
  if (!req.recipient().empty() && !IsValidRecipient(req.recipient())) {
    v.Add("recipient", "must be \"{collection}/{id}\"");
  }
  RETURN_IF_ERROR(v.ToStatus());
  std::string recipient = req.recipient();
  if (p.role != auth::Role::kAdmin) {
    const std::string own = RecipientOf(p);
    if (!recipient.empty() && recipient != own) {
      return auth::PermissionDenied(
          "only an admin may list another recipient's subscriptions");
    }
    recipient = own;
  }
  const std::string query = absl::StrCat("subscriptions|", recipient);
  ASSIGN_OR_RETURN(std::string after,
                   api::DecodePageToken(req.page_token(), query));
  bool more = false;
  ASSIGN_OR_RETURN(std::vector<v1::Subscription> page,
                   store_->ListPage(recipient, after, page_size, &more));
  for (v1::Subscription& s : page) *resp->add_subscriptions() = std::move(s);
  if (more && resp->subscriptions_size() > 0) {
    ASSIGN_OR_RETURN(std::string last_id,
                     api::ParseName(resp->subscriptions().rbegin()->name(),
                                    "subscriptions", "name"));
    resp->set_next_page_token(api::EncodePageToken(query, last_id));
  }
  return absl::OkStatus();
}

absl::Status SubscriptionApi::Delete(const grpc::ServerContextBase& ctx,
                                     const v1::DeleteSubscriptionRequest& req,
                                     google::protobuf::Empty* resp) {
  ASSIGN_OR_RETURN(auth::Principal p,
                   policy_->Authorize(ctx, "DeleteSubscription"));
  FieldViolations v;
  absl::StatusOr<std::string> id =
      api::ParseName(req.name(), "subscriptions", "name");
  v.AddFrom(id.status(), "name");
  ValidateRequestId(req.request_id(), v);
  RETURN_IF_ERROR(v.ToStatus());
  return requests_->RunOnce(
      *db_, p.subject, "DeleteSubscription", req.request_id(), req, resp,
      [&](storage::Transaction& tx) -> absl::Status {
        absl::StatusOr<v1::Subscription> s = SubscriptionStore::Get(tx, *id);
        if (p.role != auth::Role::kAdmin) {
          // Missing or someone else's: the same answer.
          if (!s.ok() && s.status().code() == absl::StatusCode::kNotFound) {
            return NotYours();
          }
          if (s.ok() && !MayUse(p, *s)) return NotYours();
        }
        RETURN_IF_ERROR(s.status());
        RETURN_IF_ERROR(SubscriptionStore::Delete(tx, *id));
        tx.OnCommit(changed_);
        return absl::OkStatus();
      });
}

}  // namespace jalin::notification
