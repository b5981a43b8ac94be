// What the curation managers share. Everything is owned by the service
// module (or by a test) and must outlive the managers; each piece is
// thread-safe.

#ifndef SERVICES_CURATION_CURATION_DEPS_H_
#define SERVICES_CURATION_CURATION_DEPS_H_

#include "common/clock.h"
#include "common/regions/region_table.h"
#include "common/storage/database.h"
#include "common/storage/request_log.h"
#include "services/curation/curation_events.h"
#include "services/curation/enterprise_directory.h"

namespace jalin::curation {

struct CurationDeps {
  storage::Database* db = nullptr;
  // Writes events into the outbox, in the same transaction as the change.
  EventWriter events{nullptr};
  const Clock* clock = nullptr;
  // AIP-155: a replayed request_id gets the first answer.
  storage::RequestLog* requests = nullptr;
  const regions::RegionTable* regions = nullptr;
  // The registry, for applicants.
  EnterpriseDirectory* directory = nullptr;
};

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_CURATION_DEPS_H_
