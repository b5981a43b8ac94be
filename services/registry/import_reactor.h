// The ImportRecords stream: the client sends batches; each is prepared on
// the thread that read it, then applied (one transaction) and answered
// after it committed, in order. While one batch is applied the next is read
// and prepared, so the network, the checks and the store work at the same
// time; at most two batches are held, after which the stream stops reading
// (flow control holds the client back).
//
// A store failure ends the stream with that status: batches answered
// before it are durable, the failed one is not stored, and re-sending is
// safe (records upsert by source and version).

#ifndef SERVICES_REGISTRY_IMPORT_REACTOR_H_
#define SERVICES_REGISTRY_IMPORT_REACTOR_H_

#include <deque>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/principal.h"
#include "grpcpp/support/server_callback.h"
#include "jalin/registry/v1/import.pb.h"
#include "services/registry/import_batch.h"

namespace jalin::registry {

// Deletes itself when the call is done. `processor` must outlive the call.
// Reactions run on gRPC's threads; the state below is shared between them.
class ImportReactor final
    : public grpc::ServerBidiReactor<v1::ImportRecordsRequest,
                                     v1::ImportRecordsResponse> {
 public:
  // Starts reading.
  ImportReactor(const ImportProcessor* processor, auth::Principal principal);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override { delete this; }

 private:
  static constexpr size_t kMaxQueued = 2;

  // Applies queued batches on the calling thread until none is left.
  void Drain();
  // Whether another batch may be read now.
  bool MayReadLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !read_closed_ && !finished_ && error_.ok() &&
           batches_.size() + (processing_ ? 1 : 0) < kMaxQueued;
  }
  // Finishes the call once nothing is in flight and either the client is
  // done and everything was answered, or an error stopped the stream.
  void MaybeFinish();

  const ImportProcessor* const processor_;
  const auth::Principal principal_;

  // Target of the outstanding read; touched by the reaction that owns the
  // read (one at a time).
  ImportInput incoming_;

  absl::Mutex mu_;
  // Prepared batches (or the error preparing one), in stream order.
  std::deque<absl::StatusOr<PreparedBatch>> batches_ ABSL_GUARDED_BY(mu_);
  std::deque<v1::ImportRecordsResponse> answers_ ABSL_GUARDED_BY(mu_);
  // The answer being written; valid until OnWriteDone.
  v1::ImportRecordsResponse outgoing_ ABSL_GUARDED_BY(mu_);
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool read_closed_ ABSL_GUARDED_BY(mu_) = false;
  bool processing_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_IMPORT_REACTOR_H_
