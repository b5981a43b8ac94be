// The gRPC edge of the curation service: authenticates each call against
// the method table (curation_policy.h), hands it to the manager that owns
// the resource, and maps the absl::Status to a grpc::Status in one place
// (rpc::Unary). Callback API: no thread waits per call; CreateSubmission
// finishes when the registry has answered.
//
// Thread-safe. `authenticator` and `deps` must outlive the service.

#ifndef SERVICES_CURATION_CURATION_SERVICE_H_
#define SERVICES_CURATION_CURATION_SERVICE_H_

#include "common/auth/authenticator.h"
#include "common/auth/policy.h"
#include "jalin/curation/v1/curation_service.grpc.pb.h"
#include "services/curation/campaign_manager.h"
#include "services/curation/curation_deps.h"
#include "services/curation/panel_manager.h"
#include "services/curation/submission_manager.h"
#include "services/curation/verification_queue.h"

namespace jalin::curation {

class CurationService final
    : public jalin::curation::v1::CurationService::CallbackService {
 public:
  CurationService(const auth::Authenticator* authenticator,
                  const CurationDeps* deps);

  // The queue also applies the registry's events (see CurationModule).
  VerificationQueue& verification() { return verification_; }
  const auth::MethodPolicy& policy() const { return policy_; }

  grpc::ServerUnaryReactor* CreateCampaign(grpc::CallbackServerContext* ctx,
                                           const v1::CreateCampaignRequest* req,
                                           v1::Campaign* resp) override;
  grpc::ServerUnaryReactor* GetCampaign(grpc::CallbackServerContext* ctx,
                                        const v1::GetCampaignRequest* req,
                                        v1::Campaign* resp) override;
  grpc::ServerUnaryReactor* ListCampaigns(
      grpc::CallbackServerContext* ctx, const v1::ListCampaignsRequest* req,
      v1::ListCampaignsResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateCampaign(grpc::CallbackServerContext* ctx,
                                           const v1::UpdateCampaignRequest* req,
                                           v1::Campaign* resp) override;
  grpc::ServerUnaryReactor* OpenCampaign(grpc::CallbackServerContext* ctx,
                                         const v1::CampaignActionRequest* req,
                                         v1::Campaign* resp) override;
  grpc::ServerUnaryReactor* CloseCampaign(grpc::CallbackServerContext* ctx,
                                          const v1::CampaignActionRequest* req,
                                          v1::Campaign* resp) override;
  grpc::ServerUnaryReactor* DecideCampaign(grpc::CallbackServerContext* ctx,
                                           const v1::CampaignActionRequest* req,
                                           v1::Campaign* resp) override;
  grpc::ServerUnaryReactor* PublishCampaign(
      grpc::CallbackServerContext* ctx, const v1::CampaignActionRequest* req,
      v1::Campaign* resp) override;
  grpc::ServerUnaryReactor* GetCampaignProgress(
      grpc::CallbackServerContext* ctx,
      const v1::GetCampaignProgressRequest* req,
      v1::CampaignProgress* resp) override;
  grpc::ServerUnaryReactor* CreateSubmission(
      grpc::CallbackServerContext* ctx, const v1::CreateSubmissionRequest* req,
      v1::Submission* resp) override;
  grpc::ServerUnaryReactor* GetSubmission(grpc::CallbackServerContext* ctx,
                                          const v1::GetSubmissionRequest* req,
                                          v1::Submission* resp) override;
  grpc::ServerUnaryReactor* ListSubmissions(
      grpc::CallbackServerContext* ctx, const v1::ListSubmissionsRequest* req,
      v1::ListSubmissionsResponse* resp) override;
  grpc::ServerUnaryReactor* WithdrawSubmission(
      grpc::CallbackServerContext* ctx,
      const v1::WithdrawSubmissionRequest* req, v1::Submission* resp) override;
  grpc::ServerUnaryReactor* AppealDecision(grpc::CallbackServerContext* ctx,
                                           const v1::AppealDecisionRequest* req,
                                           v1::Submission* resp) override;
  grpc::ServerUnaryReactor* AddReviewer(grpc::CallbackServerContext* ctx,
                                        const v1::AddReviewerRequest* req,
                                        v1::Reviewer* resp) override;
  grpc::ServerUnaryReactor* ListReviewers(
      grpc::CallbackServerContext* ctx, const v1::ListReviewersRequest* req,
      v1::ListReviewersResponse* resp) override;
  grpc::ServerUnaryReactor* RemoveReviewer(
      grpc::CallbackServerContext* ctx, const v1::RemoveReviewerRequest* req,
      google::protobuf::Empty* resp) override;
  grpc::ServerUnaryReactor* ListAssignments(
      grpc::CallbackServerContext* ctx, const v1::ListAssignmentsRequest* req,
      v1::ListAssignmentsResponse* resp) override;
  grpc::ServerUnaryReactor* SubmitReview(grpc::CallbackServerContext* ctx,
                                         const v1::SubmitReviewRequest* req,
                                         v1::Review* resp) override;
  grpc::ServerUnaryReactor* ListReviews(grpc::CallbackServerContext* ctx,
                                        const v1::ListReviewsRequest* req,
                                        v1::ListReviewsResponse* resp) override;
  grpc::ServerUnaryReactor* ListVerificationTasks(
      grpc::CallbackServerContext* ctx,
      const v1::ListVerificationTasksRequest* req,
      v1::ListVerificationTasksResponse* resp) override;
  grpc::ServerUnaryReactor* ResolveVerificationTask(
      grpc::CallbackServerContext* ctx,
      const v1::ResolveVerificationTaskRequest* req,
      v1::VerificationTask* resp) override;

 private:
  template <typename Body>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* ctx,
                                absl::string_view method, Body&& body);

  const auth::MethodPolicy policy_;
  CampaignManager campaigns_;
  SubmissionManager submissions_;
  PanelManager panel_;
  VerificationQueue verification_;
};

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_CURATION_SERVICE_H_
