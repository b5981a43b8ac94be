#include "services/notification/webhook_api.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/ids.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "common/validation/validators.h"
#include "google/protobuf/util/time_util.h"
#include "services/notification/filter.h"

namespace jalin::notification {
namespace {

constexpr size_t kMinSecret = 16;
constexpr size_t kMaxSecret = 256;
constexpr size_t kMaxUri = 2048;

absl::Status NotYours() {
  return auth::PermissionDenied(
      "only the owner of a webhook or an admin may use it");
}

}  // namespace

WebhookApi::WebhookApi(const auth::MethodPolicy* policy, storage::Database* db,
                       WebhookStore* store, storage::RequestLog* requests,
                       const Clock* clock, WebhookApiOptions options,
                       WebhookHooks hooks)
    : policy_(policy),
      db_(db),
      store_(store),
      requests_(requests),
      clock_(clock),
      options_(options),
      hooks_(std::move(hooks)) {}

absl::StatusOr<WebhookRecord> WebhookApi::Load(storage::Transaction& tx,
                                               const auth::Principal& p,
                                               const std::string& id) {
  absl::StatusOr<WebhookRecord> r = WebhookStore::GetWebhook(tx, id);
  if (p.role == auth::Role::kAdmin) return r;
  if (!r.ok()) {
    return r.status().code() == absl::StatusCode::kNotFound ? NotYours()
                                                            : r.status();
  }
  if (r->webhook.owner() != p.subject) return NotYours();
  return r;
}

absl::StatusOr<WebhookRecord> WebhookApi::LoadForRead(const auth::Principal& p,
                                                      const std::string& id) {
  absl::StatusOr<WebhookRecord> r;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) {
    r = Load(tx, p, id);
    return absl::OkStatus();
  }));
  return r;
}

absl::Status WebhookApi::Create(const grpc::ServerContextBase& ctx,
                                const v1::CreateWebhookRequest& req,
                                v1::Webhook* resp) {
  ASSIGN_OR_RETURN(auth::Principal p, policy_->Authorize(ctx, "CreateWebhook"));
  FieldViolations v;
  if (!req.has_webhook()) {
    v.Add("webhook", "is required");
  } else {
    const v1::Webhook& w = req.webhook();
    if (w.uri().empty()) {
      v.Add("webhook.uri", "is required");
    } else if (w.uri().size() > kMaxUri ||
               !validation::IsHttpUri(w.uri(), options_.require_https)) {
      v.Add("webhook.uri", options_.require_https
                               ? "must be an absolute https URI"
                               : "must be an absolute http or https URI");
    } else if (std::string problem =
                   WebhookUriProblem(w.uri(), options_.addresses);
               !problem.empty()) {
      v.Add("webhook.uri", problem);
    }
    if (w.secret().size() < kMinSecret || w.secret().size() > kMaxSecret) {
      v.Add("webhook.secret",
            absl::StrCat("must be ", kMinSecret, " to ", kMaxSecret, " bytes"));
    }
    ValidateFilter(w.filter(), "webhook.filter", v);
  }
  ValidateRequestId(req.request_id(), v);
  RETURN_IF_ERROR(v.ToStatus());

  v1::Webhook w = req.webhook();
  RETURN_IF_ERROR(ScopeFilter(p, *w.mutable_filter()));
  const std::string secret = w.secret();
  w.clear_secret();
  w.set_owner(p.subject);
  w.set_name(absl::StrCat("webhooks/", NewUlid()));
  *w.mutable_create_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(clock_->Now()));
  return requests_->RunOnce(
      *db_, p.subject, "CreateWebhook", req.request_id(), req, resp,
      [&](storage::Transaction& tx) -> absl::Status {
        RETURN_IF_ERROR(WebhookStore::InsertWebhook(tx, w, secret));
        tx.OnCommit(hooks_.webhooks_changed);
        *resp = w;
        return absl::OkStatus();
      });
}

absl::Status WebhookApi::Get(const grpc::ServerContextBase& ctx,
                             const v1::GetWebhookRequest& req,
                             v1::Webhook* resp) {
  ASSIGN_OR_RETURN(auth::Principal p, policy_->Authorize(ctx, "GetWebhook"));
  ASSIGN_OR_RETURN(std::string id,
                   api::ParseName(req.name(), "webhooks", "name"));
  ASSIGN_OR_RETURN(WebhookRecord r, LoadForRead(p, id));
  *resp = std::move(r.webhook);
  return absl::OkStatus();
}

absl::Status WebhookApi::List(const grpc::ServerContextBase& ctx,
                              const v1::ListWebhooksRequest& req,
                              v1::ListWebhooksResponse* resp) {
  ASSIGN_OR_RETURN(auth::Principal p, policy_->Authorize(ctx, "ListWebhooks"));
  FieldViolations v;
  const int page_size = api::PageSize(req.page_size(), v);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string owner =
      p.role == auth::Role::kAdmin ? std::string() : p.subject;
  const std::string query = absl::StrCat("webhooks|", owner);
  ASSIGN_OR_RETURN(std::string after,
                   api::DecodePageToken(req.page_token(), query));
  bool more = false;
  ASSIGN_OR_RETURN(std::vector<v1::Webhook> page,
                   store_->ListWebhooks(owner, after, page_size, &more));
  for (v1::Webhook& w : page) *resp->add_webhooks() = std::move(w);
  if (more && resp->webhooks_size() > 0) {
    ASSIGN_OR_RETURN(
        std::string last_id,
        api::ParseName(resp->webhooks().rbegin()->name(), "webhooks", "name"));
    resp->set_next_page_token(api::EncodePageToken(query, last_id));
  }
  return absl::OkStatus();
}

absl::Status WebhookApi::Delete(const grpc::ServerContextBase& ctx,
                                const v1::DeleteWebhookRequest& req,
                                google::protobuf::Empty* resp) {
  ASSIGN_OR_RETURN(auth::Principal p, policy_->Authorize(ctx, "DeleteWebhook"));
  FieldViolations v;
  absl::StatusOr<std::string> id =
      api::ParseName(req.name(), "webhooks", "name");
  v.AddFrom(id.status(), "name");
  ValidateRequestId(req.request_id(), v);
  RETURN_IF_ERROR(v.ToStatus());
  return requests_->RunOnce(
      *db_, p.subject, "DeleteWebhook", req.request_id(), req, resp,
      [&](storage::Transaction& tx) -> absl::Status {
        RETURN_IF_ERROR(Load(tx, p, *id).status());
        RETURN_IF_ERROR(WebhookStore::DeleteWebhook(tx, *id));
        tx.OnCommit(hooks_.webhooks_changed);
        return absl::OkStatus();
      });
}

absl::Status WebhookApi::Stats(const grpc::ServerContextBase& ctx,
                               const v1::GetWebhookStatsRequest& req,
                               v1::WebhookStats* resp) {
  ASSIGN_OR_RETURN(auth::Principal p,
                   policy_->Authorize(ctx, "GetWebhookStats"));
  ASSIGN_OR_RETURN(std::string id,
                   api::ParseName(req.name(), "webhooks", "name"));
  RETURN_IF_ERROR(LoadForRead(p, id).status());
  ASSIGN_OR_RETURN(*resp, store_->Stats(id));
  return absl::OkStatus();
}

absl::Status WebhookApi::ListDeadLetters(const grpc::ServerContextBase& ctx,
                                         const v1::ListDeadLettersRequest& req,
                                         v1::ListDeadLettersResponse* resp) {
  ASSIGN_OR_RETURN(auth::Principal p,
                   policy_->Authorize(ctx, "ListDeadLetters"));
  FieldViolations v;
  absl::StatusOr<std::string> id =
      api::ParseName(req.parent(), "webhooks", "parent");
  v.AddFrom(id.status(), "parent");
  const int page_size = api::PageSize(req.page_size(), v);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(LoadForRead(p, *id).status());
  const std::string query = absl::StrCat("deadLetters|", *id);
  ASSIGN_OR_RETURN(std::string after,
                   api::DecodePageToken(req.page_token(), query));
  bool more = false;
  ASSIGN_OR_RETURN(std::vector<v1::DeadLetter> page,
                   store_->ListDeadLetters(*id, after, page_size, &more));
  for (v1::DeadLetter& d : page) *resp->add_dead_letters() = std::move(d);
  if (more && resp->dead_letters_size() > 0) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     api::ParseNestedName(resp->dead_letters().rbegin()->name(),
                                          {"webhooks", "deadLetters"}, "name"));
    resp->set_next_page_token(api::EncodePageToken(query, ids[1]));
  }
  return absl::OkStatus();
}

absl::Status WebhookApi::Replay(const grpc::ServerContextBase& ctx,
                                const v1::ReplayDeadLettersRequest& req,
                                v1::ReplayDeadLettersResponse* resp) {
  ASSIGN_OR_RETURN(auth::Principal p,
                   policy_->Authorize(ctx, "ReplayDeadLetters"));
  FieldViolations v;
  // "webhooks/{w}/deadLetters/{id}" or ".../deadLetters/-".
  std::vector<std::string> ids;
  {
    std::vector<absl::string_view> parts = absl::StrSplit(req.name(), '/');
    if (parts.size() == 4 && parts[0] == "webhooks" &&
        parts[2] == "deadLetters" && api::IsValidId(parts[1]) &&
        (parts[3] == "-" || api::IsValidId(parts[3]))) {
      ids = {std::string(parts[1]), std::string(parts[3])};
    } else {
      v.Add("name",
            "must be \"webhooks/{id}/deadLetters/{id}\" or "
            "\"webhooks/{id}/deadLetters/-\"");
    }
  }
  ValidateRequestId(req.request_id(), v);
  RETURN_IF_ERROR(v.ToStatus());
  return requests_->RunOnce(
      *db_, p.subject, "ReplayDeadLetters", req.request_id(), req, resp,
      [&](storage::Transaction& tx) -> absl::Status {
        RETURN_IF_ERROR(Load(tx, p, ids[0]).status());
        ASSIGN_OR_RETURN(
            int n, WebhookStore::Replay(tx, ids[0], ids[1], clock_->Now()));
        resp->set_replayed(n);
        if (n > 0) tx.OnCommit(hooks_.deliveries_changed);
        return absl::OkStatus();
      });
}

}  // namespace jalin::notification
