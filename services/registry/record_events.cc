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

// The event of `payload`, whose record field `record` points into, after
// removing the record's contacts.
template <typename T, typename Payload>
ev1::Event Build(absl::string_view verb, Payload& payload, T* record,
                 std::vector<std::string> parties, const EventOrigin& origin) {
  StripContacts(record);
  return RegistryEvent(absl::StrCat(Kind<T>::kResource, ".", verb),
                       record->name(), payload, RegionList(RegionOf(*record)),
                       std::move(parties), origin);
}

}  // namespace

ev1::Event RecordEvent(absl::string_view verb, const v1::Cluster& record,
                       const EventOrigin& origin) {
  ev1::ClusterEvent e;
  *e.mutable_cluster() = record;
  return Build(verb, e, e.mutable_cluster(), {record.name()}, origin);
}

ev1::Event RecordEvent(absl::string_view verb, const v1::Enterprise& record,
                       const EventOrigin& origin) {
  ev1::EnterpriseEvent e;
  *e.mutable_enterprise() = record;
  return Build(verb, e, e.mutable_enterprise(), {record.name()}, origin);
}

ev1::Event RecordEvent(absl::string_view verb, const v1::Partner& record,
                       const EventOrigin& origin) {
  ev1::PartnerEvent e;
  *e.mutable_partner() = record;
  return Build(verb, e, e.mutable_partner(), {record.name()}, origin);
}

ev1::Event RecordEvent(absl::string_view verb, const v1::Listing& record,
                       const EventOrigin& origin) {
  ev1::ListingEvent e;
  *e.mutable_listing() = record;
  return Build(verb, e, e.mutable_listing(), {record.owner()}, origin);
}

ev1::Event RecordEvent(absl::string_view verb, const v1::Agreement& record,
                       const EventOrigin& origin) {
  ev1::AgreementEvent e;
  *e.mutable_agreement() = record;
  std::vector<std::string> regions, parties;
  for (const std::string& p : record.parties()) {
    (absl::StartsWith(p, "regions/") ? regions : parties).push_back(p);
  }
  return RegistryEvent(absl::StrCat("agreement.", verb), record.name(), e,
                       std::move(regions), std::move(parties), origin);
}

}  // namespace jalin::registry
