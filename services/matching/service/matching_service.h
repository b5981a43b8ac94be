// The gRPC edge of jalin-matching: authorises each call against the method
// table, hands the request to the domain classes and maps their
// absl::Status to grpc::Status (callback API, no thread per call).

#ifndef SERVICES_MATCHING_SERVICE_MATCHING_SERVICE_H_
#define SERVICES_MATCHING_SERVICE_MATCHING_SERVICE_H_

#include <functional>

#include "absl/status/statusor.h"
#include "common/auth/authenticator.h"
#include "common/auth/policy.h"
#include "common/storage/database.h"
#include "common/storage/request_log.h"
#include "jalin/matching/v1/matching_service.grpc.pb.h"
#include "services/matching/proposals/proposals.h"
#include "services/matching/service/match_queries.h"

namespace jalin::matching {

// Which roles may call which method.
auth::MethodPolicy MatchingPolicy(const auth::Authenticator* authenticator);

// Thread-safe. Everything passed in must outlive the service.
//
// GenerateChannelingReport is served raw: the report is written as wire
// bytes (EncodedReport) and sent as written, without a message in between.
class MatchingService final
    : public matching::v1::MatchingService::
          WithRawCallbackMethod_GenerateChannelingReport<
              matching::v1::MatchingService::CallbackService> {
 public:
  // `rebuild` reloads the index from a fresh registry snapshot.
  MatchingService(const auth::Authenticator* authenticator,
                  MatchQueries* queries, Proposals* proposals,
                  storage::Database* db, storage::RequestLog* requests,
                  std::function<absl::Status()> rebuild);

  grpc::ServerUnaryReactor* FindMatches(
      grpc::CallbackServerContext* ctx,
      const matching::v1::FindMatchesRequest* request,
      matching::v1::FindMatchesResponse* response) override;
  // Request: a GenerateChannelingReportRequest; response: a
  // ChannelingReport.
  grpc::ServerUnaryReactor* GenerateChannelingReport(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CreateProposal(
      grpc::CallbackServerContext* ctx,
      const matching::v1::CreateProposalRequest* request,
      matching::v1::Proposal* response) override;
  grpc::ServerUnaryReactor* GetProposal(
      grpc::CallbackServerContext* ctx,
      const matching::v1::GetProposalRequest* request,
      matching::v1::Proposal* response) override;
  grpc::ServerUnaryReactor* ListProposals(
      grpc::CallbackServerContext* ctx,
      const matching::v1::ListProposalsRequest* request,
      matching::v1::ListProposalsResponse* response) override;
  grpc::ServerUnaryReactor* AcceptProposal(
      grpc::CallbackServerContext* ctx,
      const matching::v1::AnswerProposalRequest* request,
      matching::v1::Proposal* response) override;
  grpc::ServerUnaryReactor* DeclineProposal(
      grpc::CallbackServerContext* ctx,
      const matching::v1::AnswerProposalRequest* request,
      matching::v1::Proposal* response) override;
  grpc::ServerUnaryReactor* RecordOutcome(
      grpc::CallbackServerContext* ctx,
      const matching::v1::RecordOutcomeRequest* request,
      matching::v1::Proposal* response) override;
  grpc::ServerUnaryReactor* GetProposalFunnel(
      grpc::CallbackServerContext* ctx,
      const matching::v1::GetProposalFunnelRequest* request,
      matching::v1::ProposalFunnel* response) override;
  grpc::ServerUnaryReactor* RebuildIndex(
      grpc::CallbackServerContext* ctx,
      const matching::v1::RebuildIndexRequest* request,
      matching::v1::IndexStatus* response) override;
  grpc::ServerUnaryReactor* GetIndexStatus(
      grpc::CallbackServerContext* ctx,
      const matching::v1::GetIndexStatusRequest* request,
      matching::v1::IndexStatus* response) override;

 private:
  absl::StatusOr<matching::v1::IndexStatus> Rebuild(
      const auth::Principal& who, const matching::v1::RebuildIndexRequest& r);

  const auth::MethodPolicy policy_;
  MatchQueries* const queries_;
  Proposals* const proposals_;
  storage::Database* const db_;
  storage::RequestLog* const requests_;
  const std::function<absl::Status()> rebuild_;
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SERVICE_MATCHING_SERVICE_H_
