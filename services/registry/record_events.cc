#include "services/registry/record_events.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "jalin/events/v1/registry_events.pb.h"

namespace jalin::registry {
namespace {

namespace ev1 = jalin::events::v1;

std::vector<std::string> RegionList(const std::string& region) {
  if (region.empty()) return {};
  return {region};
}

// Emits `payload`, whose record field `record` points into, after removing
// the record's contacts.
template <typename T, typename Payload>
absl::Status Emit(WriteScope& scope, absl::string_view verb, Payload& payload,
                  T* record, std::vector<std::string> parties) {
  StripContacts(record);
  return scope.Emit(absl::StrCat(Kind<T>::kResource, ".", verb),
                    record->name(), payload, RegionList(RegionOf(*record)),
                    std::move(parties));
}

}  // namespace

absl::Status EmitRecordEvent(WriteScope& scope, absl::string_view verb,
                             const v1::Cluster& record) {
  ev1::ClusterEvent e;
  *e.mutable_cluster() = record;
  return Emit(scope, verb, e, e.mutable_cluster(), {record.name()});
}

absl::Status EmitRecordEvent(WriteScope& scope, absl::string_view verb,
                             const v1::Enterprise& record) {
  ev1::EnterpriseEvent e;
  *e.mutable_enterprise() = record;
  return Emit(scope, verb, e, e.mutable_enterprise(), {record.name()});
}

absl::Status EmitRecordEvent(WriteScope& scope, absl::string_view verb,
                             const v1::Partner& record) {
  ev1::PartnerEvent e;
  *e.mutable_partner() = record;
  return Emit(scope, verb, e, e.mutable_partner(), {record.name()});
}

absl::Status EmitRecordEvent(WriteScope& scope, absl::string_view verb,
                             const v1::Listing& record) {
  ev1::ListingEvent e;
  *e.mutable_listing() = record;
  return Emit(scope, verb, e, e.mutable_listing(), {record.owner()});
}

absl::Status EmitRecordEvent(WriteScope& scope, absl::string_view verb,
                             const v1::Agreement& record) {
  ev1::AgreementEvent e;
  *e.mutable_agreement() = record;
  std::vector<std::string> regions, parties;
  for (const std::string& p : record.parties()) {
    (absl::StartsWith(p, "regions/") ? regions : parties).push_back(p);
  }
  return scope.Emit(absl::StrCat("agreement.", verb), record.name(), e,
                    std::move(regions), std::move(parties));
}

}  // namespace jalin::registry
