#include "services/notification/janitor.h"

#include "common/log/log.h"
#include "common/status/status_macros.h"

namespace jalin::notification {

Janitor::Janitor(NotificationStore* notifications, WebhookStore* webhooks,
                 const Clock* clock, JanitorOptions options)
    : notifications_(notifications),
      webhooks_(webhooks),
      clock_(clock),
      options_(options) {}

Janitor::~Janitor() { Stop(); }

void Janitor::Start() {
  absl::MutexLock lock(&mu_);
  stop_ = false;
  thread_ = std::thread([this] {
    while (true) {
      absl::StatusOr<int64_t> n = RunOnce();
      if (!n.ok()) {
        log::Warn("retention pass failed",
                  {{"error", std::string(n.status().message())}});
      } else if (*n > 0) {
        log::Info("retention pass", {{"deleted", *n}});
      }
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stop_), options_.interval)) {
        return;
      }
    }
  });
}

void Janitor::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int64_t> Janitor::RunOnce() {
  const absl::Time cutoff = clock_->Now() - options_.retention;
  int64_t total = 0;
  while (true) {
    ASSIGN_OR_RETURN(int64_t n,
                     notifications_->DeleteOlderThan(cutoff, options_.batch));
    total += n;
    if (n < options_.batch) break;
  }
  while (true) {
    ASSIGN_OR_RETURN(
        int64_t n, webhooks_->DeleteDeliveredOlderThan(cutoff, options_.batch));
    total += n;
    if (n < options_.batch) break;
  }
  while (true) {
    ASSIGN_OR_RETURN(int64_t n,
                     webhooks_->DeleteDeadOlderThan(cutoff, options_.batch));
    total += n;
    if (n < options_.batch) break;
  }
  while (true) {
    ASSIGN_OR_RETURN(int64_t n, webhooks_->DeleteOrphans(options_.batch));
    total += n;
    if (n < options_.batch) break;
  }
  return total;
}

}  // namespace jalin::notification
