// The verification queue for registry records (DESIGN §9). It follows the
// registry's event stream and opens a task for a curator when an
// enterprise shares its NIB with another live record, has a nearly equal
// name to another live record in the same village, or lacks what curation
// and matching need. A curator verifies, merges or rejects; the registry
// follows the "verification.resolved" events. Tasks whose finding no longer
// holds are cleared by the service.
//
// Thread-safe; `deps` must outlive the queue.

#ifndef SERVICES_CURATION_VERIFICATION_QUEUE_H_
#define SERVICES_CURATION_VERIFICATION_QUEUE_H_

#include <string>

#include "absl/status/status.h"
#include "common/auth/principal.h"
#include "jalin/curation/v1/curation_service.pb.h"
#include "jalin/events/v1/event.pb.h"
#include "services/curation/curation_deps.h"
#include "services/curation/verification_store.h"

namespace jalin::curation {

class VerificationQueue {
 public:
  explicit VerificationQueue(const CurationDeps* deps) : deps_(deps) {}

  // Applies one event of "jalin.registry.events" in the consumer's
  // transaction: enterprise created, updated, verification_changed and
  // deleted; other types are ignored. INVALID_ARGUMENT (the event is
  // dead-lettered) when the payload cannot be read.
  absl::Status Apply(const jalin::events::v1::Event& event,
                     storage::Transaction& tx);

  absl::Status List(
      const auth::Principal& p,
      const jalin::curation::v1::ListVerificationTasksRequest& req,
      jalin::curation::v1::ListVerificationTasksResponse* out);
  absl::Status Resolve(
      const auth::Principal& p,
      const jalin::curation::v1::ResolveVerificationTaskRequest& req,
      jalin::curation::v1::VerificationTask* out);

 private:
  // Recomputes the findings of `record` and opens, updates or clears its
  // tasks accordingly.
  absl::Status Evaluate(storage::Transaction& tx, const std::string& record,
                        absl::Time now);
  // Re-evaluates `records` (deduplicated, `except` skipped).
  absl::Status EvaluateAll(storage::Transaction& tx,
                           const std::vector<std::string>& records,
                           absl::string_view except, absl::Time now);
  absl::Status Clear(storage::Transaction& tx, store::StoredTask& task,
                     absl::string_view why, absl::Time now);

  const CurationDeps* const deps_;
};

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_VERIFICATION_QUEUE_H_
