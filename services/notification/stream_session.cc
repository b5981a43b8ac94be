#include "services/notification/stream_session.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/notification/notification_store.h"

namespace jalin::notification {

StreamSession::StreamSession(std::string recipient,
                             std::optional<int64_t> after_seq,
                             SessionOptions options, PageReader* reader)
    : recipient_(std::move(recipient)),
      options_(options),
      reader_(reader),
      catching_up_(after_seq.has_value()),
      last_seq_(after_seq.value_or(0)),
      resume_seq_(after_seq) {}

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
      // The status is made when it is sent, naming the last message the
      // client then has.
      slow_ = true;
      FinishLocked(absl::ResourceExhaustedError("slow consumer"));
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
    if (ok && current_ != nullptr) last_written_seq_ = current_->seq;
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

absl::Status StreamSession::SlowConsumerStatus() const {
  const int64_t resume =
      last_written_seq_ >= 0 ? last_written_seq_ : resume_seq_.value_or(-1);
  const std::string cursor = resume >= 0 ? EncodeCursor(resume) : "";
  return WithErrorInfo(
      absl::ResourceExhaustedError(absl::StrCat(
          "subscriber too slow: more than ", options_.queue_limit,
          " notifications waiting; reconnect with the last cursor received",
          cursor.empty() ? "" : absl::StrCat(" (", cursor, ")"))),
      "SLOW_CONSUMER", {{"cursor", cursor}});
}

StreamSession::Action StreamSession::Pump() {
  Action a;
  if (sink_ == nullptr || detached_ || finish_sent_ || writing_) return a;
  a.sink = sink_;
  if (finish_.has_value()) {
    finish_sent_ = true;
    a.finish = slow_ ? SlowConsumerStatus() : *finish_;
    return a;
  }
  if (!outbox_.empty()) {
    current_ = std::move(outbox_.front());
    outbox_.pop_front();
    writing_ = true;
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
