#include "services/gateway/rate_limiter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace jalin::gateway {
namespace {

// Allowed without counting: Redis could not be asked.
RateDecision Uncounted() {
  RateDecision d;
  d.degraded = true;
  return d;
}

}  // namespace

RateLimiter::RateLimiter(redis::Client* redis, RateLimitOptions options,
                         const Clock* clock)
    : redis_(redis), options_(std::move(options)), clock_(clock) {
  if (enabled()) worker_ = std::thread([this] { Run(); });
}

RateLimiter::~RateLimiter() { Stop(); }

void RateLimiter::Check(std::string client,
                        std::function<void(RateDecision)> done) {
  if (!enabled()) return done(RateDecision{});
  if (absl::ToUnixMicros(clock_->Now()) < skip_until_micros_.load()) {
    return done(Uncounted());
  }
  {
    absl::MutexLock lock(&mu_);
    if (!stop_) {
      queue_.push_back({std::move(client), std::move(done)});
      return;
    }
  }
  done(RateDecision{});
}

void RateLimiter::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stop_) return;
    stop_ = true;
  }
  if (worker_.joinable()) worker_.join();
}

void RateLimiter::Run() {
  while (true) {
    std::deque<Pending> batch;
    bool stopping;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](RateLimiter* l) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return l->stop_ || !l->queue_.empty();
          },
          this));
      stopping = stop_;
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (stopping) {
      for (Pending& p : batch) p.done(RateDecision{});
      absl::MutexLock lock(&mu_);
      if (queue_.empty()) return;
      continue;
    }
    Decide(batch);
  }
}

void RateLimiter::Decide(std::deque<Pending>& batch) {
  const absl::Time now = clock_->Now();
  const int64_t window_ms = absl::ToInt64Milliseconds(options_.window);
  const int64_t now_ms = absl::ToUnixMillis(now);
  const int64_t index = now_ms / window_ms;
  const absl::Duration until_end =
      absl::Milliseconds((index + 1) * window_ms - now_ms);
  std::vector<std::vector<std::string>> commands;
  commands.reserve(batch.size() * 2);
  const std::string expire = absl::StrCat(window_ms * 2);
  for (const Pending& p : batch) {
    std::string key = absl::StrCat(options_.key_prefix, p.client, ":", index);
    commands.push_back({"INCR", key});
    commands.push_back({"PEXPIRE", std::move(key), expire});
  }
  absl::StatusOr<std::vector<redis::Reply>> replies =
      redis_->Pipeline(commands);
  if (!replies.ok()) {
    skip_until_micros_ = absl::ToUnixMicros(now + options_.retry_after_failure);
    SetDegraded(true, std::string(replies.status().message()));
    for (Pending& p : batch) {
      p.done(Uncounted());
    }
    return;
  }
  SetDegraded(false, "");
  for (size_t i = 0; i < batch.size(); ++i) {
    const redis::Reply& count = (*replies)[2 * i];
    RateDecision d;
    if (count.type == redis::Reply::Type::kInteger) {
      d.allowed = count.integer <= options_.limit;
      if (!d.allowed) d.retry_after = std::max(until_end, absl::Seconds(1));
    } else {
      d.degraded = true;
    }
    batch[i].done(d);
  }
}

void RateLimiter::SetDegraded(bool degraded, const std::string& why) {
  if (degraded_.exchange(degraded) == degraded) return;
  if (degraded) {
    log::Warn("rate limit degraded: Redis unavailable, letting traffic through",
              {{"error", why}});
  } else {
    log::Info("rate limit restored: Redis answers again");
  }
}

}  // namespace jalin::gateway
