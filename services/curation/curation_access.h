// Who may do what to which campaign or submission, beyond the per-method
// role table (curation_policy.h). Checked before anything about the
// resource is revealed.
//
// Pure functions; thread-safe.

#ifndef SERVICES_CURATION_CURATION_ACCESS_H_
#define SERVICES_CURATION_CURATION_ACCESS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "jalin/curation/v1/campaign.pb.h"

namespace jalin::curation {

// Organisers run a campaign: admins, other jalin services, and facilitators
// whose region scope covers the campaign's organising region.
bool IsOrganiser(const auth::Principal& p,
                 const jalin::curation::v1::Campaign& campaign);

// PERMISSION_DENIED unless `p` organises `campaign`.
absl::Status RequireOrganiser(const auth::Principal& p,
                              const jalin::curation::v1::Campaign& campaign);

// True when `p` acts for the applicant `enterprise` in `region`: the member
// whose organisation it is, or an integrator (kabupaten system) whose scope
// covers the region.
bool ActsForApplicant(const auth::Principal& p, absl::string_view enterprise,
                      absl::string_view region);

// Reads progress: organisers, curators, and viewers or integrators whose
// scope covers the campaign's region.
bool MayReadProgress(const auth::Principal& p,
                     const jalin::curation::v1::Campaign& campaign);

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_CURATION_ACCESS_H_
