#include "services/notification/notification_settings.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/notification/address_policy.h"

namespace jalin::notification {

void NotificationSettings::Register(Config& config) {
  config.AddString("registry_address", &registry_address,
                   "gRPC address of the registry (cluster leader contacts)");
  config.AddDuration("registry_timeout", &registry_timeout,
                     "Deadline of one registry lookup");
  config.AddDuration("contact_cache_ttl", &contact_cache_ttl,
                     "How long a cluster leader's contact is cached");
  config.AddString("event_sources", &event_sources,
                   "Comma-separated services whose event streams are "
                   "consumed (jalin.<service>.events)");
  config.AddInt("consumer_batch", &consumer_batch,
                "Events read and applied per consumer transaction", 1, 10000);
  config.AddDuration("inbox_retention", &inbox_retention,
                     "Notifications, delivered webhook deliveries and dead "
                     "letters older than this are deleted");
  config.AddDuration("retention_interval", &retention_interval,
                     "How often the retention pass runs");
  config.AddInt("stream_queue_limit", &stream_queue_limit,
                "Messages a live stream may have waiting; beyond that a slow "
                "client is served from the store instead",
                1, 1'000'000);
  config.AddInt("stream_page_size", &stream_page_size,
                "Notifications read per page when a stream resumes from a "
                "cursor",
                1, 10'000);
  config.AddInt("webhook_workers", &webhook_workers,
                "Threads sending webhook deliveries", 1, 256);
  config.AddInt("webhook_max_in_flight", &webhook_max_in_flight,
                "Requests open at once to one webhook endpoint", 1, 256);
  config.AddDuration("webhook_timeout", &webhook_timeout,
                     "Deadline of one webhook HTTP request");
  config.AddDuration("webhook_retry_initial", &webhook_retry_initial,
                     "Delay after the first failed attempt (doubles per "
                     "attempt, with jitter)");
  config.AddDuration("webhook_retry_max", &webhook_retry_max,
                     "Longest delay between attempts");
  config.AddInt("webhook_max_attempts", &webhook_max_attempts,
                "Attempts before a delivery is dead-lettered", 1, 1000);
  config.AddBool("webhook_require_https", &webhook_require_https,
                 "Refuse webhook URIs that are not https");
  config.AddString(
      "webhook_allowed_networks", &webhook_allowed_networks,
      "Comma-separated networks (CIDR, e.g. 10.20.0.0/16) webhooks may "
      "reach although loopback, private or link-local; empty refuses them "
      "all");
  config.AddDuration("store_checkpoint_interval", &store_checkpoint_interval,
                     "How often the store's WAL is checkpointed in the "
                     "background (off the commit path); 0 leaves it to "
                     "SQLite's automatic checkpoints in the committing "
                     "thread");
  config.AddCheck([this] {
    if (Sources().empty()) {
      return std::string("JALIN_EVENT_SOURCES: name at least one service");
    }
    const std::pair<const char*, absl::Duration> positive[] = {
        {"JALIN_REGISTRY_TIMEOUT", registry_timeout},
        {"JALIN_WEBHOOK_TIMEOUT", webhook_timeout},
        {"JALIN_WEBHOOK_RETRY_INITIAL", webhook_retry_initial},
        {"JALIN_INBOX_RETENTION", inbox_retention},
        {"JALIN_RETENTION_INTERVAL", retention_interval}};
    for (const auto& d : positive) {
      if (d.second <= absl::ZeroDuration()) {
        return absl::StrCat(d.first, ": must be positive");
      }
    }
    if (absl::StatusOr<AddressPolicy> p =
            AddressPolicy::Parse(webhook_allowed_networks);
        !p.ok()) {
      return absl::StrCat("JALIN_WEBHOOK_ALLOWED_NETWORKS: ",
                          p.status().message());
    }
    if (webhook_retry_max < webhook_retry_initial) {
      return std::string(
          "JALIN_WEBHOOK_RETRY_MAX: must not be below "
          "JALIN_WEBHOOK_RETRY_INITIAL");
    }
    return std::string();
  });
}

std::vector<std::string> NotificationSettings::Sources() const {
  std::vector<std::string> out;
  for (absl::string_view s : absl::StrSplit(event_sources, ',')) {
    s = absl::StripAsciiWhitespace(s);
    if (!s.empty()) out.emplace_back(s);
  }
  return out;
}

}  // namespace jalin::notification
