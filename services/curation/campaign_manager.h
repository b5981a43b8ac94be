// Campaign RPCs: create, read, update while DRAFT, and the lifecycle
// DRAFT -> OPEN -> CLOSED -> DECIDED -> PUBLISHED. Closing assigns the
// reviewers; deciding ranks the submissions; publishing tells every
// applicant (one submission.decided event each). Each change and its event
// are written in one transaction.
//
// Thread-safe; `deps` must outlive the manager.

#ifndef SERVICES_CURATION_CAMPAIGN_MANAGER_H_
#define SERVICES_CURATION_CAMPAIGN_MANAGER_H_

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "common/auth/principal.h"
#include "jalin/curation/v1/curation_service.pb.h"
#include "services/curation/curation_deps.h"

namespace jalin::curation {

class CampaignManager {
 public:
  explicit CampaignManager(const CurationDeps* deps) : deps_(deps) {}

  absl::Status Create(const auth::Principal& p,
                      const jalin::curation::v1::CreateCampaignRequest& req,
                      jalin::curation::v1::Campaign* out);
  absl::Status Get(const auth::Principal& p,
                   const jalin::curation::v1::GetCampaignRequest& req,
                   jalin::curation::v1::Campaign* out);
  absl::Status List(const auth::Principal& p,
                    const jalin::curation::v1::ListCampaignsRequest& req,
                    jalin::curation::v1::ListCampaignsResponse* out);
  absl::Status Update(const auth::Principal& p,
                      const jalin::curation::v1::UpdateCampaignRequest& req,
                      jalin::curation::v1::Campaign* out);
  // DRAFT -> OPEN; FAILED_PRECONDITION when the window has already ended.
  absl::Status Open(const auth::Principal& p,
                    const jalin::curation::v1::CampaignActionRequest& req,
                    jalin::curation::v1::Campaign* out);
  // OPEN -> CLOSED, assigning reviewers to every submission.
  absl::Status Close(const auth::Principal& p,
                     const jalin::curation::v1::CampaignActionRequest& req,
                     jalin::curation::v1::Campaign* out);
  // CLOSED -> DECIDED once every review is in; on a PUBLISHED campaign,
  // decides the appeals whose new reviews are in.
  absl::Status Decide(const auth::Principal& p,
                      const jalin::curation::v1::CampaignActionRequest& req,
                      jalin::curation::v1::Campaign* out);
  // DECIDED -> PUBLISHED: one submission.decided event per applicant.
  absl::Status Publish(const auth::Principal& p,
                       const jalin::curation::v1::CampaignActionRequest& req,
                       jalin::curation::v1::Campaign* out);
  absl::Status Progress(
      const auth::Principal& p,
      const jalin::curation::v1::GetCampaignProgressRequest& req,
      jalin::curation::v1::CampaignProgress* out);

 private:
  // Loads the campaign, checks the caller organises it, runs `change`, then
  // stores the campaign and appends `event_type` (if not empty), all in one
  // idempotent transaction.
  absl::Status Transition(const auth::Principal& p, absl::string_view method,
                          const jalin::curation::v1::CampaignActionRequest& req,
                          absl::string_view event_type,
                          absl::FunctionRef<absl::Status(
                              storage::Transaction&,
                              jalin::curation::v1::Campaign&, absl::Time now)>
                              change,
                          jalin::curation::v1::Campaign* out);

  const CurationDeps* const deps_;
};

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_CAMPAIGN_MANAGER_H_
