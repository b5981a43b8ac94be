#include "services/notification/stream_session.h"

#include "absl/strings/str_cat.h"

namespace jalin::notification {

StreamSession::StreamSession(std::string recipient,
                             std::optional<int64_t> after_seq,
                             SessionOptions options, PageReader* reader)
    : recipient_(std::move(recipient)),
      options_(options),
      reader_(reader),
      catching_up_(after_seq.has_value()),
      last_seq_(after_seq.value_or(0)),
      sent_seq_(after_seq.value_or(0)) {}

void StreamSession::Attach(StreamSink* sink) {
  Action action;
  {
    absl::MutexLock lock(&mu_);
    sink_ = sink;
    action = Pump();
  }
  Run(action);
}

bool StreamSession::detached() const {
  absl::MutexLock lock(&mu_);
  return detached_;
}

int64_t StreamSession::fallbacks() const {
  absl::MutexLock lock(&mu_);
  return fallbacks_;
}

void StreamSession::Enqueue(const LiveItemPtr& item) {
  if (item->seq <= last_seq_) return;  // already queued or sent
  outbox_.push_back(item);
  last_seq_ = item->seq;
}

void StreamSession::FinishLocked(absl::Status status) {
  if (finish_.has_value()) return;
  finish_ = std::move(status);
  outbox_.clear();
  buffered_.clear();
}

void StreamSession::Offer(const LiveItemPtr& item) {
  Action action;
  {
    absl::MutexLock lock(&mu_);
    if (finish_.has_value() || detached_) return;
    if (catching_up_) {
      if (buffered_.size() >= options_.queue_limit) {
        // Catch-up will read these from the store instead.
        buffered_.clear();
        ++overflow_epoch_;
      } else {
        buffered_.push_back(item);
      }
      return;
    }
    if (item->seq <= last_seq_) return;
    if (outbox_.size() >= options_.queue_limit) {
      // The client is behind: forget the queue and read on from the store
      // after the last message handed to gRPC.
      outbox_.clear();
      catching_up_ = true;
      last_seq_ = sent_seq_;
      ++overflow_epoch_;
      ++fallbacks_;
    } else {
      Enqueue(item);
    }
    action = Pump();
  }
  Run(action);
}

StreamSession::PageRequest StreamSession::BeginPage() {
  absl::MutexLock lock(&mu_);
  PageRequest r;
  r.after_seq = last_seq_;
  r.epoch = overflow_epoch_;
  r.wanted = catching_up_ && !finish_.has_value() && !detached_;
  return r;
}

void StreamSession::OnPage(const PageRequest& request,
                           std::vector<LiveItemPtr> page, bool full,
                           const absl::Status& status) {
  Action action;
  {
    absl::MutexLock lock(&mu_);
    page_pending_ = false;
    if (finish_.has_value() || detached_) {
      action = Pump();
    } else if (!status.ok()) {
      FinishLocked(absl::UnavailableError(
          absl::StrCat("cannot read the inbox to resume: ", status.message())));
      action = Pump();
    } else {
      for (const LiveItemPtr& item : page) Enqueue(item);
      if (!full && request.epoch == overflow_epoch_) {
        // Caught up: everything committed before this read was in it, and
        // everything committed since is in the buffer.
        catching_up_ = false;
        for (const LiveItemPtr& item : buffered_) Enqueue(item);
        buffered_.clear();
      }
      action = Pump();
    }
  }
  Run(action);
}

void StreamSession::OnWriteDone(bool ok) {
  Action action;
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    current_.reset();
    if (!ok) {
      // The client is gone; the call still has to be finished.
      FinishLocked(absl::CancelledError("stream closed by the client"));
    }
    action = Pump();
  }
  Run(action);
}

void StreamSession::OnCancel() {
  Close(absl::CancelledError("stream cancelled"));
}

void StreamSession::Close(const absl::Status& status) {
  Action action;
  {
    absl::MutexLock lock(&mu_);
    FinishLocked(status);
    action = Pump();
  }
  Run(action);
}

void StreamSession::Detach() {
  absl::MutexLock lock(&mu_);
  detached_ = true;
  sink_ = nullptr;
  outbox_.clear();
  buffered_.clear();
  current_.reset();
}

StreamSession::Action StreamSession::Pump() {
  Action a;
  if (sink_ == nullptr || detached_ || finish_sent_ || writing_) return a;
  a.sink = sink_;
  if (finish_.has_value()) {
    finish_sent_ = true;
    a.finish = *finish_;
    return a;
  }
  if (!outbox_.empty()) {
    current_ = std::move(outbox_.front());
    outbox_.pop_front();
    writing_ = true;
    sent_seq_ = current_->seq;
    a.write = &current_->message;
    return a;
  }
  if (catching_up_ && !page_pending_) {
    page_pending_ = true;
    a.request_page = true;
  }
  return a;
}

void StreamSession::Run(Action action) {
  if (action.write != nullptr) {
    action.sink->Write(action.write);
  } else if (action.finish.has_value()) {
    action.sink->End(*action.finish);
  } else if (action.request_page) {
    reader_->RequestPage(shared_from_this());
  }
}

}  // namespace jalin::notification
