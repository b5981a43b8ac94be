// Streams the rows of one import file through the registry's ImportRecords
// call: rows become records, records travel in batches with a few batches
// in flight, and every answer is tallied; rows that cannot be read, and
// records the registry rejects, go to the rejected-rows file.
//
// Safe to repeat: the registry upserts by (system, external_id) and answers
// UNCHANGED for a record whose version it already holds, so running the
// same import again after an interruption completes it without duplicates.

#ifndef TOOLS_JALINCTL_IMPORT_IMPORTER_H_
#define TOOLS_JALINCTL_IMPORT_IMPORTER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "tools/jalinctl/import/record_columns.h"
#include "tools/jalinctl/import/rejected_rows.h"
#include "tools/jalinctl/import/row_source.h"
#include "tools/jalinctl/progress.h"

namespace jalin::ctl {

struct ImportOptions {
  // Records per ImportRecordsRequest.
  int batch_size = 200;
  // Batches sent before the first of them must be answered.
  int window = 4;
  // Deadline of the whole stream.
  absl::Duration timeout = absl::Hours(6);
  // Bearer token.
  std::string token;
  // Read and check the rows without sending them.
  bool dry_run = false;
};

struct ImportCounts {
  // Rows read.
  int64_t rows = 0;
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  // Rows not stored: unreadable ones plus those the registry rejected.
  int64_t rejected = 0;
  // Rows that were read but not yet answered when the import stopped.
  int64_t unanswered = 0;
};

// Not thread-safe. `stub` is not owned and must outlive the importer.
class Importer {
 public:
  Importer(registry::v1::RegistryService::StubInterface* stub,
           ImportOptions options);

  // Imports every row of `source` as records of `type`. Returns the
  // stream's error when it breaks (UNAVAILABLE, DEADLINE_EXCEEDED, ...);
  // `counts` then holds what was answered before. `progress` may be null.
  absl::Status Run(RecordType type, RowSource* source, RejectedRows* rejected,
                   Progress* progress, ImportCounts* counts);

 private:
  const ImportOptions options_;
  registry::v1::RegistryService::StubInterface* const stub_;
};

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_IMPORT_IMPORTER_H_
