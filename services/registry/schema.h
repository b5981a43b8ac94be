// The registry's tables. Each record kind has its own table: the record as
// a protobuf blob (`data`) beside the columns that lists and statistics
// filter on, plus membership tables for repeated references (an
// enterprise's clusters, categories and certifications; a listing's
// clusters; a partner's categories; an agreement's parties). One more
// table holds the revision high-water mark (revision_clock.h).

#ifndef SERVICES_REGISTRY_SCHEMA_H_
#define SERVICES_REGISTRY_SCHEMA_H_

#include "absl/status/status.h"
#include "common/storage/database.h"

namespace jalin::registry {

// Applies the registry's migrations (component "registry").
absl::Status MigrateRegistry(storage::Database& db);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_SCHEMA_H_
