#include "services/registry/record_events.h"

#include <memory>
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

// A message of type M on `arena` (the heap when null), owned by the arena
// or by `owned`. Swapping between messages of one arena moves pointers;
// across arenas it would copy.
template <typename M>
M* OnArena(google::protobuf::Arena* arena, std::unique_ptr<M>& owned) {
  if (arena != nullptr) return google::protobuf::Arena::CreateMessage<M>(arena);
  owned = std::make_unique<M>();
  return owned.get();
}

// What events must not carry, moved out of a record and back, so that a
// lent record needs no copy. Put(r) must follow Take(r) on the same record.
class ContactsAside {
 public:
  void Take(v1::Cluster* r) { leader_ = r->unsafe_arena_release_leader(); }
  void Put(v1::Cluster* r) { r->unsafe_arena_set_allocated_leader(leader_); }
  template <typename T>
  void Take(T* r) {
    holder_ = OnArena(r->GetArena(), owned_);
    holder_->mutable_contacts()->Swap(r->mutable_contacts());
  }
  template <typename T>
  void Put(T* r) {
    holder_->mutable_contacts()->Swap(r->mutable_contacts());
  }

 private:
  jalin::type::v1::Contact* leader_ = nullptr;
  // Holds the contacts of an enterprise or partner meanwhile.
  v1::Partner* holder_ = nullptr;
  std::unique_ptr<v1::Partner> owned_;
};

// The event of `record` lent to a payload's record field (`field` returns
// it): swapped in, contacts set aside, and both undone after.
template <typename Payload, typename T, typename Field>
ev1::Event Lent(absl::string_view verb, T* record, Field field,
                const EventOrigin& origin) {
  std::unique_ptr<Payload> owned;
  Payload* payload = OnArena(record->GetArena(), owned);
  T* in_payload = (payload->*field)();
  in_payload->Swap(record);
  ContactsAside aside;
  aside.Take(in_payload);
  ev1::Event event = RegistryEvent(
      absl::StrCat(Kind<T>::kResource, ".", verb), in_payload->name(), *payload,
      RegionList(RegionOf(*in_payload)), {in_payload->name()}, origin);
  aside.Put(in_payload);
  record->Swap(in_payload);
  return event;
}

}  // namespace

ev1::Event LentRecordEvent(absl::string_view verb, v1::Cluster* record,
                           const EventOrigin& origin) {
  return Lent<ev1::ClusterEvent>(verb, record,
                                 &ev1::ClusterEvent::mutable_cluster, origin);
}

ev1::Event LentRecordEvent(absl::string_view verb, v1::Enterprise* record,
                           const EventOrigin& origin) {
  return Lent<ev1::EnterpriseEvent>(
      verb, record, &ev1::EnterpriseEvent::mutable_enterprise, origin);
}

ev1::Event LentRecordEvent(absl::string_view verb, v1::Partner* record,
                           const EventOrigin& origin) {
  return Lent<ev1::PartnerEvent>(verb, record,
                                 &ev1::PartnerEvent::mutable_partner, origin);
}

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
