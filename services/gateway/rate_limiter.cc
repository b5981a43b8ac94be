#include "services/gateway/rate_limiter.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace jalin::gateway {

RateLimiter::RateLimiter(redis::Client* redis, RateLimitOptions options,
                         const Clock* clock)
    : redis_(redis), options_(std::move(options)), clock_(clock) {
  if (enabled()) worker_ = std::thread([this] { Run(); });
}

RateLimiter::~RateLimiter() { Stop(); }

int64_t RateLimiter::WindowIndex(absl::Time t) const {
  return absl::ToUnixMillis(t) / absl::ToInt64Milliseconds(options_.window);
}

RateDecision RateLimiter::Check(const std::string& client) {
  RateDecision d;
  if (!enabled()) return d;
  const absl::Time now = clock_->Now();
  const int64_t window = WindowIndex(now);
  absl::MutexLock lock(&mu_);
  Count& c = counts_[client];
  if (c.window != window) {
    c = Count();
    c.window = window;
  }
  // Without Redis nothing is known across replicas: let traffic through.
  if (!degraded_.load() && c.known + c.unsent + c.sending >= options_.limit) {
    const int64_t window_ms = absl::ToInt64Milliseconds(options_.window);
    const absl::Duration until_end =
        absl::Milliseconds((window + 1) * window_ms - absl::ToUnixMillis(now));
    d.allowed = false;
    d.retry_after = std::max(until_end, absl::Seconds(1));
    return d;
  }
  ++c.unsent;
  dirty_ = true;
  return d;
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
    bool stopping;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](RateLimiter* l)
               ABSL_NO_THREAD_SAFETY_ANALYSIS { return l->stop_ || l->dirty_; },
          this));
      // After a failure, wait before asking Redis again.
      if (!stop_ && clock_->Now() < retry_at_) {
        mu_.AwaitWithDeadline(absl::Condition(&stop_), retry_at_);
      }
      stopping = stop_;
    }
    // At stop, one last report (best effort).
    Sync();
    if (stopping) return;
  }
}

bool RateLimiter::Sync() {
  struct Item {
    std::string key;
    std::string client;
    int64_t window;
    int64_t n;
  };
  std::vector<Item> items;
  const int64_t current = WindowIndex(clock_->Now());
  {
    absl::MutexLock lock(&mu_);
    dirty_ = false;
    for (auto it = counts_.begin(); it != counts_.end();) {
      Count& c = it->second;
      if (c.window < current && c.unsent == 0 && c.sending == 0) {
        counts_.erase(it++);
        continue;
      }
      if (c.unsent > 0 && c.sending == 0) {
        items.push_back(
            {absl::StrCat(options_.key_prefix, it->first, ":", c.window),
             it->first, c.window, c.unsent});
        c.sending = c.unsent;
        c.unsent = 0;
      } else if (c.unsent > 0) {
        dirty_ = true;  // Sent after the answer to the one in flight.
      }
      ++it;
    }
  }
  if (items.empty()) return true;
  std::vector<std::vector<std::string>> commands;
  commands.reserve(items.size() * 2);
  const std::string expire =
      absl::StrCat(absl::ToInt64Milliseconds(options_.window) * 2);
  for (const Item& i : items) {
    commands.push_back({"INCRBY", i.key, absl::StrCat(i.n)});
    commands.push_back({"PEXPIRE", i.key, expire});
  }
  absl::StatusOr<std::vector<redis::Reply>> replies =
      redis_->Pipeline(commands);
  absl::MutexLock lock(&mu_);
  if (!replies.ok()) {
    // What was admitted meanwhile is not known to Redis; it is dropped
    // rather than charged late to a window that may have ended.
    for (const Item& i : items) {
      auto it = counts_.find(i.client);
      if (it != counts_.end() && it->second.window == i.window) {
        it->second.sending = 0;
      }
    }
    retry_at_ = clock_->Now() + options_.retry_after_failure;
    SetDegraded(true, std::string(replies.status().message()));
    return false;
  }
  for (size_t k = 0; k < items.size(); ++k) {
    const redis::Reply& total = (*replies)[2 * k];
    auto it = counts_.find(items[k].client);
    if (it == counts_.end() || it->second.window != items[k].window) continue;
    it->second.sending = 0;
    if (total.type == redis::Reply::Type::kInteger) {
      it->second.known = total.integer;
    } else {
      it->second.known += items[k].n;
    }
  }
  SetDegraded(false, "");
  return true;
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
