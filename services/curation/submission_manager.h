// Submission RPCs: apply (checked against the registry), read, list,
// withdraw before close, and appeal after publication. Applicants (the
// member whose organisation the enterprise is, or an integrator of its
// region) see only their own submissions and, until the campaign is
// published, no decision; curators see the submissions they review, without
// decisions; organisers see everything.
//
// Thread-safe; `deps` must outlive the manager.

#ifndef SERVICES_CURATION_SUBMISSION_MANAGER_H_
#define SERVICES_CURATION_SUBMISSION_MANAGER_H_

#include <functional>

#include "absl/status/status.h"
#include "common/auth/principal.h"
#include "jalin/curation/v1/curation_service.pb.h"
#include "services/curation/curation_deps.h"

namespace jalin::curation {

class SubmissionManager {
 public:
  explicit SubmissionManager(const CurationDeps* deps) : deps_(deps) {}

  // Asks the registry without blocking a thread; `done` runs once, on any
  // thread. `req` and `out` must stay live until then.
  void Create(const auth::Principal& p,
              const jalin::curation::v1::CreateSubmissionRequest* req,
              jalin::curation::v1::Submission* out,
              std::function<void(absl::Status)> done);
  absl::Status Get(const auth::Principal& p,
                   const jalin::curation::v1::GetSubmissionRequest& req,
                   jalin::curation::v1::Submission* out);
  absl::Status List(const auth::Principal& p,
                    const jalin::curation::v1::ListSubmissionsRequest& req,
                    jalin::curation::v1::ListSubmissionsResponse* out);
  absl::Status Withdraw(
      const auth::Principal& p,
      const jalin::curation::v1::WithdrawSubmissionRequest& req,
      jalin::curation::v1::Submission* out);
  absl::Status Appeal(const auth::Principal& p,
                      const jalin::curation::v1::AppealDecisionRequest& req,
                      jalin::curation::v1::Submission* out);

 private:
  // The write half of Create, once the registry answered.
  absl::Status Insert(const auth::Principal& p,
                      const jalin::curation::v1::CreateSubmissionRequest& req,
                      const std::string& campaign_id,
                      const jalin::registry::v1::Enterprise& enterprise,
                      jalin::curation::v1::Submission* out);

  const CurationDeps* const deps_;
};

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_SUBMISSION_MANAGER_H_
