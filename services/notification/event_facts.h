// What routing needs to know about an event: the organisations it names and
// the regions, clusters and categories it concerns, from the envelope and
// the typed payload together.

#ifndef SERVICES_NOTIFICATION_EVENT_FACTS_H_
#define SERVICES_NOTIFICATION_EVENT_FACTS_H_

#include <string>
#include <vector>

#include "jalin/events/v1/event.pb.h"
#include "services/notification/payload.h"

namespace jalin::notification {

// Each list is sorted and free of duplicates.
struct EventFacts {
  // Organisations told about the event: Event.parties, plus the owners a
  // payload names (both owners of a proposal, the applicant of a curation
  // submission, the cluster that owns a listing).
  std::vector<std::string> parties;
  // Region codes ("33.13", "33.13.05"), without the "regions/" prefix.
  std::vector<std::string> regions;
  // "clusters/{id}".
  std::vector<std::string> clusters;
  // "categories/{id}".
  std::vector<std::string> categories;
};

EventFacts ExtractFacts(const events::v1::Event& event, const Payload& payload);

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_EVENT_FACTS_H_
