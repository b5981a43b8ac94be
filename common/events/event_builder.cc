#include "common/events/event_builder.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/ids.h"

namespace jalin::events {

std::string StreamName(absl::string_view service) {
  return absl::StrCat("jalin.", service, ".events");
}

jalin::events::v1::Event MakeEvent(const EventSpec& spec,
                                   const google::protobuf::Message& payload,
                                   absl::Time now) {
  jalin::events::v1::Event e;
  e.set_id(NewUlid(now));
  e.set_source(absl::StrCat("//jalin/", spec.service));
  e.set_type(std::string(spec.type));
  e.set_subject(std::string(spec.subject));
  e.mutable_time()->set_seconds(absl::ToUnixSeconds(now));
  e.mutable_time()->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(
      now - absl::FromUnixSeconds(absl::ToUnixSeconds(now)))));
  e.set_spec_version("1.0");
  e.mutable_data()->PackFrom(payload);
  for (const auto& r : spec.regions) e.add_regions(r);
  for (const auto& p : spec.parties) e.add_parties(p);
  e.set_request_id(std::string(spec.request_id));
  e.set_actor(std::string(spec.actor));
  return e;
}

}  // namespace jalin::events
