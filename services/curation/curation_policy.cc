#include "services/curation/curation_policy.h"

namespace jalin::curation {

using auth::Role;

auth::MethodPolicy MakeCurationPolicy(const auth::Authenticator* authn) {
  auth::MethodPolicy policy(authn);
  // Campaigns: organisers manage; everyone signed in may read them (they
  // are calls for applications).
  for (const char* m :
       {"CreateCampaign", "UpdateCampaign", "OpenCampaign", "CloseCampaign",
        "DecideCampaign", "PublishCampaign", "AddReviewer", "RemoveReviewer"}) {
    policy.Allow(m, {Role::kAdmin, Role::kFacilitator});
  }
  policy.AllowAuthenticated("GetCampaign");
  policy.AllowAuthenticated("ListCampaigns");
  policy.Allow("GetCampaignProgress",
               {Role::kAdmin, Role::kService, Role::kFacilitator,
                Role::kCurator, Role::kViewer, Role::kIntegrator});
  // Submissions: applicants (members for their organisation, integrators
  // for their regions) and organisers.
  policy.Allow("CreateSubmission", {Role::kAdmin, Role::kFacilitator,
                                    Role::kIntegrator, Role::kMember});
  policy.Allow("GetSubmission",
               {Role::kAdmin, Role::kService, Role::kFacilitator,
                Role::kIntegrator, Role::kMember, Role::kCurator});
  policy.Allow("ListSubmissions",
               {Role::kAdmin, Role::kService, Role::kFacilitator,
                Role::kIntegrator, Role::kMember});
  policy.Allow("WithdrawSubmission", {Role::kAdmin, Role::kFacilitator,
                                      Role::kIntegrator, Role::kMember});
  policy.Allow("AppealDecision",
               {Role::kAdmin, Role::kIntegrator, Role::kMember});
  // The panel: organisers and curators.
  for (const char* m : {"ListReviewers", "ListAssignments", "ListReviews"}) {
    policy.Allow(
        m, {Role::kAdmin, Role::kService, Role::kFacilitator, Role::kCurator});
  }
  // Only the assigned reviewer scores.
  policy.Allow("SubmitReview", {Role::kCurator});
  // The verification queue.
  policy.Allow("ListVerificationTasks", {Role::kAdmin, Role::kService,
                                         Role::kFacilitator, Role::kCurator});
  policy.Allow("ResolveVerificationTask",
               {Role::kAdmin, Role::kFacilitator, Role::kCurator});
  return policy;
}

}  // namespace jalin::curation
