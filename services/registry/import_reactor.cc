#include "services/registry/import_reactor.h"

#include "common/server/service_host.h"
#include "common/status/grpc_status.h"

namespace jalin::registry {

ImportReactor::ImportReactor(const ImportProcessor* processor,
                             auth::Principal principal)
    : processor_(processor), principal_(std::move(principal)) {
  {
    absl::MutexLock lock(&mu_);
    reading_ = true;
  }
  StartRead(&incoming_);
}

void ImportReactor::OnReadDone(bool ok) {
  bool read_again = false;
  bool drain = false;
  {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    if (!ok || finished_ || !error_.ok()) {
      read_closed_ = true;
    } else {
      batches_.push_back(std::move(incoming_));
      incoming_.Clear();
      if (batches_.size() < kMaxQueued) read_again = reading_ = true;
    }
    if (!processing_ && !batches_.empty() && error_.ok()) {
      drain = processing_ = true;
    }
  }
  if (read_again) StartRead(&incoming_);
  if (drain) {
    Drain();
  } else {
    MaybeFinish();
  }
}

void ImportReactor::Drain() {
  while (true) {
    v1::ImportRecordsRequest batch;
    bool read_again = false;
    {
      absl::MutexLock lock(&mu_);
      if (batches_.empty() || !error_.ok()) {
        processing_ = false;
        break;
      }
      batch = std::move(batches_.front());
      batches_.pop_front();
      if (!reading_ && !read_closed_ && !finished_) read_again = reading_ = true;
    }
    if (read_again) StartRead(&incoming_);
    v1::ImportRecordsResponse answer;
    absl::Status s = processor_->Apply(principal_, batch, &answer);
    bool write = false;
    {
      absl::MutexLock lock(&mu_);
      if (!s.ok()) {
        if (error_.ok()) error_ = s;
        batches_.clear();
      } else if (!writing_ && error_.ok()) {
        outgoing_ = std::move(answer);
        write = writing_ = true;
      } else if (error_.ok()) {
        answers_.push_back(std::move(answer));
      }
    }
    if (write) StartWrite(&outgoing_);
  }
  MaybeFinish();
}

void ImportReactor::OnWriteDone(bool ok) {
  bool write = false;
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {
      if (error_.ok()) error_ = absl::CancelledError("the client went away");
      answers_.clear();
      batches_.clear();
    } else if (!answers_.empty()) {
      outgoing_ = std::move(answers_.front());
      answers_.pop_front();
      write = writing_ = true;
    }
  }
  if (write) {
    StartWrite(&outgoing_);
  } else {
    MaybeFinish();
  }
}

void ImportReactor::OnCancel() {
  {
    absl::MutexLock lock(&mu_);
    if (error_.ok()) error_ = absl::CancelledError("the import was cancelled");
    batches_.clear();
  }
  MaybeFinish();
}

void ImportReactor::MaybeFinish() {
  absl::Status status;
  {
    absl::MutexLock lock(&mu_);
    if (finished_ || processing_ || writing_) return;
    if (error_.ok() &&
        !(read_closed_ && batches_.empty() && answers_.empty())) {
      return;
    }
    finished_ = true;
    status = error_;
  }
  Finish(ToGrpcStatus(status, ErrorDomain()));
}

}  // namespace jalin::registry
