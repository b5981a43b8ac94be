// Builds event envelopes (jalin.events.v1.Event) for the outbox.

#ifndef COMMON_EVENTS_EVENT_BUILDER_H_
#define COMMON_EVENTS_EVENT_BUILDER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "jalin/events/v1/event.pb.h"

namespace jalin::events {

// The stream a service publishes to: "jalin.<service>.events".
std::string StreamName(absl::string_view service);

struct EventSpec {
  // The producing service: "registry".
  absl::string_view service = {};
  // "jalin.registry.listing.created".
  absl::string_view type = {};
  // "listings/01J...".
  absl::string_view subject = {};
  // Regions and parties for routing.
  std::vector<std::string> regions = {};
  std::vector<std::string> parties = {};
  absl::string_view request_id = {};
  absl::string_view actor = {};
};

// A new event with a fresh id, the given time and `payload` packed into
// data. The sequence is assigned by the outbox.
jalin::events::v1::Event MakeEvent(const EventSpec& spec,
                                   const google::protobuf::Message& payload,
                                   absl::Time now);

}  // namespace jalin::events

#endif  // COMMON_EVENTS_EVENT_BUILDER_H_
