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

#ifndef SERVICES_REGISTRY_IMPORT_BATCH_H_
#define SERVICES_REGISTRY_IMPORT_BATCH_H_

#include "absl/status/status.h"
#include "common/auth/principal.h"
#include "jalin/registry/v1/import.pb.h"
#include "services/registry/record_api.h"

namespace jalin::registry {

// Thread-safe; `deps` must outlive it.
class ImportProcessor {
 public:
  ImportProcessor(const ApiDeps* deps, int max_batch_records)
      : deps_(deps), max_batch_records_(max_batch_records) {}

  // Checks that `p` may import at all (PERMISSION_DENIED without a source
  // system) before any batch is read.
  absl::Status CheckCaller(const auth::Principal& p) const;

  // Applies `batch` and answers it. An error (INVALID_ARGUMENT for an
  // oversized batch, UNAVAILABLE when the store fails) means nothing of
  // the batch was stored.
  absl::Status Apply(const auth::Principal& p,
                     const jalin::registry::v1::ImportRecordsRequest& batch,
                     jalin::registry::v1::ImportRecordsResponse* out) const;

  int max_batch_records() const { return max_batch_records_; }

 private:
  const ApiDeps* const deps_;
  const int max_batch_records_;
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_IMPORT_BATCH_H_
