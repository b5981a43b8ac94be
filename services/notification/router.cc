#include "services/notification/router.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "services/notification/event_facts.h"
#include "services/notification/filter.h"
#include "services/notification/notification_store.h"
#include "services/notification/payload.h"
#include "services/notification/webhook_payload.h"
#include "services/notification/webhook_store.h"

namespace jalin::notification {

Router::Router(const Renderer* renderer, ClusterDirectory* directory,
               const RoutingTable* table, const Clock* clock, RouterHooks hooks)
    : renderer_(renderer),
      directory_(directory),
      table_(table),
      clock_(clock),
      hooks_(std::move(hooks)) {}

absl::Status Router::Route(const events::v1::Event& event,
                           storage::Transaction& tx) {
  const Payload payload = DecodePayload(event);
  const EventFacts facts = ExtractFacts(event, payload);
  const RenderedText text = renderer_->Render(event, payload);
  const absl::Time now = clock_->Now();

  std::vector<std::string> recipients = facts.parties;
  const auto subscriptions = table_->subscriptions();
  for (const v1::Subscription& s : *subscriptions) {
    if (FilterMatches(s.filter(), event.type(), facts)) {
      recipients.push_back(s.recipient());
    }
  }
  std::sort(recipients.begin(), recipients.end());
  recipients.erase(std::unique(recipients.begin(), recipients.end()),
                   recipients.end());

  v1::Notification n;
  n.set_event_id(event.id());
  n.set_event_type(event.type());
  n.set_subject(event.subject());
  n.set_title_id(text.title_id);
  n.set_title_en(text.title_en);
  n.set_body_id(text.body_id);
  n.set_body_en(text.body_en);
  *n.mutable_create_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(now));
  if (!event.regions().empty()) {
    n.mutable_regions()->CopyFrom(event.regions());
  } else {
    for (const std::string& code : facts.regions) {
      n.add_regions(absl::StrCat("regions/", code));
    }
  }

  std::vector<StoredNotification> added;
  added.reserve(recipients.size());
  for (const std::string& recipient : recipients) {
    n.set_recipient(recipient);
    n.clear_contact();
    if (directory_ != nullptr && absl::StartsWith(recipient, "clusters/")) {
      // Without the registry the notification still goes out, unaddressed.
      absl::StatusOr<type::v1::Contact> leader = directory_->Leader(recipient);
      if (leader.ok()) *n.mutable_contact() = *std::move(leader);
    }
    StoredNotification entry;
    ASSIGN_OR_RETURN(bool inserted, NotificationStore::Insert(tx, n, &entry));
    if (inserted) added.push_back(std::move(entry));
  }

  int64_t queued = 0;
  const auto webhooks = table_->webhooks();
  for (const WebhookRecord& w : webhooks->webhooks) {
    if (w.webhook.disabled() ||
        !FilterMatches(w.webhook.filter(), event.type(), facts)) {
      continue;
    }
    ASSIGN_OR_RETURN(bool inserted,
                     WebhookStore::InsertDelivery(
                         tx, w.id, event.id(), event.type(),
                         WebhookBody(w.webhook.name(), event, text), now));
    if (inserted) ++queued;
  }

  // Registered last: a handler that fails earlier leaves no hook behind
  // (its savepoint is rolled back and the event retried).
  if (!added.empty() || queued > 0) {
    tx.OnCommit([this, added = std::move(added), queued]() mutable {
      notifications_ += static_cast<int64_t>(added.size());
      deliveries_ += queued;
      if (!added.empty() && hooks_.notifications_committed) {
        hooks_.notifications_committed(std::move(added));
      }
      if (queued > 0 && hooks_.deliveries_committed) {
        hooks_.deliveries_committed();
      }
    });
  }
  return absl::OkStatus();
}

}  // namespace jalin::notification
