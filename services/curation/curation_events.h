// The events the curation service publishes on "jalin.curation.events"
// (see protos/jalin/events/v1/curation_events.proto and the README), and
// the one way they are written: into the outbox, in the caller's
// transaction.

#ifndef SERVICES_CURATION_CURATION_EVENTS_H_
#define SERVICES_CURATION_CURATION_EVENTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/events/outbox.h"
#include "common/storage/database.h"
#include "jalin/curation/v1/campaign.pb.h"
#include "jalin/curation/v1/submission.pb.h"
#include "jalin/curation/v1/verification.pb.h"

namespace jalin::curation {

inline constexpr absl::string_view kService = "curation";

inline constexpr absl::string_view kCampaignCreated =
    "jalin.curation.campaign.created";
inline constexpr absl::string_view kCampaignUpdated =
    "jalin.curation.campaign.updated";
inline constexpr absl::string_view kCampaignOpened =
    "jalin.curation.campaign.opened";
inline constexpr absl::string_view kCampaignClosed =
    "jalin.curation.campaign.closed";
inline constexpr absl::string_view kCampaignDecided =
    "jalin.curation.campaign.decided";
inline constexpr absl::string_view kCampaignPublished =
    "jalin.curation.campaign.published";
inline constexpr absl::string_view kSubmissionReceived =
    "jalin.curation.submission.received";
inline constexpr absl::string_view kSubmissionWithdrawn =
    "jalin.curation.submission.withdrawn";
inline constexpr absl::string_view kSubmissionDecided =
    "jalin.curation.submission.decided";
inline constexpr absl::string_view kSubmissionAppealed =
    "jalin.curation.submission.appealed";
inline constexpr absl::string_view kVerificationOpened =
    "jalin.curation.verification.opened";
inline constexpr absl::string_view kVerificationResolved =
    "jalin.curation.verification.resolved";
inline constexpr absl::string_view kVerificationCleared =
    "jalin.curation.verification.cleared";

// Who caused an event: a principal's subject, or "system".
struct EventOrigin {
  std::string actor = "system";
  std::string request_id;
};

// Writes events into the outbox in `tx`. Thread-safe; `outbox` must outlive
// the writer.
class EventWriter {
 public:
  explicit EventWriter(const events::Outbox* outbox) : outbox_(outbox) {}

  // A campaign event, routed to the campaign's region.
  absl::Status Campaign(storage::Transaction& tx, absl::string_view type,
                        const jalin::curation::v1::Campaign& campaign,
                        const EventOrigin& origin, absl::Time now) const;

  // A submission event for its applicant (parties: the enterprise; regions:
  // the applicant's and the campaign's).
  absl::Status Submission(storage::Transaction& tx, absl::string_view type,
                          const jalin::curation::v1::Submission& submission,
                          const jalin::curation::v1::Campaign& campaign,
                          const EventOrigin& origin, absl::Time now) const;

  // A verification event (parties: the record and, for a merge, the
  // surviving record; regions: the record's).
  absl::Status Verification(storage::Transaction& tx, absl::string_view type,
                            const jalin::curation::v1::VerificationTask& task,
                            const EventOrigin& origin, absl::Time now) const;

 private:
  const events::Outbox* outbox_;
};

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_CURATION_EVENTS_H_
