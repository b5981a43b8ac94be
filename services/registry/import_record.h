// One record of an import batch, in two steps.
//
// Prepared outside the batch's transaction, on the thread that received the
// batch: output-only fields reset, the source stamped, references to
// records already committed resolved (in a read transaction), the
// caller's scope and every field checked, and for a valid new record its
// name, stored form and created event built. Nothing of this needs the
// write lock, so it runs while the previous batch is being written.
//
// Applied inside the transaction: a prepared record checks that what it
// refers to still exists and is inserted unless a record of its source is
// stored already; every other case (an update, an unchanged or invalid
// record, a reference to a record of the same batch, a listing, whose
// owner decides its region) takes the full path there.

#ifndef SERVICES_REGISTRY_IMPORT_RECORD_H_
#define SERVICES_REGISTRY_IMPORT_RECORD_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/auth/principal.h"
#include "common/regions/region_table.h"
#include "common/storage/database.h"
#include "jalin/registry/v1/import.pb.h"
#include "services/registry/external_refs.h"
#include "services/registry/revision_clock.h"
#include "services/registry/taxonomy.h"
#include "services/registry/write_scope.h"

namespace jalin::registry {

// What preparing needs. Used by one thread; everything must outlive it.
struct ImportPreparation {
  // A read transaction on committed state.
  storage::Transaction& tx;
  const auth::Principal& principal;
  const regions::RegionTable& regions;
  const TaxonomyData& taxonomy;
  RevisionClock& revisions;
  // Time and actor of the batch.
  const EventOrigin& origin;
  // "external:" references of the caller's source on `tx`, shared by the
  // batch so that each is looked up once.
  ExternalRefs& refs;
};

// What the records of one batch share inside its transaction. Used by one
// thread.
struct ImportTransaction {
  WriteScope& scope;
  const auth::Principal& principal;
  ExternalRefs& refs;
  KnownRecords& known;
};

// A prepared record waiting for its batch's transaction.
class PendingImport {
 public:
  virtual ~PendingImport() = default;
  // Applies the record and fills `result` (outcome and name). An error
  // fails the batch.
  virtual absl::Status Apply(
      ImportTransaction& t,
      jalin::registry::v1::ImportRecordResult* result) = 0;
};

// Prepares `in`, whose record the pending record works on in place: `in`
// must outlive it. When the record is decided already (REJECTED: a bad
// envelope, another region), fills `result` and returns null.
absl::StatusOr<std::unique_ptr<PendingImport>> PrepareImport(
    ImportPreparation& p, jalin::registry::v1::ImportRecord& in,
    jalin::registry::v1::ImportRecordResult* result);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_IMPORT_RECORD_H_
