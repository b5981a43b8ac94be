#include "services/notification/live_hub.h"

#include <algorithm>

#include "common/log/log.h"
#include "common/status/status_macros.h"

namespace jalin::notification {

LiveHub::LiveHub(NotificationStore* store, HubOptions options)
    : store_(store), options_(options) {}

LiveHub::~LiveHub() { Stop(); }

absl::Status LiveHub::Start() {
  ASSIGN_OR_RETURN(int64_t max_seq, store_->MaxSeq());
  tail_seq_ = max_seq;
  absl::MutexLock lock(&mu_);
  stop_ = false;
  tail_thread_ = std::thread([this] { TailLoop(); });
  backfill_thread_ = std::thread([this] { BackfillLoop(); });
  return absl::OkStatus();
}

void LiveHub::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
    pages_.clear();
    handed_.clear();
  }
  if (tail_thread_.joinable()) tail_thread_.join();
  if (backfill_thread_.joinable()) backfill_thread_.join();
  std::vector<std::shared_ptr<StreamSession>> open;
  {
    absl::MutexLock lock(&sessions_mu_);
    for (auto& [recipient, list] : by_recipient_) {
      open.insert(open.end(), list.begin(), list.end());
    }
  }
  for (auto& s : open) {
    s->Close(absl::UnavailableError(
        "the service is shutting down; reconnect with the last cursor"));
  }
}

void LiveHub::NotifyCommitted() {
  absl::MutexLock lock(&mu_);
  committed_ = true;
}

void LiveHub::Publish(std::vector<StoredNotification> committed) {
  if (committed.empty()) return;
  absl::MutexLock lock(&mu_);
  if (stop_) return;
  handed_.push_back(std::move(committed));
}

std::shared_ptr<StreamSession> LiveHub::Open(const std::string& recipient,
                                             std::optional<int64_t> after_seq,
                                             StreamSink* sink) {
  auto session = std::make_shared<StreamSession>(recipient, after_seq,
                                                 options_.session, this);
  {
    // Registered before any catch-up read starts: see stream_session.h.
    absl::MutexLock lock(&sessions_mu_);
    by_recipient_[recipient].push_back(session);
    ++count_;
  }
  session->Attach(sink);
  return session;
}

void LiveHub::Close(const std::shared_ptr<StreamSession>& session) {
  session->Detach();
  absl::MutexLock lock(&sessions_mu_);
  auto it = by_recipient_.find(session->recipient());
  if (it == by_recipient_.end()) return;
  auto& list = it->second;
  auto pos = std::find(list.begin(), list.end(), session);
  if (pos == list.end()) return;
  list.erase(pos);
  --count_;
  if (list.empty()) by_recipient_.erase(it);
}

void LiveHub::RequestPage(std::shared_ptr<StreamSession> session) {
  absl::MutexLock lock(&mu_);
  if (stop_) return;
  pages_.push_back(std::move(session));
}

size_t LiveHub::sessions() const {
  absl::MutexLock lock(&sessions_mu_);
  return count_;
}

int64_t LiveHub::tail_seq() const { return tail_seq_.load(); }

void LiveHub::Dispatch(StoredNotification& row) {
  std::vector<std::shared_ptr<StreamSession>> targets;
  {
    absl::MutexLock lock(&sessions_mu_);
    auto it = by_recipient_.find(row.message.recipient());
    if (it != by_recipient_.end()) targets = it->second;
  }
  if (!targets.empty()) {
    auto item = std::make_shared<LiveItem>();
    item->seq = row.seq;
    item->message = std::move(row.message);
    for (const auto& s : targets) s->Offer(item);
  }
  tail_seq_ = row.seq;
}

bool LiveHub::TailOnce() {
  ++tail_reads_;
  while (true) {
    absl::StatusOr<std::vector<StoredNotification>> rows =
        store_->Tail(tail_seq_.load(), options_.tail_batch);
    if (!rows.ok()) {
      log::Warn("live streams: reading new notifications failed",
                {{"error", std::string(rows.status().message())}});
      return false;
    }
    for (StoredNotification& row : *rows) Dispatch(row);
    if (rows->size() < static_cast<size_t>(options_.tail_batch)) return true;
  }
}

bool LiveHub::DispatchHanded(std::vector<StoredNotification>& batch) {
  for (StoredNotification& row : batch) {
    const int64_t tail = tail_seq_.load();
    if (row.seq <= tail) continue;  // offered already (read from the store)
    if (row.seq != tail + 1) {
      // Something committed before `row` has not been offered: the store
      // has it all, in order, up to `row` and past it.
      if (!TailOnce()) return false;
      continue;
    }
    Dispatch(row);
  }
  return true;
}

void LiveHub::TailLoop() {
  while (true) {
    bool read_store = false;
    std::deque<std::vector<StoredNotification>> handed;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_ || committed_ || !handed_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (stop_) return;
      read_store = committed_;
      committed_ = false;
      handed.swap(handed_);
    }
    bool ok = true;
    for (std::vector<StoredNotification>& batch : handed) {
      // After a store error the rest is read from the store on the retry.
      if (ok) ok = DispatchHanded(batch);
    }
    if (ok && read_store) ok = TailOnce();
    if (!ok) {
      // Try again shortly even if nothing else commits.
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stop_), absl::Milliseconds(200));
      committed_ = true;
    }
  }
}

void LiveHub::BackfillLoop() {
  while (true) {
    std::shared_ptr<StreamSession> session;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_ || !pages_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (stop_) return;
      session = std::move(pages_.front());
      pages_.pop_front();
    }
    const StreamSession::PageRequest request = session->BeginPage();
    if (!request.wanted) {
      session->OnPage(request, {}, false, absl::OkStatus());
      continue;
    }
    absl::StatusOr<std::vector<StoredNotification>> rows = store_->ListAfter(
        session->recipient(), request.after_seq, session->page_size());
    std::vector<LiveItemPtr> page;
    bool full = false;
    if (rows.ok()) {
      full = rows->size() >= static_cast<size_t>(session->page_size());
      page.reserve(rows->size());
      for (StoredNotification& row : *rows) {
        auto item = std::make_shared<LiveItem>();
        item->seq = row.seq;
        item->message = std::move(row.message);
        page.push_back(std::move(item));
      }
    }
    session->OnPage(request, std::move(page), full, rows.status());
  }
}

}  // namespace jalin::notification
