#include "services/curation/curation_events.h"

#include "common/events/event_builder.h"
#include "jalin/events/v1/curation_events.pb.h"

namespace jalin::curation {

absl::Status EventWriter::Campaign(storage::Transaction& tx,
                                   absl::string_view type,
                                   const jalin::curation::v1::Campaign& c,
                                   const EventOrigin& origin,
                                   absl::Time now) const {
  jalin::events::v1::CampaignEvent payload;
  *payload.mutable_campaign() = c;
  return outbox_->Append(tx, events::MakeEvent({.service = kService,
                                                .type = type,
                                                .subject = c.name(),
                                                .regions = {c.region()},
                                                .request_id = origin.request_id,
                                                .actor = origin.actor},
                                               payload, now));
}

absl::Status EventWriter::Submission(storage::Transaction& tx,
                                     absl::string_view type,
                                     const jalin::curation::v1::Submission& s,
                                     const jalin::curation::v1::Campaign& c,
                                     const EventOrigin& origin,
                                     absl::Time now) const {
  jalin::events::v1::SubmissionEvent payload;
  *payload.mutable_submission() = s;
  payload.set_campaign_display_name(c.display_name());
  payload.set_validity_days(c.validity_days());
  std::vector<std::string> regions = {s.region()};
  if (c.region() != s.region()) regions.push_back(c.region());
  return outbox_->Append(tx, events::MakeEvent({.service = kService,
                                                .type = type,
                                                .subject = s.name(),
                                                .regions = std::move(regions),
                                                .parties = {s.enterprise()},
                                                .request_id = origin.request_id,
                                                .actor = origin.actor},
                                               payload, now));
}

absl::Status EventWriter::Verification(
    storage::Transaction& tx, absl::string_view type,
    const jalin::curation::v1::VerificationTask& task,
    const EventOrigin& origin, absl::Time now) const {
  jalin::events::v1::VerificationEvent payload;
  *payload.mutable_task() = task;
  std::vector<std::string> parties = {task.record()};
  if (!task.merge_into().empty()) parties.push_back(task.merge_into());
  std::vector<std::string> regions;
  if (!task.region().empty()) regions.push_back(task.region());
  return outbox_->Append(tx, events::MakeEvent({.service = kService,
                                                .type = type,
                                                .subject = task.name(),
                                                .regions = std::move(regions),
                                                .parties = std::move(parties),
                                                .request_id = origin.request_id,
                                                .actor = origin.actor},
                                               payload, now));
}

}  // namespace jalin::curation
