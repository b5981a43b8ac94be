// The notification service's own settings (flags with JALIN_* environment
// overrides; README.md lists them).

#ifndef SERVICES_NOTIFICATION_NOTIFICATION_SETTINGS_H_
#define SERVICES_NOTIFICATION_NOTIFICATION_SETTINGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/config/config.h"

namespace jalin::notification {

struct NotificationSettings {
  std::string registry_address = "127.0.0.1:7101";
  absl::Duration registry_timeout = absl::Milliseconds(500);
  absl::Duration contact_cache_ttl = absl::Minutes(10);
  // Producers whose streams are consumed ("jalin.<service>.events").
  std::string event_sources = "registry,matching,curation";
  int64_t consumer_batch = 200;
  absl::Duration inbox_retention = absl::Hours(24 * 90);
  absl::Duration retention_interval = absl::Minutes(10);
  int64_t stream_queue_limit = 1000;
  int64_t stream_page_size = 200;
  int64_t webhook_workers = 4;
  int64_t webhook_max_in_flight = 2;
  absl::Duration webhook_timeout = absl::Seconds(10);
  absl::Duration webhook_retry_initial = absl::Seconds(1);
  absl::Duration webhook_retry_max = absl::Minutes(10);
  int64_t webhook_max_attempts = 10;
  bool webhook_require_https = false;
  // Networks webhooks may reach although internal (comma-separated CIDRs).
  std::string webhook_allowed_networks;
  absl::Duration store_checkpoint_interval = absl::Milliseconds(200);

  // Registers every setting with `config`; `this` must outlive parsing.
  void Register(Config& config);
  // The services named by event_sources.
  std::vector<std::string> Sources() const;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_NOTIFICATION_SETTINGS_H_
