// Who may write which registry record, and who sees contacts. The method
// table (policy.h) decides which roles may call a method at all; these
// checks add the scope: facilitators and integrators write only in their
// regions, members only their own organisation's records.

#ifndef SERVICES_REGISTRY_ACCESS_H_
#define SERVICES_REGISTRY_ACCESS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "services/registry/record_kinds.h"

namespace jalin::registry {

enum class Action { kCreate, kUpdate, kDelete };

// OK when `p` may apply `action` to a record in `region` ("regions/33.13")
// that belongs to `organization` (the record itself, or a listing's
// owner), of the collection `collection`. PERMISSION_DENIED otherwise,
// saying what the caller lacks.
//   admin: everything; facilitator, integrator: records in their regions;
//   member: its own organisation's record (update only) and listings.
absl::Status CheckWrite(const auth::Principal& p, Action action,
                        absl::string_view collection, absl::string_view region,
                        absl::string_view organization);

// The same for a record, from its region and organisation. Agreements:
// admins, and facilitators covering at least one region party.
template <typename T>
absl::Status CheckWriteRecord(const auth::Principal& p, Action action,
                              const T& record) {
  return CheckWrite(p, action, Kind<T>::kCollection, RegionOf(record),
                    OrganizationOf(record));
}
absl::Status CheckWriteRecord(const auth::Principal& p, Action action,
                              const v1::Agreement& record);

// OK when `p` may move a record of `collection` from region `from` to
// region `to` (different regions). The caller has write access to `from`
// already (it may update the record); this adds that a member never moves
// its record (a listing follows its owner and is not checked here), and
// that the others need write access to `to` as well.
absl::Status CheckRegionChange(const auth::Principal& p,
                               absl::string_view collection,
                               absl::string_view from, absl::string_view to);

// OK when `p`, writing a record in `record_region`, may start referring to
// a cluster in `cluster_region` (an enterprise joining it, a cluster
// placed under it): admins always, facilitators and integrators when they
// cover `cluster_region`, members when the cluster lies in their record's
// region. PERMISSION_DENIED otherwise, naming the cluster.
absl::Status CheckClusterReference(const auth::Principal& p,
                                   absl::string_view cluster,
                                   absl::string_view cluster_region,
                                   absl::string_view record_region);

// Contacts are personal data: admins, services, facilitators and
// integrators covering the record's region, and the member that is the
// record see them.
bool MaySeeContacts(const auth::Principal& p, absl::string_view region,
                    absl::string_view record_name);

// Removes the contacts of `record` unless `p` may see them.
template <typename T>
void RedactFor(const auth::Principal& p, T* record) {
  if (!MaySeeContacts(p, RegionOf(*record), record->name())) {
    StripContacts(record);
  }
}

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_ACCESS_H_
