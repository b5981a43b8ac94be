#include "services/registry/owner_profile.h"

#include <algorithm>
#include <set>
#include <vector>

#include "common/status/status_macros.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/registry/record_events.h"
#include "services/registry/record_store.h"
#include "services/registry/time_util.h"

namespace jalin::registry {

v1::OwnerProfile ProfileOf(const v1::Enterprise& e, absl::Time now) {
  const int64_t today = DayNumber(now);
  auto valid = [today](const google::type::Date& expiry) {
    if (!IsSet(expiry)) return true;
    std::optional<int64_t> day = DayNumber(expiry);
    return day.has_value() && *day >= today;
  };
  v1::OwnerProfile p;
  p.set_display_name(e.display_name());
  *p.mutable_clusters() = e.clusters();
  std::set<int> kinds;
  for (const auto& c : e.certifications()) {
    if (valid(c.expire_date())) kinds.insert(c.kind());
  }
  for (int k : kinds) {
    p.add_certifications(static_cast<jalin::type::v1::CertificationKind>(k));
  }
  p.set_verified(e.verification_state() == v1::VERIFIED);
  std::string best;
  for (const auto& mark : e.curation_marks()) {
    if (!valid(mark.expire_date())) continue;
    p.set_curated(true);
    // "A" is better than "B": the smallest grade wins.
    if (!mark.grade().empty() && (best.empty() || mark.grade() < best)) {
      best = mark.grade();
    }
  }
  p.set_curation_grade(best);
  return p;
}

v1::OwnerProfile ProfileOf(const v1::Cluster& c) {
  v1::OwnerProfile p;
  p.set_display_name(c.display_name());
  p.add_clusters(c.name());
  p.set_verified(c.verification_state() == v1::VERIFIED);
  return p;
}

v1::OwnerProfile ProfileOf(const v1::Partner& partner) {
  v1::OwnerProfile p;
  p.set_display_name(partner.display_name());
  p.set_verified(partner.verification_state() == v1::VERIFIED);
  return p;
}

namespace {

template <typename T>
absl::StatusOr<std::optional<OwnerInfo>> Owner(storage::Transaction& tx,
                                               absl::string_view id,
                                               absl::Time now) {
  ASSIGN_OR_RETURN(std::optional<T> record, LoadRecord<T>(tx, id));
  if (!record) return std::optional<OwnerInfo>();
  OwnerInfo info;
  info.region = RegionOf(*record);
  if constexpr (std::is_same_v<T, v1::Enterprise>) {
    info.profile = ProfileOf(*record, now);
  } else {
    info.profile = ProfileOf(*record);
  }
  return std::optional<OwnerInfo>(std::move(info));
}

// The listings owned by `owner`.
absl::StatusOr<std::vector<v1::Listing>> ListingsOf(storage::Transaction& tx,
                                                    absl::string_view owner) {
  std::vector<v1::Listing> out;
  RETURN_IF_ERROR(tx.Query(
      "SELECT data FROM listings WHERE owner = ? ORDER BY id",
      {storage::Param(owner)}, [&](const storage::Row& row) -> absl::Status {
        v1::Listing& l = out.emplace_back();
        if (!l.ParseFromArray(row.Blob(0).data(),
                              static_cast<int>(row.Blob(0).size()))) {
          return absl::DataLossError("unreadable listing");
        }
        return absl::OkStatus();
      }));
  return out;
}

}  // namespace

absl::StatusOr<std::optional<OwnerInfo>> LoadOwner(storage::Transaction& tx,
                                                   absl::string_view owner,
                                                   absl::Time now) {
  if (std::string id = IdOf(owner, "enterprises"); !id.empty()) {
    return Owner<v1::Enterprise>(tx, id, now);
  }
  if (std::string id = IdOf(owner, "clusters"); !id.empty()) {
    return Owner<v1::Cluster>(tx, id, now);
  }
  if (std::string id = IdOf(owner, "partners"); !id.empty()) {
    return Owner<v1::Partner>(tx, id, now);
  }
  return std::optional<OwnerInfo>();
}

void ApplyOwner(const OwnerInfo& owner, v1::Listing* listing) {
  listing->set_region(owner.region);
  *listing->mutable_owner_profile() = owner.profile;
}

absl::Status RefreshListingsOf(WriteScope& scope, absl::string_view owner,
                               const OwnerInfo& info) {
  ASSIGN_OR_RETURN(std::vector<v1::Listing> listings,
                   ListingsOf(scope.tx(), owner));
  for (v1::Listing& l : listings) {
    if (l.region() == info.region &&
        google::protobuf::util::MessageDifferencer::Equals(l.owner_profile(),
                                                           info.profile)) {
      continue;
    }
    ApplyOwner(info, &l);
    ASSIGN_OR_RETURN(const int64_t revision, scope.NextRevision());
    scope.Stamp(l.mutable_meta(), revision, /*created=*/false);
    RETURN_IF_ERROR(SaveRecord(scope.tx(), scope.taxonomy(), l, false));
    RETURN_IF_ERROR(EmitRecordEvent(scope, "updated", l));
    scope.Invalidate(l.name(), revision);
  }
  return absl::OkStatus();
}

absl::Status DeleteListingsOf(WriteScope& scope, absl::string_view owner) {
  ASSIGN_OR_RETURN(std::vector<v1::Listing> listings,
                   ListingsOf(scope.tx(), owner));
  for (const v1::Listing& l : listings) {
    RETURN_IF_ERROR(
        DeleteRecord<v1::Listing>(scope.tx(), IdOf(l.name(), "listings")));
    RETURN_IF_ERROR(EmitRecordEvent(scope, "deleted", l));
    ASSIGN_OR_RETURN(const int64_t revision, scope.NextRevision());
    scope.Invalidate(l.name(), revision);
  }
  return absl::OkStatus();
}

}  // namespace jalin::registry
