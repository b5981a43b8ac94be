// The notification service's tables (component "notification").

#ifndef SERVICES_NOTIFICATION_SCHEMA_H_
#define SERVICES_NOTIFICATION_SCHEMA_H_

#include "absl/status/status.h"
#include "common/storage/database.h"

namespace jalin::notification {

// Applies the service's migrations (the runtime has already migrated the
// outbox, consumer and request-log tables).
absl::Status MigrateSchema(storage::Database& db);

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_SCHEMA_H_
