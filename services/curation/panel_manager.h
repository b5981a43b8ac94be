// The review panel RPCs: the reviewer pool (add, list, remove with
// reassignment), assignments, and reviews (only the assigned reviewer
// scores; editable until the campaign is decided, or until an appeal is
// decided for the reviewers of its new round).
//
// Thread-safe; `deps` must outlive the manager.

#ifndef SERVICES_CURATION_PANEL_MANAGER_H_
#define SERVICES_CURATION_PANEL_MANAGER_H_

#include "absl/status/status.h"
#include "common/auth/principal.h"
#include "google/protobuf/empty.pb.h"
#include "jalin/curation/v1/curation_service.pb.h"
#include "services/curation/curation_deps.h"

namespace jalin::curation {

class PanelManager {
 public:
  explicit PanelManager(const CurationDeps* deps) : deps_(deps) {}

  absl::Status AddReviewer(const auth::Principal& p,
                           const jalin::curation::v1::AddReviewerRequest& req,
                           jalin::curation::v1::Reviewer* out);
  absl::Status ListReviewers(
      const auth::Principal& p,
      const jalin::curation::v1::ListReviewersRequest& req,
      jalin::curation::v1::ListReviewersResponse* out);
  // Marks the reviewer's open assignments REASSIGNED and gives each
  // submission another eligible reviewer; FAILED_PRECONDITION (nothing
  // changes) when one cannot get any.
  absl::Status RemoveReviewer(
      const auth::Principal& p,
      const jalin::curation::v1::RemoveReviewerRequest& req,
      google::protobuf::Empty* out);
  absl::Status ListAssignments(
      const auth::Principal& p,
      const jalin::curation::v1::ListAssignmentsRequest& req,
      jalin::curation::v1::ListAssignmentsResponse* out);
  absl::Status SubmitReview(const auth::Principal& p,
                            const jalin::curation::v1::SubmitReviewRequest& req,
                            jalin::curation::v1::Review* out);
  absl::Status ListReviews(const auth::Principal& p,
                           const jalin::curation::v1::ListReviewsRequest& req,
                           jalin::curation::v1::ListReviewsResponse* out);

 private:
  const CurationDeps* const deps_;
};

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_PANEL_MANAGER_H_
