// Applies the curation service's events to the registry (stream
// jalin.curation.events, consumer group "registry"):
//   jalin.curation.submission.decided, PASSED: the enterprise gains a
//     curation mark (campaign, product, grade, expiry = decision time +
//     the campaign's validity), announced with enterprise.curated;
//   jalin.curation.verification.resolved: the record becomes VERIFIED,
//     REJECTED or MERGED (an enterprise also records merged_into),
//     announced with <resource>.verification_changed.
// Either way the owner's listings are refreshed (listing.updated). Events
// about records that no longer exist, and other event types, change
// nothing.

#ifndef SERVICES_REGISTRY_CURATION_SYNC_H_
#define SERVICES_REGISTRY_CURATION_SYNC_H_

#include "absl/status/status.h"
#include "common/storage/database.h"
#include "jalin/events/v1/event.pb.h"
#include "services/registry/record_api.h"

namespace jalin::registry {

// Thread-safe; `deps` must outlive it.
class CurationSync {
 public:
  explicit CurationSync(const ApiDeps* deps) : deps_(deps) {}

  // An events::EventHandler: applies `event` in the consumer's transaction.
  // INVALID_ARGUMENT for a payload that cannot be read (the consumer
  // dead-letters it after its retries).
  absl::Status Apply(const jalin::events::v1::Event& event,
                     storage::Transaction* tx) const;

 private:
  const ApiDeps* const deps_;
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_CURATION_SYNC_H_
