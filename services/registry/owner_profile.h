// Listings carry their owner's standing (OwnerProfile) and region, so that
// matching can filter and score without another lookup. This file derives
// them, and re-derives the listings of an owner whose standing changed.

#ifndef SERVICES_REGISTRY_OWNER_PROFILE_H_
#define SERVICES_REGISTRY_OWNER_PROFILE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/storage/database.h"
#include "services/registry/record_kinds.h"
#include "services/registry/write_scope.h"

namespace jalin::registry {

// Certifications count when they have not expired on `now`'s day; curation
// marks likewise.
v1::OwnerProfile ProfileOf(const v1::Enterprise& e, absl::Time now);
v1::OwnerProfile ProfileOf(const v1::Cluster& c);
v1::OwnerProfile ProfileOf(const v1::Partner& p);

struct OwnerInfo {
  // "regions/33.13".
  std::string region;
  v1::OwnerProfile profile;
};

// The owner named by `owner` ("clusters/…", "enterprises/…",
// "partners/…"), or nullopt if there is no such record.
absl::StatusOr<std::optional<OwnerInfo>> LoadOwner(storage::Transaction& tx,
                                                   absl::string_view owner,
                                                   absl::Time now);

// Sets a listing's region and owner_profile from its owner.
void ApplyOwner(const OwnerInfo& owner, v1::Listing* listing);

// After a change of `owner`: every listing it owns whose region or profile
// differs from `info` is saved, announced with listing.updated and dropped
// from the cache.
absl::Status RefreshListingsOf(WriteScope& scope, absl::string_view owner,
                               const OwnerInfo& info);

// Before `owner` is deleted: its listings are deleted too, each announced
// with listing.deleted.
absl::Status DeleteListingsOf(WriteScope& scope, absl::string_view owner);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_OWNER_PROFILE_H_
