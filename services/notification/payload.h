// The typed payload of an event envelope, decoded once and shared by
// routing (event_facts.h) and rendering (renderer.h).

#ifndef SERVICES_NOTIFICATION_PAYLOAD_H_
#define SERVICES_NOTIFICATION_PAYLOAD_H_

#include <variant>

#include "jalin/events/v1/curation_events.pb.h"
#include "jalin/events/v1/event.pb.h"
#include "jalin/events/v1/matching_events.pb.h"
#include "jalin/events/v1/registry_events.pb.h"

namespace jalin::notification {

// std::monostate: no payload, a payload of a type this build does not know,
// or one that does not decode. Routing and rendering then rely on the
// envelope alone.
using Payload =
    std::variant<std::monostate, events::v1::ListingEvent,
                 events::v1::ClusterEvent, events::v1::EnterpriseEvent,
                 events::v1::PartnerEvent, events::v1::AgreementEvent,
                 events::v1::CategoryEvent, events::v1::SupplyLinkEvent,
                 events::v1::ProposalEvent, events::v1::SubmissionEvent,
                 events::v1::CampaignEvent, events::v1::VerificationEvent>;

Payload DecodePayload(const events::v1::Event& event);

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_PAYLOAD_H_
