// In-memory registry, matching and notification services for unit tests of
// jalinctl's gRPC layer (served by testing::InProcessServer). They keep just
// enough behaviour to check what the CLI sends and how it prints answers:
// the registry upserts imported records by external id and version and
// rejects some; the others answer with fixed data and remember requests.

#ifndef TESTS_TOOLS_FAKE_SERVICES_H_
#define TESTS_TOOLS_FAKE_SERVICES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "jalin/matching/v1/matching_service.grpc.pb.h"
#include "jalin/notification/v1/notification_service.grpc.pb.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"

namespace jalin::ctl::testing {

// Every fake accepts only this bearer token.
inline constexpr char kToken[] = "test-token";

// Thread-safe.
class FakeRegistry final
    : public registry::v1::RegistryService::CallbackService {
 public:
  struct Stored {
    std::string name;
    int64_t version = 0;
    registry::v1::ImportRecord record;
  };

  // After answering this many batches of one stream, end it with
  // UNAVAILABLE (a dropped link); -1: never.
  void set_fail_after_batches(int n) {
    absl::MutexLock lock(&mu_);
    fail_after_batches_ = n;
  }
  std::map<std::string, Stored> records() const {
    absl::MutexLock lock(&mu_);
    return records_;
  }
  int batches() const {
    absl::MutexLock lock(&mu_);
    return batches_;
  }
  int max_batch_size() const {
    absl::MutexLock lock(&mu_);
    return max_batch_size_;
  }

  // Answers one batch as the registry would: every record CREATED,
  // UPDATED, UNCHANGED or REJECTED. Public for the stream reactor.
  registry::v1::ImportRecordsResponse Apply(
      const registry::v1::ImportRecordsRequest& request);
  // Whether the stream should break after the batch just answered.
  bool ShouldFail();

  grpc::ServerBidiReactor<registry::v1::ImportRecordsRequest,
                          registry::v1::ImportRecordsResponse>*
  ImportRecords(grpc::CallbackServerContext* ctx) override;
  grpc::ServerUnaryReactor* GetCluster(
      grpc::CallbackServerContext* ctx,
      const registry::v1::GetClusterRequest* request,
      registry::v1::Cluster* response) override;
  grpc::ServerUnaryReactor* ListClusters(
      grpc::CallbackServerContext* ctx,
      const registry::v1::ListClustersRequest* request,
      registry::v1::ListClustersResponse* response) override;
  grpc::ServerUnaryReactor* GetRegion(
      grpc::CallbackServerContext* ctx,
      const registry::v1::GetRegionRequest* request,
      registry::v1::Region* response) override;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, Stored> records_ ABSL_GUARDED_BY(mu_);
  int fail_after_batches_ ABSL_GUARDED_BY(mu_) = -1;
  int stream_batches_ ABSL_GUARDED_BY(mu_) = 0;
  int batches_ ABSL_GUARDED_BY(mu_) = 0;
  int max_batch_size_ ABSL_GUARDED_BY(mu_) = 0;
  int next_id_ ABSL_GUARDED_BY(mu_) = 0;
};

// Thread-safe.
class FakeMatching final
    : public matching::v1::MatchingService::CallbackService {
 public:
  matching::v1::GenerateChannelingReportRequest last_report_request() const {
    absl::MutexLock lock(&mu_);
    return last_report_;
  }
  std::vector<std::string> request_ids() const {
    absl::MutexLock lock(&mu_);
    return request_ids_;
  }
  matching::v1::AnswerProposalRequest last_answer() const {
    absl::MutexLock lock(&mu_);
    return last_answer_;
  }
  matching::v1::RecordOutcomeRequest last_outcome() const {
    absl::MutexLock lock(&mu_);
    return last_outcome_;
  }

  // A report with one pair in each direction.
  static matching::v1::ChannelingReport SampleReport();

  grpc::ServerUnaryReactor* GenerateChannelingReport(
      grpc::CallbackServerContext* ctx,
      const matching::v1::GenerateChannelingReportRequest* request,
      matching::v1::ChannelingReport* response) override;
  grpc::ServerUnaryReactor* FindMatches(
      grpc::CallbackServerContext* ctx,
      const matching::v1::FindMatchesRequest* request,
      matching::v1::FindMatchesResponse* response) override;
  grpc::ServerUnaryReactor* CreateProposal(
      grpc::CallbackServerContext* ctx,
      const matching::v1::CreateProposalRequest* request,
      matching::v1::Proposal* response) override;
  grpc::ServerUnaryReactor* AcceptProposal(
      grpc::CallbackServerContext* ctx,
      const matching::v1::AnswerProposalRequest* request,
      matching::v1::Proposal* response) override;
  grpc::ServerUnaryReactor* RecordOutcome(
      grpc::CallbackServerContext* ctx,
      const matching::v1::RecordOutcomeRequest* request,
      matching::v1::Proposal* response) override;

 private:
  mutable absl::Mutex mu_;
  matching::v1::GenerateChannelingReportRequest last_report_
      ABSL_GUARDED_BY(mu_);
  matching::v1::AnswerProposalRequest last_answer_ ABSL_GUARDED_BY(mu_);
  matching::v1::RecordOutcomeRequest last_outcome_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> request_ids_ ABSL_GUARDED_BY(mu_);
};

// Subscribe streams three notifications (cursors c1, c2, c3) after the
// given cursor. The first stream of the test breaks with UNAVAILABLE after
// two, as a dropped link would; later streams stay open until the client
// cancels. Thread-safe.
class FakeNotification final
    : public notification::v1::NotificationService::CallbackService {
 public:
  std::vector<std::string> cursors_asked() const {
    absl::MutexLock lock(&mu_);
    return cursors_;
  }
  std::vector<std::string> parents_asked() const {
    absl::MutexLock lock(&mu_);
    return parents_;
  }

  grpc::ServerWriteReactor<notification::v1::Notification>* Subscribe(
      grpc::CallbackServerContext* ctx,
      const notification::v1::SubscribeRequest* request) override;

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> cursors_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> parents_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jalin::ctl::testing

#endif  // TESTS_TOOLS_FAKE_SERVICES_H_
