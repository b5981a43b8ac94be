#include "services/curation/submission_manager.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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
using ::jalin::curation::v1::Decision;
using ::jalin::curation::v1::Submission;
using ::jalin::registry::v1::Enterprise;
using ::jalin::registry::v1::VerificationState;

namespace {

constexpr int kMaxEvidence = 20;

struct SubmissionIds {
  std::string campaign;
  std::string submission;
};

absl::StatusOr<SubmissionIds> ParseSubmissionName(absl::string_view name,
                                                  absl::string_view field) {
  ASSIGN_OR_RETURN(auto ids, api::ParseNestedName(
                                 name, {"campaigns", "submissions"}, field));
  return SubmissionIds{ids[0], ids[1]};
}

// The same answer whether the submission exists or not.
absl::Status Denied(absl::string_view name) {
  return auth::PermissionDenied(
      absl::StrCat("the caller may not see or change ", name));
}

absl::Status CheckWindow(const Campaign& c, absl::Time now) {
  RETURN_IF_ERROR(RequireState(c, Campaign::OPEN, "a submission"));
  if (InSubmissionWindow(c, now)) return absl::OkStatus();
  const absl::Time start = FromProtoTime(c.submission_start_time());
  const absl::Time end = FromProtoTime(c.submission_end_time());
  const std::string description =
      now < start
          ? absl::StrCat("submissions open at ", absl::FormatTime(start),
                         "; it is ", absl::FormatTime(now))
          : absl::StrCat("submissions closed at ", absl::FormatTime(end),
                         "; it is ", absl::FormatTime(now));
  return PreconditionFailed(
      absl::StrCat(c.name(), ": ", description), "SUBMISSION_WINDOW", c.name(),
      description,
      now < start ? "SUBMISSION_WINDOW_NOT_OPEN" : "SUBMISSION_WINDOW_CLOSED",
      {{"submission_start_time", absl::FormatTime(start)},
       {"submission_end_time", absl::FormatTime(end)}});
}

void ValidateSubmission(const Submission& s, FieldViolations& v) {
  if (s.enterprise().empty()) {
    v.Add("submission.enterprise", "is required, e.g. \"enterprises/abc\"");
  } else {
    v.AddFrom(
        api::ParseName(s.enterprise(), "enterprises", "submission.enterprise")
            .status());
  }
  validation::CheckText(v, "submission.product_name", s.product_name(), 200,
                        true);
  validation::CheckText(v, "submission.product_description",
                        s.product_description(), 4000, false);
  if (!s.category().empty()) {
    v.AddFrom(api::ParseName(s.category(), "categories", "submission.category")
                  .status());
  }
  if (s.evidence_uris_size() > kMaxEvidence) {
    v.Add("submission.evidence_uris",
          absl::StrCat("at most ", kMaxEvidence, " links"));
  }
  for (int i = 0; i < s.evidence_uris_size(); ++i) {
    if (s.evidence_uris(i).size() > 2000 ||
        !validation::IsHttpUri(s.evidence_uris(i))) {
      v.Add(absl::StrCat("submission.evidence_uris[", i, "]"),
            "must be an http or https link of at most 2000 characters");
    }
  }
}

// What an applicant may see: the decision only once it is published.
void ApplicantView(const Campaign& c, Submission& s) {
  if (c.state() != Campaign::PUBLISHED) s.clear_decision();
}

// What a reviewer may see: the application, no decisions.
void ReviewerView(Submission& s) {
  s.clear_decision();
  s.clear_previous_decisions();
}

// True when `p` is (or was, for an earlier round) assigned to review it.
absl::StatusOr<bool> IsAssignedReviewer(storage::Transaction& tx,
                                        const auth::Principal& p,
                                        const SubmissionIds& ids) {
  if (p.role != auth::Role::kCurator) return false;
  ASSIGN_OR_RETURN(auto reviewer,
                   store::FindReviewerBySubject(tx, ids.campaign, p.subject));
  if (!reviewer.has_value()) return false;
  ASSIGN_OR_RETURN(auto a, store::GetAssignment(tx, ids.campaign,
                                                ids.submission, *reviewer));
  return a.has_value() && a->state != Assignment::REASSIGNED;
}

}  // namespace

void SubmissionManager::Create(const auth::Principal& p,
                               const v1::CreateSubmissionRequest* req,
                               Submission* out,
                               std::function<void(absl::Status)> done) {
  const Submission& s = req->submission();
  // A member applies only for its own organisation; nothing else is looked
  // at before that is settled.
  if (p.role == auth::Role::kMember && p.organization != s.enterprise()) {
    done(auth::PermissionDenied(
        "a member applies only for its own organisation"));
    return;
  }
  FieldViolations v;
  ValidateRequestId(req->request_id(), v);
  absl::StatusOr<std::string> cid =
      api::ParseName(req->parent(), "campaigns", "parent");
  v.AddFrom(cid.status());
  ValidateSubmission(s, v);
  if (absl::Status bad = v.ToStatus("invalid submission"); !bad.ok()) {
    done(bad);
    return;
  }
  // A replay gets the first answer before anything that may have changed
  // since (window, campaign state, the registry's view) is looked at.
  absl::StatusOr<bool> replayed = deps_->requests->FindAnswer(
      *deps_->db, p.subject, "CreateSubmission", req->request_id(), *req, out);
  if (!replayed.ok() || *replayed) {
    done(replayed.status());
    return;
  }
  // Refuse early (before asking the registry) what cannot be accepted now;
  // the write below checks again.
  absl::Status early =
      deps_->db->Read([&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, *cid));
        return CheckWindow(c, deps_->clock->Now());
      });
  if (!early.ok()) {
    done(early);
    return;
  }
  const std::string campaign_id = *cid;
  deps_->directory->GetEnterprise(
      s.enterprise(), [this, p, req, out, campaign_id,
                       done = std::move(done)](absl::StatusOr<Enterprise> e) {
        const bool scoped = !p.IsGlobal() && p.role != auth::Role::kMember;
        if (!e.ok()) {
          // A caller limited to regions learns nothing about enterprises
          // outside them, not even whether they exist.
          if (scoped && absl::IsNotFound(e.status())) {
            done(auth::PermissionDenied(
                "the enterprise is not in the caller's regions"));
          } else {
            done(e.status());
          }
          return;
        }
        if (scoped && !p.CoversRegion(e->location().region())) {
          done(auth::PermissionDenied(
              "the enterprise is not in the caller's regions"));
          return;
        }
        done(Insert(p, *req, campaign_id, *e, out));
      });
}

absl::Status SubmissionManager::Insert(const auth::Principal& p,
                                       const v1::CreateSubmissionRequest& req,
                                       const std::string& cid,
                                       const Enterprise& e, Submission* out) {
  const std::string& enterprise = req.submission().enterprise();
  if (e.verification_state() == jalin::registry::v1::MERGED ||
      e.verification_state() == jalin::registry::v1::REJECTED) {
    const bool merged = e.verification_state() == jalin::registry::v1::MERGED;
    const std::string description =
        merged ? absl::StrCat(enterprise, " was merged into ", e.merged_into(),
                              "; apply as ", e.merged_into())
               : absl::StrCat(enterprise,
                              " was rejected by verification and cannot "
                              "apply");
    return PreconditionFailed(
        description, "ENTERPRISE_ELIGIBLE", enterprise, description,
        merged ? "ENTERPRISE_MERGED" : "ENTERPRISE_REJECTED");
  }
  if (e.location().region().empty()) {
    const std::string description =
        absl::StrCat(enterprise,
                     " has no region in the registry; complete the record "
                     "first (reviewers are chosen by region)");
    return PreconditionFailed(description, "ENTERPRISE_COMPLETE", enterprise,
                              description, "ENTERPRISE_WITHOUT_REGION");
  }
  const absl::Time now = deps_->clock->Now();
  return deps_->requests->RunOnce(
      *deps_->db, p.subject, "CreateSubmission", req.request_id(), req, out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, cid));
        RETURN_IF_ERROR(CheckWindow(c, now));
        ASSIGN_OR_RETURN(auto existing, store::FindLiveSubmission(
                                            tx, cid, enterprise,
                                            req.submission().product_name()));
        if (existing.has_value()) {
          const std::string other = store::SubmissionName(cid, *existing);
          return WithErrorInfo(
              absl::AlreadyExistsError(
                  absl::StrCat(enterprise, " already applied with \"",
                               req.submission().product_name(), "\": ", other)),
              "SUBMISSION_EXISTS", {{"submission", other}});
        }
        Submission s;
        s.set_name(store::SubmissionName(cid, NewUlid(now)));
        s.set_enterprise(enterprise);
        s.set_region(e.location().region());
        for (const auto& cl : e.clusters()) s.add_clusters(cl);
        s.set_product_name(req.submission().product_name());
        s.set_product_description(req.submission().product_description());
        s.set_category(req.submission().category());
        for (const auto& u : req.submission().evidence_uris()) {
          s.add_evidence_uris(u);
        }
        s.set_state(Submission::SUBMITTED);
        ToProtoTime(now, s.mutable_create_time());
        ToProtoTime(now, s.mutable_update_time());
        RETURN_IF_ERROR(store::InsertSubmission(tx, s));
        RETURN_IF_ERROR(deps_->events.Submission(
            tx, kSubmissionReceived, s, c,
            {.actor = p.subject, .request_id = req.request_id()}, now));
        *out = std::move(s);
        return absl::OkStatus();
      });
}

absl::Status SubmissionManager::Get(const auth::Principal& p,
                                    const v1::GetSubmissionRequest& req,
                                    Submission* out) {
  ASSIGN_OR_RETURN(SubmissionIds ids, ParseSubmissionName(req.name(), "name"));
  return deps_->db->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, ids.campaign));
    absl::StatusOr<Submission> s =
        store::GetSubmission(tx, ids.campaign, ids.submission);
    if (IsOrganiser(p, c)) {
      if (!s.ok()) return s.status();
      *out = *std::move(s);
      return absl::OkStatus();
    }
    if (!s.ok()) {
      return absl::IsNotFound(s.status()) ? Denied(req.name()) : s.status();
    }
    if (ActsForApplicant(p, s->enterprise(), s->region())) {
      ApplicantView(c, *s);
    } else {
      ASSIGN_OR_RETURN(bool reviewer, IsAssignedReviewer(tx, p, ids));
      if (!reviewer) return Denied(req.name());
      ReviewerView(*s);
    }
    *out = *std::move(s);
    return absl::OkStatus();
  });
}

absl::Status SubmissionManager::List(const auth::Principal& p,
                                     const v1::ListSubmissionsRequest& req,
                                     v1::ListSubmissionsResponse* out) {
  FieldViolations v;
  absl::StatusOr<std::string> cid =
      api::ParseName(req.parent(), "campaigns", "parent");
  v.AddFrom(cid.status());
  const int page_size = api::PageSize(req.page_size(), v);
  if (!req.region().empty() && deps_->regions->Find(req.region()) == nullptr) {
    v.Add("region", "is not a known region (\"regions/<code>\")");
  }
  if (!req.enterprise().empty()) {
    v.AddFrom(
        api::ParseName(req.enterprise(), "enterprises", "enterprise").status());
  }
  RETURN_IF_ERROR(v.ToStatus());
  return deps_->db->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, *cid));
    store::SubmissionQuery q{.campaign_id = *cid,
                             .region = req.region(),
                             .state = req.state(),
                             .result = req.result(),
                             .enterprise = req.enterprise()};
    const bool organiser = IsOrganiser(p, c);
    if (!organiser) {
      if (p.role == auth::Role::kMember) {
        if (!req.enterprise().empty() && req.enterprise() != p.organization) {
          return auth::PermissionDenied(
              "a member lists only its own organisation's submissions");
        }
        q.enterprise = p.organization;
      } else if (p.role == auth::Role::kIntegrator) {
        if (req.region().empty() || !p.CoversRegion(req.region())) {
          return auth::PermissionDenied(
              "an integrator lists submissions of one of its regions: set "
              "region");
        }
      } else {
        return auth::PermissionDenied(absl::StrCat(
            "only organisers and applicants list the submissions of ",
            c.name()));
      }
      // Applicants do not filter by results before they are published.
      if (c.state() != Campaign::PUBLISHED)
        q.result = Decision::RESULT_UNSPECIFIED;
    }
    const std::string query =
        absl::StrCat("submissions|", q.campaign_id, "|", q.region, "|", q.state,
                     "|", q.result, "|", q.enterprise);
    ASSIGN_OR_RETURN(q.after_id, api::DecodePageToken(req.page_token(), query));
    q.limit = page_size + 1;
    ASSIGN_OR_RETURN(auto subs, store::ListSubmissions(tx, q));
    ASSIGN_OR_RETURN(int64_t total, store::CountSubmissions(tx, q));
    const bool more = static_cast<int>(subs.size()) > page_size;
    if (more) subs.pop_back();
    for (auto& s : subs) {
      if (!organiser) ApplicantView(c, s);
      *out->add_submissions() = std::move(s);
    }
    if (more) {
      ASSIGN_OR_RETURN(
          SubmissionIds last,
          ParseSubmissionName(out->submissions(page_size - 1).name(), "name"));
      out->set_next_page_token(api::EncodePageToken(query, last.submission));
    }
    out->set_total_size(static_cast<int32_t>(total));
    return absl::OkStatus();
  });
}

absl::Status SubmissionManager::Withdraw(
    const auth::Principal& p, const v1::WithdrawSubmissionRequest& req,
    Submission* out) {
  FieldViolations v;
  ValidateRequestId(req.request_id(), v);
  absl::StatusOr<SubmissionIds> ids = ParseSubmissionName(req.name(), "name");
  v.AddFrom(ids.status());
  RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = deps_->clock->Now();
  return deps_->requests->RunOnce(
      *deps_->db, p.subject, "WithdrawSubmission", req.request_id(), req, out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, ids->campaign));
        const bool organiser = IsOrganiser(p, c);
        absl::StatusOr<Submission> s =
            store::GetSubmission(tx, ids->campaign, ids->submission);
        if (!s.ok()) {
          return absl::IsNotFound(s.status()) && !organiser ? Denied(req.name())
                                                            : s.status();
        }
        if (!organiser && !ActsForApplicant(p, s->enterprise(), s->region())) {
          return Denied(req.name());
        }
        RETURN_IF_ERROR(
            RequireState(c, Campaign::OPEN, "withdrawing a submission"));
        if (s->state() != Submission::SUBMITTED) {
          return WithErrorInfo(absl::FailedPreconditionError(absl::StrCat(
                                   req.name(), " is already withdrawn")),
                               "SUBMISSION_STATE");
        }
        s->set_state(Submission::WITHDRAWN);
        ToProtoTime(now, s->mutable_update_time());
        RETURN_IF_ERROR(store::UpdateSubmission(tx, *s));
        RETURN_IF_ERROR(deps_->events.Submission(
            tx, kSubmissionWithdrawn, *s, c,
            {.actor = p.subject, .request_id = req.request_id()}, now));
        if (!organiser) ApplicantView(c, *s);
        *out = *std::move(s);
        return absl::OkStatus();
      });
}

absl::Status SubmissionManager::Appeal(const auth::Principal& p,
                                       const v1::AppealDecisionRequest& req,
                                       Submission* out) {
  FieldViolations v;
  ValidateRequestId(req.request_id(), v);
  absl::StatusOr<SubmissionIds> ids = ParseSubmissionName(req.name(), "name");
  v.AddFrom(ids.status());
  validation::CheckText(v, "reason", req.reason(), 2000, true);
  RETURN_IF_ERROR(v.ToStatus("invalid appeal"));
  const absl::Time now = deps_->clock->Now();
  return deps_->requests->RunOnce(
      *deps_->db, p.subject, "AppealDecision", req.request_id(), req, out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, ids->campaign));
        absl::StatusOr<Submission> s =
            store::GetSubmission(tx, ids->campaign, ids->submission);
        if (!s.ok()) {
          return absl::IsNotFound(s.status()) && !p.IsGlobal()
                     ? Denied(req.name())
                     : s.status();
        }
        if (!p.IsGlobal() &&
            !ActsForApplicant(p, s->enterprise(), s->region())) {
          return Denied(req.name());
        }
        RETURN_IF_ERROR(RequireState(c, Campaign::PUBLISHED, "an appeal"));
        const absl::Time deadline = AppealDeadline(c);
        if (now >= deadline) {
          const std::string description =
              c.appeal_window_days() == 0
                  ? std::string("this campaign accepts no appeals")
                  : absl::StrCat("appeals closed at ",
                                 absl::FormatTime(deadline));
          return PreconditionFailed(absl::StrCat(c.name(), ": ", description),
                                    "APPEAL_WINDOW", c.name(), description,
                                    "APPEAL_WINDOW_CLOSED");
        }
        if (s->state() != Submission::DECIDED ||
            s->decision().result() == Decision::PASSED ||
            s->review_round() > 0) {
          const std::string description =
              s->state() == Submission::APPEALED || s->review_round() > 0
                  ? "a submission may be appealed once"
              : s->state() != Submission::DECIDED
                  ? "only decided submissions may be appealed"
                  : "a passed submission has nothing to appeal";
          return PreconditionFailed(absl::StrCat(req.name(), ": ", description),
                                    "APPEALABLE", req.name(), description,
                                    "NOT_APPEALABLE");
        }
        *s->add_previous_decisions() = s->decision();
        s->clear_decision();
        s->set_review_round(s->review_round() + 1);
        s->set_state(Submission::APPEALED);
        s->set_appeal_reason(req.reason());
        ToProtoTime(now, s->mutable_appeal_time());
        ToProtoTime(now, s->mutable_update_time());
        RETURN_IF_ERROR(store::UpdateSubmission(tx, *s));
        // New reviewers, none of whom reviewed it before.
        RETURN_IF_ERROR(
            AssignReviewers(tx, c, /*include_submitted=*/false, now).status());
        RETURN_IF_ERROR(deps_->events.Submission(
            tx, kSubmissionAppealed, *s, c,
            {.actor = p.subject, .request_id = req.request_id()}, now));
        *out = *std::move(s);
        return absl::OkStatus();
      });
}

}  // namespace jalin::curation
