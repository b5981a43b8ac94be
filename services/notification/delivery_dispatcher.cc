#include "services/notification/delivery_dispatcher.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log/log.h"
#include "services/notification/webhook_signer.h"

namespace jalin::notification {
namespace {

// Without notifications the scheduler still looks this often (a retry that
// became due while its time could not be read, a store error).
constexpr absl::Duration kMaxIdle = absl::Seconds(5);

}  // namespace

DeliveryDispatcher::DeliveryDispatcher(WebhookStore* store,
                                       const RoutingTable* table,
                                       HttpClient* http, const Clock* clock,
                                       DispatcherOptions options)
    : store_(store),
      table_(table),
      http_(http),
      clock_(clock),
      options_(options),
      backoff_(options.backoff) {}

DeliveryDispatcher::~DeliveryDispatcher() { Stop(); }

void DeliveryDispatcher::Start() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = false;
    wake_ = true;
  }
  scheduler_ = std::thread([this] { SchedulerLoop(); });
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

void DeliveryDispatcher::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stop_ && !scheduler_.joinable()) return;
    stop_ = true;
  }
  http_->CancelAll();
  if (scheduler_.joinable()) scheduler_.join();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  workers_.clear();
}

void DeliveryDispatcher::Notify() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

absl::Time DeliveryDispatcher::ScheduleOnce() {
  const absl::Time now = clock_->Now();
  {
    // Outcomes recorded before this point are in every read below.
    absl::MutexLock lock(&mu_);
    settled_.clear();
  }
  const auto webhooks = table_->webhooks();
  std::vector<Job> picked;
  for (const WebhookRecord& w : webhooks->webhooks) {
    if (w.webhook.disabled()) continue;
    int busy = 0;
    {
      absl::MutexLock lock(&mu_);
      auto it = per_webhook_.find(w.id);
      busy = it == per_webhook_.end() ? 0 : it->second;
    }
    const int room = options_.max_in_flight_per_webhook - busy;
    if (room <= 0) continue;
    absl::StatusOr<std::vector<DeliveryJob>> due =
        store_->Due(w.id, now, room + busy);
    if (!due.ok()) {
      log::Warn("webhooks: reading due deliveries failed",
                {{"webhook", w.webhook.name()},
                 {"error", std::string(due.status().message())}});
      return now + absl::Seconds(1);
    }
    absl::MutexLock lock(&mu_);
    int taken = 0;
    for (DeliveryJob& d : *due) {
      if (taken == room) break;
      if (settled_.contains(d.id)) continue;
      if (!in_flight_.insert(d.id).second) continue;
      ++per_webhook_[w.id];
      ++taken;
      queue_.push_back(
          Job{std::move(d), w.webhook.uri(), w.secret, w.webhook.name()});
    }
  }
  absl::StatusOr<std::optional<absl::Time>> next = store_->NextDueAfter(now);
  if (!next.ok()) return now + absl::Seconds(1);
  return next->has_value() ? **next : absl::InfiniteFuture();
}

void DeliveryDispatcher::SchedulerLoop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
      wake_ = false;
    }
    const absl::Time next = ScheduleOnce();
    absl::MutexLock lock(&mu_);
    auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stop_ || wake_;
    };
    const absl::Duration wait =
        std::clamp(next - clock_->Now(), absl::ZeroDuration(), kMaxIdle);
    if (wait > absl::ZeroDuration()) {
      mu_.AwaitWithTimeout(absl::Condition(&woken), wait);
    }
  }
}

void DeliveryDispatcher::WorkerLoop() {
  while (true) {
    Job job;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_ || !queue_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (stop_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    Attempt(job);
    absl::MutexLock lock(&mu_);
    in_flight_.erase(job.delivery.id);
    settled_.insert(job.delivery.id);
    if (--per_webhook_[job.delivery.webhook_id] <= 0) {
      per_webhook_.erase(job.delivery.webhook_id);
    }
    wake_ = true;
  }
}

void DeliveryDispatcher::Attempt(const Job& job) {
  const int attempt = job.delivery.attempts + 1;
  const int64_t timestamp = absl::ToUnixSeconds(clock_->Now());
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", "application/json"},
      {std::string(kEventIdHeader), job.delivery.event_id},
      {std::string(kTimestampHeader), absl::StrCat(timestamp)},
      {std::string(kSignatureHeader),
       SignWebhook(job.secret, timestamp, job.delivery.body)},
      {std::string(kWebhookHeader), job.webhook_name},
      {std::string(kAttemptHeader), absl::StrCat(attempt)},
  };
  const absl::Time start = absl::Now();
  absl::StatusOr<HttpResponse> response = http_->Post(
      job.uri, headers, job.delivery.body, options_.request_timeout);
  const double ms = absl::ToDoubleMilliseconds(absl::Now() - start);
  ++attempts_;
  {
    absl::MutexLock lock(&mu_);
    // Cancelled at shutdown: not the endpoint's fault; stays pending.
    if (stop_ && !response.ok()) return;
  }
  const absl::Time now = clock_->Now();
  absl::Status recorded;
  if (response.ok() && response->status >= 200 && response->status < 300) {
    recorded = store_->RecordSuccess(job.delivery, now, ms);
  } else {
    // Shown to the integrator: the status code only, never the reply's
    // body (the endpoint may not be theirs).
    const std::string error = response.ok()
                                  ? absl::StrCat("HTTP ", response->status)
                                  : std::string(response.status().message());
    std::optional<absl::Time> retry_at;
    if (!backoff_.Exhausted(attempt)) retry_at = now + backoff_.Delay(attempt);
    if (!retry_at.has_value()) {
      log::Warn("webhooks: delivery dead-lettered",
                {{"webhook", job.webhook_name},
                 {"event_id", job.delivery.event_id},
                 {"attempts", attempt},
                 {"error", error}});
    }
    recorded = store_->RecordFailure(job.delivery, now, error, retry_at);
  }
  if (!recorded.ok()) {
    log::Error("webhooks: recording a delivery attempt failed",
               {{"webhook", job.webhook_name},
                {"event_id", job.delivery.event_id},
                {"error", std::string(recorded.message())}});
  }
}

}  // namespace jalin::notification
