#include "services/notification/payload.h"

namespace jalin::notification {
namespace {

// Unpacks `event.data` as T when its type URL names T.
template <typename T>
bool TryUnpack(const events::v1::Event& event, Payload* out) {
  if (!event.data().Is<T>()) return false;
  T message;
  if (!event.data().UnpackTo(&message)) return false;
  *out = std::move(message);
  return true;
}

}  // namespace

Payload DecodePayload(const events::v1::Event& event) {
  Payload p;
  if (!event.has_data()) return p;
  TryUnpack<events::v1::ListingEvent>(event, &p) ||
      TryUnpack<events::v1::ClusterEvent>(event, &p) ||
      TryUnpack<events::v1::EnterpriseEvent>(event, &p) ||
      TryUnpack<events::v1::PartnerEvent>(event, &p) ||
      TryUnpack<events::v1::AgreementEvent>(event, &p) ||
      TryUnpack<events::v1::CategoryEvent>(event, &p) ||
      TryUnpack<events::v1::SupplyLinkEvent>(event, &p) ||
      TryUnpack<events::v1::ProposalEvent>(event, &p) ||
      TryUnpack<events::v1::SubmissionEvent>(event, &p) ||
      TryUnpack<events::v1::CampaignEvent>(event, &p) ||
      TryUnpack<events::v1::VerificationEvent>(event, &p);
  return p;
}

}  // namespace jalin::notification
