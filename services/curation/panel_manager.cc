#include "services/curation/panel_manager.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/auth/policy.h"
#include "common/ids.h"
#include "common/proto_time.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "common/validation/validators.h"
#include "services/curation/campaign_rules.h"
#include "services/curation/campaign_store.h"
#include "services/curation/curation_access.h"
#include "services/curation/curation_errors.h"
#include "services/curation/panel_assigner.h"
#include "services/curation/panel_store.h"
#include "services/curation/submission_store.h"

namespace jalin::curation {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::Review;
using ::jalin::curation::v1::Reviewer;
using ::jalin::curation::v1::Submission;

namespace {

constexpr int kMaxReviewerRegions = 20;
constexpr int kMaxReviewerClusters = 50;

bool HasAssignments(const Campaign& c) {
  return c.state() == Campaign::CLOSED || c.state() == Campaign::DECIDED ||
         c.state() == Campaign::PUBLISHED;
}

void ValidateReviewer(const Reviewer& r, const regions::RegionTable& regions,
                      FieldViolations& v) {
  if (validation::CheckText(v, "reviewer.subject", r.subject(), 200, true) &&
      absl::StrContains(r.subject(), ' ')) {
    v.Add("reviewer.subject",
          "is the curator's token subject, e.g. \"users/ani\", without spaces");
  }
  validation::CheckText(v, "reviewer.display_name", r.display_name(), 200,
                        false);
  if (r.regions_size() > kMaxReviewerRegions) {
    v.Add("reviewer.regions",
          absl::StrCat("at most ", kMaxReviewerRegions, " regions"));
  }
  for (int i = 0; i < r.regions_size(); ++i) {
    if (!absl::StartsWith(r.regions(i), "regions/") ||
        regions.Find(r.regions(i)) == nullptr) {
      v.Add(absl::StrCat("reviewer.regions[", i, "]"),
            "is not a known region (\"regions/<code>\")");
    }
  }
  if (r.clusters_size() > kMaxReviewerClusters) {
    v.Add("reviewer.clusters",
          absl::StrCat("at most ", kMaxReviewerClusters, " clusters"));
  }
  for (int i = 0; i < r.clusters_size(); ++i) {
    v.AddFrom(api::ParseName(r.clusters(i), "clusters",
                             absl::StrCat("reviewer.clusters[", i, "]"))
                  .status());
  }
}

// The pool member `p` is in `campaign_id`, if any.
absl::StatusOr<std::optional<std::string>> OwnReviewerId(
    storage::Transaction& tx, const auth::Principal& p,
    absl::string_view campaign_id) {
  if (p.role != auth::Role::kCurator) return std::optional<std::string>();
  return store::FindReviewerBySubject(tx, campaign_id, p.subject);
}

absl::Status NotAssigned(absl::string_view submission) {
  return auth::PermissionDenied(
      absl::StrCat("only a reviewer assigned to ", submission,
                   " in its current round scores it"));
}

}  // namespace

absl::Status PanelManager::AddReviewer(const auth::Principal& p,
                                       const v1::AddReviewerRequest& req,
                                       Reviewer* out) {
  FieldViolations v;
  ValidateRequestId(req.request_id(), v);
  absl::StatusOr<std::string> cid =
      api::ParseName(req.parent(), "campaigns", "parent");
  v.AddFrom(cid.status());
  ValidateReviewer(req.reviewer(), *deps_->regions, v);
  RETURN_IF_ERROR(v.ToStatus("invalid reviewer"));
  const absl::Time now = deps_->clock->Now();
  return deps_->requests->RunOnce(
      *deps_->db, p.subject, "AddReviewer", req.request_id(), req, out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, *cid));
        RETURN_IF_ERROR(RequireOrganiser(p, c));
        ASSIGN_OR_RETURN(
            auto existing,
            store::FindReviewerBySubject(tx, *cid, req.reviewer().subject()));
        if (existing.has_value()) {
          const std::string name = store::ReviewerName(*cid, *existing);
          return WithErrorInfo(absl::AlreadyExistsError(absl::StrCat(
                                   req.reviewer().subject(),
                                   " is already in the pool as ", name)),
                               "REVIEWER_EXISTS", {{"reviewer", name}});
        }
        // A curator removed earlier comes back as the same reviewer: its
        // assignments and reviews stay its own, so it never gets a
        // submission it already reviewed (in any round).
        ASSIGN_OR_RETURN(auto removed, store::FindRemovedReviewerBySubject(
                                           tx, *cid, req.reviewer().subject()));
        Reviewer r = req.reviewer();
        const std::string id = removed.value_or(NewUlid(now));
        r.set_name(store::ReviewerName(*cid, id));
        r.clear_open_assignments();
        r.clear_reviewed_assignments();
        if (removed.has_value()) {
          RETURN_IF_ERROR(store::ReactivateReviewer(tx, *cid, id, r));
        } else {
          RETURN_IF_ERROR(store::InsertReviewer(tx, *cid, id, r));
        }
        // After close, the newcomer takes open reviews over from the most
        // loaded reviewers so that the pool stays balanced.
        if (HasAssignments(c)) {
          RETURN_IF_ERROR(AssignReviewers(tx, c, false, now).status());
          ASSIGN_OR_RETURN(auto loads, store::ReviewerLoads(tx, *cid));
          r.set_open_assignments(loads[id].open);
          r.set_reviewed_assignments(loads[id].reviewed);
        }
        *out = std::move(r);
        return absl::OkStatus();
      });
}

absl::Status PanelManager::ListReviewers(const auth::Principal& p,
                                         const v1::ListReviewersRequest& req,
                                         v1::ListReviewersResponse* out) {
  FieldViolations v;
  absl::StatusOr<std::string> cid =
      api::ParseName(req.parent(), "campaigns", "parent");
  v.AddFrom(cid.status());
  const int page_size = api::PageSize(req.page_size(), v);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string query = absl::StrCat("reviewers|", *cid);
  ASSIGN_OR_RETURN(std::string after,
                   api::DecodePageToken(req.page_token(), query));
  return deps_->db->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, *cid));
    if (!IsOrganiser(p, c) && p.role != auth::Role::kCurator) {
      return auth::PermissionDenied(absl::StrCat(
          "only organisers and curators see the pool of ", c.name()));
    }
    ASSIGN_OR_RETURN(
        auto pool, store::ListActiveReviewers(tx, *cid, after, page_size + 1));
    ASSIGN_OR_RETURN(auto loads, store::ReviewerLoads(tx, *cid));
    const bool more = static_cast<int>(pool.size()) > page_size;
    if (more) pool.pop_back();
    for (auto& [id, r] : pool) {
      auto it = loads.find(id);
      if (it != loads.end()) {
        r.set_open_assignments(it->second.open);
        r.set_reviewed_assignments(it->second.reviewed);
      }
      *out->add_reviewers() = std::move(r);
    }
    if (more) {
      out->set_next_page_token(api::EncodePageToken(query, pool.back().first));
    }
    return absl::OkStatus();
  });
}

absl::Status PanelManager::RemoveReviewer(const auth::Principal& p,
                                          const v1::RemoveReviewerRequest& req,
                                          google::protobuf::Empty* out) {
  FieldViolations v;
  ValidateRequestId(req.request_id(), v);
  absl::StatusOr<std::vector<std::string>> ids =
      api::ParseNestedName(req.name(), {"campaigns", "reviewers"}, "name");
  v.AddFrom(ids.status());
  RETURN_IF_ERROR(v.ToStatus());
  const std::string cid = (*ids)[0];
  const std::string rid = (*ids)[1];
  const absl::Time now = deps_->clock->Now();
  return deps_->requests->RunOnce(
      *deps_->db, p.subject, "RemoveReviewer", req.request_id(), req, out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, cid));
        RETURN_IF_ERROR(RequireOrganiser(p, c));
        RETURN_IF_ERROR(store::GetActiveReviewer(tx, cid, rid).status());
        RETURN_IF_ERROR(store::MarkReviewerRemoved(tx, cid, rid));
        ASSIGN_OR_RETURN(auto open,
                         store::ListAssignments(tx, {.campaign_id = cid,
                                                     .reviewer_id = rid,
                                                     .state = Assignment::OPEN,
                                                     .limit = INT32_MAX}));
        for (const auto& a : open) {
          RETURN_IF_ERROR(store::SetAssignmentState(
              tx, cid, a.submission_id, rid, Assignment::REASSIGNED));
        }
        if (HasAssignments(c)) {
          RETURN_IF_ERROR(AssignReviewers(tx, c, false, now).status());
        }
        out->Clear();
        return absl::OkStatus();
      });
}

absl::Status PanelManager::ListAssignments(
    const auth::Principal& p, const v1::ListAssignmentsRequest& req,
    v1::ListAssignmentsResponse* out) {
  FieldViolations v;
  absl::StatusOr<std::string> cid =
      api::ParseName(req.parent(), "campaigns", "parent");
  v.AddFrom(cid.status());
  const int page_size = api::PageSize(req.page_size(), v);
  std::string reviewer_filter;
  if (!req.reviewer().empty()) {
    absl::StatusOr<std::vector<std::string>> r = api::ParseNestedName(
        req.reviewer(), {"campaigns", "reviewers"}, "reviewer");
    v.AddFrom(r.status());
    if (r.ok()) {
      if (cid.ok() && (*r)[0] != *cid) {
        v.Add("reviewer", "must be a reviewer of the parent campaign");
      }
      reviewer_filter = (*r)[1];
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  return deps_->db->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, *cid));
    if (!IsOrganiser(p, c)) {
      ASSIGN_OR_RETURN(auto own, OwnReviewerId(tx, p, *cid));
      if (!own.has_value() ||
          (!reviewer_filter.empty() && reviewer_filter != *own)) {
        return auth::PermissionDenied(absl::StrCat(
            "a curator sees only its own assignments in ", c.name()));
      }
      reviewer_filter = *own;
    }
    const std::string query = absl::StrCat("assignments|", *cid, "|",
                                           reviewer_filter, "|", req.state());
    ASSIGN_OR_RETURN(std::string after,
                     api::DecodePageToken(req.page_token(), query));
    std::vector<std::string> key = absl::StrSplit(after, '/');
    key.resize(2);
    ASSIGN_OR_RETURN(auto rows,
                     store::ListAssignments(tx, {.campaign_id = *cid,
                                                 .reviewer_id = reviewer_filter,
                                                 .state = req.state(),
                                                 .after_submission = key[0],
                                                 .after_reviewer = key[1],
                                                 .limit = page_size + 1}));
    const bool more = static_cast<int>(rows.size()) > page_size;
    if (more) rows.pop_back();
    for (const auto& a : rows)
      *out->add_assignments() = store::ToAssignment(*cid, a);
    if (more) {
      out->set_next_page_token(api::EncodePageToken(
          query, absl::StrCat(rows.back().submission_id, "/",
                              rows.back().reviewer_id)));
    }
    return absl::OkStatus();
  });
}

absl::Status PanelManager::SubmitReview(const auth::Principal& p,
                                        const v1::SubmitReviewRequest& req,
                                        Review* out) {
  FieldViolations v;
  ValidateRequestId(req.request_id(), v);
  absl::StatusOr<std::vector<std::string>> ids = api::ParseNestedName(
      req.submission(), {"campaigns", "submissions"}, "submission");
  v.AddFrom(ids.status());
  // Violations of the review itself wait for the score checks, which need
  // the campaign's rubric, so that one answer names them all.
  FieldViolations review_v;
  validation::CheckText(review_v, "review.comment", req.review().comment(),
                        4000, false);
  if (!v.empty()) {
    v.Merge(review_v);
    return v.ToStatus("invalid review");
  }
  const std::string cid = (*ids)[0];
  const std::string sid = (*ids)[1];
  const absl::Time now = deps_->clock->Now();
  return deps_->requests->RunOnce(
      *deps_->db, p.subject, "SubmitReview", req.request_id(), req, out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, cid));
        // Assignment first: whoever is not assigned learns nothing more.
        ASSIGN_OR_RETURN(auto rid, OwnReviewerId(tx, p, cid));
        if (!rid.has_value()) return NotAssigned(req.submission());
        absl::StatusOr<Submission> s = store::GetSubmission(tx, cid, sid);
        if (absl::IsNotFound(s.status())) return NotAssigned(req.submission());
        RETURN_IF_ERROR(s.status());
        ASSIGN_OR_RETURN(auto a, store::GetAssignment(tx, cid, sid, *rid));
        if (!a.has_value() || a->state == Assignment::REASSIGNED ||
            a->review_round != s->review_round()) {
          return NotAssigned(req.submission());
        }
        const bool first_round_open =
            c.state() == Campaign::CLOSED && s->review_round() == 0;
        const bool appeal_open = c.state() == Campaign::PUBLISHED &&
                                 s->state() == Submission::APPEALED;
        if (!first_round_open && !appeal_open) {
          const std::string description = absl::StrCat(
              "reviews can be given and changed until the decision; ", c.name(),
              " is ", StateName(c.state()));
          return PreconditionFailed(
              absl::StrCat(req.submission(), ": ", description), "REVIEW_OPEN",
              req.submission(), description, "REVIEW_CLOSED");
        }
        FieldViolations sv = review_v;
        ValidateReviewScores(c, req.review().scores(), sv);
        RETURN_IF_ERROR(sv.ToStatus("invalid review"));

        Review r;
        r.set_name(store::ReviewName(cid, sid, *rid));
        r.set_submission(req.submission());
        r.set_reviewer(store::ReviewerName(cid, *rid));
        *r.mutable_scores() = req.review().scores();
        r.set_comment(req.review().comment());
        ToProtoTime(now, r.mutable_update_time());
        r.set_review_round(s->review_round());
        RETURN_IF_ERROR(store::UpsertReview(tx, cid, sid, *rid, r));
        RETURN_IF_ERROR(store::SetAssignmentState(tx, cid, sid, *rid,
                                                  Assignment::REVIEWED));
        if (s->state() == Submission::IN_REVIEW) {
          ASSIGN_OR_RETURN(auto rows,
                           store::AssignmentsOfSubmission(tx, cid, sid));
          bool open = false;
          for (const auto& row : rows) {
            open = open || (row.review_round == s->review_round() &&
                            row.state == Assignment::OPEN);
          }
          if (!open) {
            RETURN_IF_ERROR(store::SetSubmissionState(
                tx, cid, sid, Submission::REVIEWED, now));
          }
        }
        *out = std::move(r);
        return absl::OkStatus();
      });
}

absl::Status PanelManager::ListReviews(const auth::Principal& p,
                                       const v1::ListReviewsRequest& req,
                                       v1::ListReviewsResponse* out) {
  FieldViolations v;
  absl::StatusOr<std::vector<std::string>> ids = api::ParseNestedName(
      req.parent(), {"campaigns", "submissions"}, "parent");
  v.AddFrom(ids.status());
  const int page_size = api::PageSize(req.page_size(), v);
  RETURN_IF_ERROR(v.ToStatus());
  const std::string cid = (*ids)[0];
  const std::string sid = (*ids)[1];
  return deps_->db->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, cid));
    std::string only;
    if (!IsOrganiser(p, c)) {
      // A curator sees its own review only: reviewers do not read each
      // other's scores, applicants none.
      ASSIGN_OR_RETURN(auto rid, OwnReviewerId(tx, p, cid));
      if (!rid.has_value()) {
        return auth::PermissionDenied(
            absl::StrCat("only organisers and the reviewers of ", req.parent(),
                         " read its reviews"));
      }
      ASSIGN_OR_RETURN(auto a, store::GetAssignment(tx, cid, sid, *rid));
      if (!a.has_value()) {
        return auth::PermissionDenied(
            absl::StrCat("only organisers and the reviewers of ", req.parent(),
                         " read its reviews"));
      }
      only = *rid;
    } else {
      RETURN_IF_ERROR(store::GetSubmission(tx, cid, sid).status());
    }
    const std::string query = absl::StrCat("reviews|", req.parent(), "|", only);
    ASSIGN_OR_RETURN(std::string after,
                     api::DecodePageToken(req.page_token(), query));
    ASSIGN_OR_RETURN(auto reviews, store::ListReviews(tx, cid, sid, only, after,
                                                      page_size + 1));
    const bool more = static_cast<int>(reviews.size()) > page_size;
    if (more) reviews.pop_back();
    for (auto& r : reviews) *out->add_reviews() = std::move(r);
    if (more) {
      const std::string& last = out->reviews(page_size - 1).reviewer();
      out->set_next_page_token(
          api::EncodePageToken(query, last.substr(last.rfind('/') + 1)));
    }
    return absl::OkStatus();
  });
}

}  // namespace jalin::curation
