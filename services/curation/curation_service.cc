#include "services/curation/curation_service.h"

#include "common/rpc/unary.h"
#include "common/server/service_host.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/curation/curation_policy.h"

namespace jalin::curation {

CurationService::CurationService(const auth::Authenticator* authenticator,
                                 const CurationDeps* deps)
    : policy_(MakeCurationPolicy(authenticator)),
      campaigns_(deps),
      submissions_(deps),
      panel_(deps),
      verification_(deps) {}

template <typename Body>
grpc::ServerUnaryReactor* CurationService::Run(grpc::CallbackServerContext* ctx,
                                               absl::string_view method,
                                               Body&& body) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auth::Principal p, policy_.Authorize(*ctx, method));
    return body(p);
  });
}

grpc::ServerUnaryReactor* CurationService::CreateSubmission(
    grpc::CallbackServerContext* ctx, const v1::CreateSubmissionRequest* req,
    v1::Submission* resp) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<auth::Principal> p =
      policy_.Authorize(*ctx, "CreateSubmission");
  if (!p.ok()) {
    reactor->Finish(ToGrpcStatus(p.status(), ErrorDomain()));
    return reactor;
  }
  // Finishes when the registry has answered and the submission is stored;
  // gRPC keeps `req` and `resp` alive until then.
  submissions_.Create(*p, req, resp, [reactor](absl::Status s) {
    reactor->Finish(ToGrpcStatus(s, ErrorDomain()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* CurationService::CreateCampaign(
    grpc::CallbackServerContext* ctx, const v1::CreateCampaignRequest* req,
    v1::Campaign* resp) {
  return Run(ctx, "CreateCampaign", [&](const auth::Principal& p) {
    return campaigns_.Create(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::GetCampaign(
    grpc::CallbackServerContext* ctx, const v1::GetCampaignRequest* req,
    v1::Campaign* resp) {
  return Run(ctx, "GetCampaign", [&](const auth::Principal& p) {
    return campaigns_.Get(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::ListCampaigns(
    grpc::CallbackServerContext* ctx, const v1::ListCampaignsRequest* req,
    v1::ListCampaignsResponse* resp) {
  return Run(ctx, "ListCampaigns", [&](const auth::Principal& p) {
    return campaigns_.List(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::UpdateCampaign(
    grpc::CallbackServerContext* ctx, const v1::UpdateCampaignRequest* req,
    v1::Campaign* resp) {
  return Run(ctx, "UpdateCampaign", [&](const auth::Principal& p) {
    return campaigns_.Update(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::OpenCampaign(
    grpc::CallbackServerContext* ctx, const v1::CampaignActionRequest* req,
    v1::Campaign* resp) {
  return Run(ctx, "OpenCampaign", [&](const auth::Principal& p) {
    return campaigns_.Open(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::CloseCampaign(
    grpc::CallbackServerContext* ctx, const v1::CampaignActionRequest* req,
    v1::Campaign* resp) {
  return Run(ctx, "CloseCampaign", [&](const auth::Principal& p) {
    return campaigns_.Close(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::DecideCampaign(
    grpc::CallbackServerContext* ctx, const v1::CampaignActionRequest* req,
    v1::Campaign* resp) {
  return Run(ctx, "DecideCampaign", [&](const auth::Principal& p) {
    return campaigns_.Decide(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::PublishCampaign(
    grpc::CallbackServerContext* ctx, const v1::CampaignActionRequest* req,
    v1::Campaign* resp) {
  return Run(ctx, "PublishCampaign", [&](const auth::Principal& p) {
    return campaigns_.Publish(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::GetCampaignProgress(
    grpc::CallbackServerContext* ctx, const v1::GetCampaignProgressRequest* req,
    v1::CampaignProgress* resp) {
  return Run(ctx, "GetCampaignProgress", [&](const auth::Principal& p) {
    return campaigns_.Progress(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::GetSubmission(
    grpc::CallbackServerContext* ctx, const v1::GetSubmissionRequest* req,
    v1::Submission* resp) {
  return Run(ctx, "GetSubmission", [&](const auth::Principal& p) {
    return submissions_.Get(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::ListSubmissions(
    grpc::CallbackServerContext* ctx, const v1::ListSubmissionsRequest* req,
    v1::ListSubmissionsResponse* resp) {
  return Run(ctx, "ListSubmissions", [&](const auth::Principal& p) {
    return submissions_.List(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::WithdrawSubmission(
    grpc::CallbackServerContext* ctx, const v1::WithdrawSubmissionRequest* req,
    v1::Submission* resp) {
  return Run(ctx, "WithdrawSubmission", [&](const auth::Principal& p) {
    return submissions_.Withdraw(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::AppealDecision(
    grpc::CallbackServerContext* ctx, const v1::AppealDecisionRequest* req,
    v1::Submission* resp) {
  return Run(ctx, "AppealDecision", [&](const auth::Principal& p) {
    return submissions_.Appeal(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::AddReviewer(
    grpc::CallbackServerContext* ctx, const v1::AddReviewerRequest* req,
    v1::Reviewer* resp) {
  return Run(ctx, "AddReviewer", [&](const auth::Principal& p) {
    return panel_.AddReviewer(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::ListReviewers(
    grpc::CallbackServerContext* ctx, const v1::ListReviewersRequest* req,
    v1::ListReviewersResponse* resp) {
  return Run(ctx, "ListReviewers", [&](const auth::Principal& p) {
    return panel_.ListReviewers(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::RemoveReviewer(
    grpc::CallbackServerContext* ctx, const v1::RemoveReviewerRequest* req,
    google::protobuf::Empty* resp) {
  return Run(ctx, "RemoveReviewer", [&](const auth::Principal& p) {
    return panel_.RemoveReviewer(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::ListAssignments(
    grpc::CallbackServerContext* ctx, const v1::ListAssignmentsRequest* req,
    v1::ListAssignmentsResponse* resp) {
  return Run(ctx, "ListAssignments", [&](const auth::Principal& p) {
    return panel_.ListAssignments(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::SubmitReview(
    grpc::CallbackServerContext* ctx, const v1::SubmitReviewRequest* req,
    v1::Review* resp) {
  return Run(ctx, "SubmitReview", [&](const auth::Principal& p) {
    return panel_.SubmitReview(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::ListReviews(
    grpc::CallbackServerContext* ctx, const v1::ListReviewsRequest* req,
    v1::ListReviewsResponse* resp) {
  return Run(ctx, "ListReviews", [&](const auth::Principal& p) {
    return panel_.ListReviews(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::ListVerificationTasks(
    grpc::CallbackServerContext* ctx,
    const v1::ListVerificationTasksRequest* req,
    v1::ListVerificationTasksResponse* resp) {
  return Run(ctx, "ListVerificationTasks", [&](const auth::Principal& p) {
    return verification_.List(p, *req, resp);
  });
}

grpc::ServerUnaryReactor* CurationService::ResolveVerificationTask(
    grpc::CallbackServerContext* ctx,
    const v1::ResolveVerificationTaskRequest* req, v1::VerificationTask* resp) {
  return Run(ctx, "ResolveVerificationTask", [&](const auth::Principal& p) {
    return verification_.Resolve(p, *req, resp);
  });
}

}  // namespace jalin::curation
