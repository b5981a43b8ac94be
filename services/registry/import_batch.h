// Bulk import of records pushed by kabupaten systems, one batch at a time.
//
// A batch is applied in one transaction. Records upsert by (source system,
// external id): a version at or below the stored one changes nothing
// (UNCHANGED), a newer one replaces what the source owns (UPDATED) and keeps
// what the registry owns (name, verification, curation marks, creation
// time). A record the caller may not write (another region) is REJECTED
// with PERMISSION_DENIED, an invalid one with INVALID_ARGUMENT naming every
// violation; neither stores anything of that record, and neither stops the
// other records of the batch.
//
// References between records of one source may use "external:<id>": an
// enterprise's clusters and a cluster's parent name clusters, a listing's
// owner names an enterprise, cluster or partner. The referenced record must
// be stored before (earlier in the batch, or in an earlier batch).
//
// Each batch is first prepared (see import_record.h), then applied;
// preparing needs no write lock, so a stream prepares one batch while the
// one before it is written.

#ifndef SERVICES_REGISTRY_IMPORT_BATCH_H_
#define SERVICES_REGISTRY_IMPORT_BATCH_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/principal.h"
#include "google/protobuf/arena.h"
#include "jalin/registry/v1/import.pb.h"
#include "services/registry/import_record.h"
#include "services/registry/record_api.h"

namespace jalin::registry {

// A batch as read from the stream. Its request and every record in it live
// on its own arena, so that reading a batch allocates a few blocks instead
// of thousands of objects, and a batch is freed at once. Move-only.
struct ImportInput {
  // A new, empty input to read into.
  static ImportInput New();

  std::unique_ptr<google::protobuf::Arena> arena;
  // Allocated on `arena`.
  jalin::registry::v1::ImportRecordsRequest* request = nullptr;
};

// A batch between preparation and application. Move-only.
class PreparedBatch {
 public:
  PreparedBatch() = default;
  PreparedBatch(PreparedBatch&&) = default;
  PreparedBatch& operator=(PreparedBatch&&) = default;

 private:
  friend class ImportProcessor;
  // The records read; the pending records below refer into it, so it is
  // declared first (destroyed last).
  ImportInput input_;
  std::string batch_id_;
  absl::Time time_;
  // One entry per record, in order: the answer so far, and the pending
  // record (null when the answer is final already).
  std::vector<jalin::registry::v1::ImportRecordResult> results_;
  std::vector<std::unique_ptr<PendingImport>> pending_;
};

// Thread-safe; `deps` must outlive it.
class ImportProcessor {
 public:
  ImportProcessor(const ApiDeps* deps, int max_batch_records)
      : deps_(deps), max_batch_records_(max_batch_records) {}

  // Checks that `p` may import at all (PERMISSION_DENIED without a source
  // system) before any batch is read.
  absl::Status CheckCaller(const auth::Principal& p) const;

  // Prepares `batch`, which the prepared batch keeps. INVALID_ARGUMENT for
  // an oversized batch.
  absl::StatusOr<PreparedBatch> Prepare(const auth::Principal& p,
                                        ImportInput batch) const;

  // Applies a prepared batch in one transaction and answers it. An error
  // (UNAVAILABLE when the store fails) means nothing of the batch was
  // stored.
  absl::Status Apply(const auth::Principal& p, PreparedBatch batch,
                     jalin::registry::v1::ImportRecordsResponse* out) const;

 private:
  const ApiDeps* const deps_;
  const int max_batch_records_;
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_IMPORT_BATCH_H_
