// The events of record changes: "jalin.registry.<resource>.<verb>" with the
// record after the change (before it, for "deleted"), routed by the
// record's region and parties. Events never carry contacts: they travel to
// every consumer and to webhooks, while contacts go only to callers whose
// role needs them.

#ifndef SERVICES_REGISTRY_RECORD_EVENTS_H_
#define SERVICES_REGISTRY_RECORD_EVENTS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/registry/record_kinds.h"
#include "services/registry/write_scope.h"

namespace jalin::registry {

// The event of a change of `record`. `verb`: "created", "updated",
// "deleted", "verification_changed", "curated".
jalin::events::v1::Event RecordEvent(absl::string_view verb,
                                     const v1::Cluster& record,
                                     const EventOrigin& origin);
jalin::events::v1::Event RecordEvent(absl::string_view verb,
                                     const v1::Enterprise& record,
                                     const EventOrigin& origin);
jalin::events::v1::Event RecordEvent(absl::string_view verb,
                                     const v1::Partner& record,
                                     const EventOrigin& origin);
jalin::events::v1::Event RecordEvent(absl::string_view verb,
                                     const v1::Listing& record,
                                     const EventOrigin& origin);
jalin::events::v1::Event RecordEvent(absl::string_view verb,
                                     const v1::Agreement& record,
                                     const EventOrigin& origin);

// The same event as RecordEvent(verb, *record, origin), built without
// copying the record: the record is lent to the payload while the event is
// built and is exactly as before when this returns. For hot paths (bulk
// import) that hold a record they may modify. (Listings are not prepared
// ahead of their transaction, so they need no overload.)
jalin::events::v1::Event LentRecordEvent(absl::string_view verb,
                                         v1::Cluster* record,
                                         const EventOrigin& origin);
jalin::events::v1::Event LentRecordEvent(absl::string_view verb,
                                         v1::Enterprise* record,
                                         const EventOrigin& origin);
jalin::events::v1::Event LentRecordEvent(absl::string_view verb,
                                         v1::Partner* record,
                                         const EventOrigin& origin);

// Appends RecordEvent(verb, record, scope's origin) to the outbox.
template <typename T>
absl::Status EmitRecordEvent(WriteScope& scope, absl::string_view verb,
                             const T& record) {
  return scope.Append(RecordEvent(verb, record, scope.origin()));
}

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_RECORD_EVENTS_H_
