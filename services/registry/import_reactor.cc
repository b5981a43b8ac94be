#include "services/registry/import_reactor.h"

#include <utility>

#include "common/server/service_host.h"
#include "common/status/grpc_status.h"

namespace jalin::registry {

ImportReactor::ImportReactor(const ImportProcessor* processor,
                             auth::Principal principal)
    : processor_(processor),
      principal_(std::move(principal)),
      incoming_(ImportInput::New()) {
  {
    absl::MutexLock lock(&mu_);
    reading_ = true;
  }
  StartRead(incoming_.request);
}

void ImportReactor::OnReadDone(bool ok) {
  ImportInput batch;
  {
    absl::MutexLock lock(&mu_);
    if (!ok || finished_ || !error_.ok()) {
      reading_ = false;
      read_closed_ = true;
      ok = false;
    } else {
      // reading_ stays set until the batch is queued: no other read may
      // start (and queue a later batch first) while this one is prepared.
      batch = std::exchange(incoming_, ImportInput::New());
    }
  }
  if (!ok) {
    MaybeFinish();
    return;
  }
  // Prepared before the next read starts, so batches queue in stream order.
  absl::StatusOr<PreparedBatch> prepared =
      processor_->Prepare(principal_, std::move(batch));
  bool read_again = false;
  bool drain = false;
  {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    batches_.push_back(std::move(prepared));
    if (MayReadLocked()) read_again = reading_ = true;
    if (!processing_ && error_.ok()) drain = processing_ = true;
  }
  if (read_again) StartRead(incoming_.request);
  if (drain) {
    Drain();
  } else {
    MaybeFinish();
  }
}

void ImportReactor::Drain() {
  while (true) {
    absl::StatusOr<PreparedBatch> batch;
    bool read_again = false;
    {
      absl::MutexLock lock(&mu_);
      if (batches_.empty() || !error_.ok()) {
        processing_ = false;
        break;
      }
      batch = std::move(batches_.front());
      batches_.pop_front();
      if (!reading_ && MayReadLocked()) read_again = reading_ = true;
    }
    if (read_again) StartRead(incoming_.request);
    v1::ImportRecordsResponse answer;
    absl::Status s = batch.status();
    if (s.ok()) s = processor_->Apply(principal_, *std::move(batch), &answer);
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
        !(read_closed_ && !reading_ && batches_.empty() && answers_.empty())) {
      return;
    }
    finished_ = true;
    status = error_;
  }
  Finish(ToGrpcStatus(status, ErrorDomain()));
}

}  // namespace jalin::registry
