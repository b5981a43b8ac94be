// The curation service's tables (component "curation" of the store).

#ifndef SERVICES_CURATION_CURATION_SCHEMA_H_
#define SERVICES_CURATION_CURATION_SCHEMA_H_

#include "absl/status/status.h"
#include "common/storage/database.h"

namespace jalin::curation {

// Applies the curation migrations not yet applied.
absl::Status MigrateCurationSchema(storage::Database& db);

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_CURATION_SCHEMA_H_
