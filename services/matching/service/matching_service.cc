#include "services/matching/service/matching_service.h"

#include <utility>

#include "common/rpc/byte_buffer.h"
#include "common/rpc/unary.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"

namespace jalin::matching {
namespace {

using auth::Role;
namespace v1 = ::jalin::matching::v1;

// Marks a request_id as not seen before (the first RunOnce's body never
// completes, so nothing is stored).
constexpr absl::string_view kNotYetRun = "request not carried out yet";
absl::Status NotYetRun() { return absl::AbortedError(kNotYetRun); }

}  // namespace

auth::MethodPolicy MatchingPolicy(const auth::Authenticator* authenticator) {
  auth::MethodPolicy p(authenticator);
  p.AllowAuthenticated("FindMatches")
      .Allow("GenerateChannelingReport", {Role::kAdmin, Role::kFacilitator,
                                          Role::kIntegrator, Role::kViewer,
                                          Role::kService})
      .Allow("CreateProposal", {Role::kAdmin, Role::kFacilitator})
      .Allow("GetProposal", {Role::kAdmin, Role::kFacilitator,
                             Role::kIntegrator, Role::kMember, Role::kViewer,
                             Role::kService})
      .Allow("ListProposals", {Role::kAdmin, Role::kFacilitator,
                               Role::kIntegrator, Role::kMember, Role::kViewer,
                               Role::kService})
      .Allow("AcceptProposal", {Role::kAdmin, Role::kFacilitator, Role::kMember})
      .Allow("DeclineProposal",
             {Role::kAdmin, Role::kFacilitator, Role::kMember})
      .Allow("RecordOutcome", {Role::kAdmin, Role::kFacilitator, Role::kMember})
      .Allow("GetProposalFunnel", {Role::kAdmin, Role::kFacilitator,
                                   Role::kIntegrator, Role::kMember,
                                   Role::kViewer, Role::kService})
      .Allow("RebuildIndex", {Role::kAdmin})
      .AllowAuthenticated("GetIndexStatus");
  return p;
}

MatchingService::MatchingService(const auth::Authenticator* authenticator,
                                 MatchQueries* queries, Proposals* proposals,
                                 storage::Database* db,
                                 storage::RequestLog* requests,
                                 std::function<absl::Status()> rebuild)
    : policy_(MatchingPolicy(authenticator)),
      queries_(queries),
      proposals_(proposals),
      db_(db),
      requests_(requests),
      rebuild_(std::move(rebuild)) {}

grpc::ServerUnaryReactor* MatchingService::FindMatches(
    grpc::CallbackServerContext* ctx, const v1::FindMatchesRequest* request,
    v1::FindMatchesResponse* response) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auth::Principal who, policy_.Authorize(*ctx, "FindMatches"));
    ASSIGN_OR_RETURN(*response, queries_->FindMatches(who, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MatchingService::GenerateChannelingReport(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auth::Principal who,
                     policy_.Authorize(*ctx, "GenerateChannelingReport"));
    v1::GenerateChannelingReportRequest parsed;
    RETURN_IF_ERROR(rpc::ParseByteBuffer(*request, &parsed));
    ASSIGN_OR_RETURN(EncodedReport report, queries_->Report(who, parsed));
    grpc::ByteBuffer bytes = rpc::ToByteBuffer(std::move(report.pieces));
    response->Swap(&bytes);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MatchingService::CreateProposal(
    grpc::CallbackServerContext* ctx, const v1::CreateProposalRequest* request,
    v1::Proposal* response) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auth::Principal who,
                     policy_.Authorize(*ctx, "CreateProposal"));
    ASSIGN_OR_RETURN(*response, proposals_->Create(who, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MatchingService::GetProposal(
    grpc::CallbackServerContext* ctx, const v1::GetProposalRequest* request,
    v1::Proposal* response) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auth::Principal who, policy_.Authorize(*ctx, "GetProposal"));
    ASSIGN_OR_RETURN(*response, proposals_->Get(who, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MatchingService::ListProposals(
    grpc::CallbackServerContext* ctx, const v1::ListProposalsRequest* request,
    v1::ListProposalsResponse* response) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auth::Principal who,
                     policy_.Authorize(*ctx, "ListProposals"));
    ASSIGN_OR_RETURN(*response, proposals_->List(who, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MatchingService::AcceptProposal(
    grpc::CallbackServerContext* ctx, const v1::AnswerProposalRequest* request,
    v1::Proposal* response) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auth::Principal who,
                     policy_.Authorize(*ctx, "AcceptProposal"));
    ASSIGN_OR_RETURN(*response, proposals_->Answer(who, *request, true));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MatchingService::DeclineProposal(
    grpc::CallbackServerContext* ctx, const v1::AnswerProposalRequest* request,
    v1::Proposal* response) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auth::Principal who,
                     policy_.Authorize(*ctx, "DeclineProposal"));
    ASSIGN_OR_RETURN(*response, proposals_->Answer(who, *request, false));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MatchingService::RecordOutcome(
    grpc::CallbackServerContext* ctx, const v1::RecordOutcomeRequest* request,
    v1::Proposal* response) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auth::Principal who,
                     policy_.Authorize(*ctx, "RecordOutcome"));
    ASSIGN_OR_RETURN(*response, proposals_->RecordOutcome(who, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MatchingService::GetProposalFunnel(
    grpc::CallbackServerContext* ctx,
    const v1::GetProposalFunnelRequest* request,
    v1::ProposalFunnel* response) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auth::Principal who,
                     policy_.Authorize(*ctx, "GetProposalFunnel"));
    ASSIGN_OR_RETURN(*response, proposals_->Funnel(who, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MatchingService::RebuildIndex(
    grpc::CallbackServerContext* ctx, const v1::RebuildIndexRequest* request,
    v1::IndexStatus* response) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auth::Principal who,
                     policy_.Authorize(*ctx, "RebuildIndex"));
    ASSIGN_OR_RETURN(*response, Rebuild(who, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MatchingService::GetIndexStatus(
    grpc::CallbackServerContext* ctx,
    const v1::GetIndexStatusRequest* /*request*/, v1::IndexStatus* response) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    RETURN_IF_ERROR(policy_.Authorize(*ctx, "GetIndexStatus").status());
    ASSIGN_OR_RETURN(*response, queries_->Status());
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::IndexStatus> MatchingService::Rebuild(
    const auth::Principal& who, const v1::RebuildIndexRequest& r) {
  FieldViolations v;
  ValidateRequestId(r.request_id(), v);
  RETURN_IF_ERROR(v.ToStatus("invalid request"));
  v1::IndexStatus out;
  // A replay answers with the first rebuild's status. The rebuild itself
  // runs outside any store transaction (it takes seconds), so the request
  // log is asked first and written after.
  if (!r.request_id().empty()) {
    absl::Status seen = requests_->RunOnce(
        *db_, who.subject, "RebuildIndex", r.request_id(), r, &out,
        [](storage::Transaction&) { return NotYetRun(); });
    if (seen.ok()) return out;
    if (seen.code() != absl::StatusCode::kAborted ||
        seen.message() != kNotYetRun) {
      return seen;
    }
  }
  RETURN_IF_ERROR(rebuild_());
  ASSIGN_OR_RETURN(v1::IndexStatus status, queries_->Status());
  RETURN_IF_ERROR(requests_->RunOnce(*db_, who.subject, "RebuildIndex",
                                     r.request_id(), r, &out,
                                     [&](storage::Transaction&) {
                                       out = status;
                                       return absl::OkStatus();
                                     }));
  return out;
}

}  // namespace jalin::matching
