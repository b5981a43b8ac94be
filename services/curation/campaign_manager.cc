#include "services/curation/campaign_manager.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/api/field_mask.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/auth/policy.h"
#include "common/ids.h"
#include "common/proto_time.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/curation/campaign_rules.h"
#include "services/curation/campaign_store.h"
#include "services/curation/curation_access.h"
#include "services/curation/curation_errors.h"
#include "services/curation/decision_runner.h"
#include "services/curation/panel_assigner.h"
#include "services/curation/progress_store.h"
#include "services/curation/submission_store.h"

namespace jalin::curation {

using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::CampaignActionRequest;
using ::jalin::curation::v1::Submission;
using v1::CampaignProgress;

namespace {

// Fields a client never sets.
const std::vector<std::string>& OutputOnly() {
  static const auto* fields = new std::vector<std::string>{
      "name",        "state",        "create_time",
      "update_time", "publish_time", "decide_time"};
  return *fields;
}

void ClearOutputOnly(Campaign& c) {
  c.clear_name();
  c.clear_state();
  c.clear_create_time();
  c.clear_update_time();
  c.clear_publish_time();
  c.clear_decide_time();
}

EventOrigin Origin(const auth::Principal& p, absl::string_view request_id) {
  return {.actor = p.subject, .request_id = std::string(request_id)};
}

}  // namespace

absl::Status CampaignManager::Create(const auth::Principal& p,
                                     const v1::CreateCampaignRequest& req,
                                     Campaign* out) {
  // Scope first: a facilitator learns nothing about campaigns elsewhere.
  if (!req.campaign().region().empty() && !p.IsGlobal() &&
      !p.CoversRegion(req.campaign().region())) {
    return auth::PermissionDenied(
        absl::StrCat("campaigns in ", api::Abbreviate(req.campaign().region()),
                     " are outside the caller's regions"));
  }
  FieldViolations v;
  ValidateRequestId(req.request_id(), v);
  if (!req.campaign_id().empty() && !api::IsValidId(req.campaign_id())) {
    v.Add("campaign_id",
          "must be 1-63 lower-case letters, digits or '-', starting with a "
          "letter or digit");
  }
  Campaign c = req.campaign();
  ClearOutputOnly(c);
  ApplyCampaignDefaults(c);
  ValidateCampaign(c, *deps_->regions, v);
  RETURN_IF_ERROR(v.ToStatus("invalid campaign"));

  const absl::Time now = deps_->clock->Now();
  const std::string id =
      req.campaign_id().empty() ? NewUlid(now) : req.campaign_id();
  c.set_name(absl::StrCat("campaigns/", id));
  c.set_state(Campaign::DRAFT);
  ToProtoTime(now, c.mutable_create_time());
  ToProtoTime(now, c.mutable_update_time());
  return deps_->requests->RunOnce(
      *deps_->db, p.subject, "CreateCampaign", req.request_id(), req, out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(bool exists, store::CampaignExists(tx, id));
        if (exists) {
          return WithErrorInfo(absl::AlreadyExistsError(
                                   absl::StrCat(c.name(), " already exists")),
                               "CAMPAIGN_EXISTS", {{"campaign", c.name()}});
        }
        RETURN_IF_ERROR(store::InsertCampaign(tx, c));
        RETURN_IF_ERROR(deps_->events.Campaign(
            tx, kCampaignCreated, c, Origin(p, req.request_id()), now));
        *out = c;
        return absl::OkStatus();
      });
}

absl::Status CampaignManager::Get(const auth::Principal& /*p*/,
                                  const v1::GetCampaignRequest& req,
                                  Campaign* out) {
  ASSIGN_OR_RETURN(std::string id,
                   api::ParseName(req.name(), "campaigns", "name"));
  return deps_->db->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(*out, store::GetCampaign(tx, id));
    return absl::OkStatus();
  });
}

absl::Status CampaignManager::List(const auth::Principal& /*p*/,
                                   const v1::ListCampaignsRequest& req,
                                   v1::ListCampaignsResponse* out) {
  FieldViolations v;
  const int page_size = api::PageSize(req.page_size(), v);
  if (!req.region().empty() && deps_->regions->Find(req.region()) == nullptr) {
    v.Add("region", "is not a known region (\"regions/<code>\")");
  }
  RETURN_IF_ERROR(v.ToStatus());
  const std::string query =
      absl::StrCat("campaigns|", req.region(), "|", req.state());
  ASSIGN_OR_RETURN(std::string after,
                   api::DecodePageToken(req.page_token(), query));
  return deps_->db->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(auto campaigns,
                     store::ListCampaigns(tx, {.region = req.region(),
                                               .state = req.state(),
                                               .after_id = after,
                                               .limit = page_size + 1}));
    const bool more = static_cast<int>(campaigns.size()) > page_size;
    if (more) campaigns.pop_back();
    for (auto& c : campaigns) *out->add_campaigns() = std::move(c);
    if (more) {
      out->set_next_page_token(api::EncodePageToken(
          query, store::CampaignId(out->campaigns(page_size - 1))));
    }
    return absl::OkStatus();
  });
}

absl::Status CampaignManager::Update(const auth::Principal& p,
                                     const v1::UpdateCampaignRequest& req,
                                     Campaign* out) {
  FieldViolations v;
  ValidateRequestId(req.request_id(), v);
  absl::StatusOr<std::string> id =
      api::ParseName(req.campaign().name(), "campaigns", "campaign.name");
  v.AddFrom(id.status());
  RETURN_IF_ERROR(v.ToStatus("invalid update"));
  const absl::Time now = deps_->clock->Now();
  return deps_->requests->RunOnce(
      *deps_->db, p.subject, "UpdateCampaign", req.request_id(), req, out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, *id));
        RETURN_IF_ERROR(RequireOrganiser(p, c));
        RETURN_IF_ERROR(RequireState(c, Campaign::DRAFT, "an update"));
        Campaign updated = c;
        FieldViolations mv;
        api::ApplyFieldMask(req.campaign(), req.update_mask(), OutputOnly(),
                            &updated, mv);
        RETURN_IF_ERROR(mv.ToStatus("invalid update_mask"));
        ApplyCampaignDefaults(updated);
        FieldViolations cv;
        ValidateCampaign(updated, *deps_->regions, cv);
        RETURN_IF_ERROR(cv.ToStatus("invalid campaign"));
        if (updated.region() != c.region() && !p.IsGlobal() &&
            !p.CoversRegion(updated.region())) {
          return auth::PermissionDenied(
              absl::StrCat("campaigns in ", updated.region(),
                           " are outside the caller's regions"));
        }
        ToProtoTime(now, updated.mutable_update_time());
        RETURN_IF_ERROR(store::UpdateCampaign(tx, updated));
        RETURN_IF_ERROR(deps_->events.Campaign(
            tx, kCampaignUpdated, updated, Origin(p, req.request_id()), now));
        *out = updated;
        return absl::OkStatus();
      });
}

absl::Status CampaignManager::Transition(
    const auth::Principal& p, absl::string_view method,
    const CampaignActionRequest& req, absl::string_view event_type,
    absl::FunctionRef<absl::Status(storage::Transaction&, Campaign&,
                                   absl::Time)>
        change,
    Campaign* out) {
  FieldViolations v;
  ValidateRequestId(req.request_id(), v);
  absl::StatusOr<std::string> id =
      api::ParseName(req.name(), "campaigns", "name");
  v.AddFrom(id.status());
  RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = deps_->clock->Now();
  return deps_->requests->RunOnce(
      *deps_->db, p.subject, method, req.request_id(), req, out,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, *id));
        RETURN_IF_ERROR(RequireOrganiser(p, c));
        RETURN_IF_ERROR(change(tx, c, now));
        ToProtoTime(now, c.mutable_update_time());
        RETURN_IF_ERROR(store::UpdateCampaign(tx, c));
        if (!event_type.empty()) {
          RETURN_IF_ERROR(deps_->events.Campaign(
              tx, event_type, c, Origin(p, req.request_id()), now));
        }
        *out = c;
        return absl::OkStatus();
      });
}

absl::Status CampaignManager::Open(const auth::Principal& p,
                                   const CampaignActionRequest& req,
                                   Campaign* out) {
  return Transition(
      p, "OpenCampaign", req, kCampaignOpened,
      [&](storage::Transaction&, Campaign& c, absl::Time now) {
        RETURN_IF_ERROR(RequireState(c, Campaign::DRAFT, "opening"));
        const absl::Time end = FromProtoTime(c.submission_end_time());
        if (now >= end) {
          const std::string description = absl::StrCat(
              "the submission window ended at ", absl::FormatTime(end),
              "; update the window before opening");
          return PreconditionFailed(absl::StrCat(c.name(), ": ", description),
                                    "SUBMISSION_WINDOW", c.name(), description,
                                    "SUBMISSION_WINDOW_OVER");
        }
        c.set_state(Campaign::OPEN);
        return absl::OkStatus();
      },
      out);
}

absl::Status CampaignManager::Close(const auth::Principal& p,
                                    const CampaignActionRequest& req,
                                    Campaign* out) {
  return Transition(
      p, "CloseCampaign", req, kCampaignClosed,
      [&](storage::Transaction& tx, Campaign& c, absl::Time now) {
        RETURN_IF_ERROR(RequireState(c, Campaign::OPEN, "closing"));
        RETURN_IF_ERROR(
            AssignReviewers(tx, c, /*include_submitted=*/true, now).status());
        c.set_state(Campaign::CLOSED);
        return absl::OkStatus();
      },
      out);
}

absl::Status CampaignManager::Decide(const auth::Principal& p,
                                     const CampaignActionRequest& req,
                                     Campaign* out) {
  return Transition(
      p, "DecideCampaign", req, /*event_type=*/"",
      [&](storage::Transaction& tx, Campaign& c, absl::Time now) {
        const EventOrigin origin = Origin(p, req.request_id());
        if (c.state() == Campaign::PUBLISHED) {
          ASSIGN_OR_RETURN(std::vector<Submission> decided,
                           DecideAppeals(tx, c, now));
          for (const Submission& s : decided) {
            RETURN_IF_ERROR(deps_->events.Submission(tx, kSubmissionDecided, s,
                                                     c, origin, now));
          }
          return absl::OkStatus();
        }
        RETURN_IF_ERROR(RequireState(c, Campaign::CLOSED, "deciding"));
        RETURN_IF_ERROR(DecideSubmissions(tx, c, now).status());
        c.set_state(Campaign::DECIDED);
        ToProtoTime(now, c.mutable_decide_time());
        return deps_->events.Campaign(tx, kCampaignDecided, c, origin, now);
      },
      out);
}

absl::Status CampaignManager::Publish(const auth::Principal& p,
                                      const CampaignActionRequest& req,
                                      Campaign* out) {
  return Transition(
      p, "PublishCampaign", req, kCampaignPublished,
      [&](storage::Transaction& tx, Campaign& c, absl::Time now) {
        RETURN_IF_ERROR(RequireState(c, Campaign::DECIDED, "publishing"));
        c.set_state(Campaign::PUBLISHED);
        ToProtoTime(now, c.mutable_publish_time());
        const EventOrigin origin = Origin(p, req.request_id());
        // One event per applicant, in the same transaction as the state
        // change: a crash publishes all of them or none.
        return store::ForEachSubmissionIn(
            tx, store::CampaignId(c), Submission::DECIDED, [&](Submission& s) {
              return deps_->events.Submission(tx, kSubmissionDecided, s, c,
                                              origin, now);
            });
      },
      out);
}

absl::Status CampaignManager::Progress(
    const auth::Principal& p, const v1::GetCampaignProgressRequest& req,
    CampaignProgress* out) {
  ASSIGN_OR_RETURN(std::string id,
                   api::ParseName(req.name(), "campaigns", "name"));
  return deps_->db->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Campaign c, store::GetCampaign(tx, id));
    if (!MayReadProgress(p, c)) {
      return auth::PermissionDenied(absl::StrCat(
          "progress of ", c.name(),
          " is for its organisers, curators and viewers of ", c.region()));
    }
    ASSIGN_OR_RETURN(*out, store::LoadProgress(tx, id));
    // Decisions are the organisers' until publication.
    if (!IsOrganiser(p, c) && c.state() != Campaign::PUBLISHED) {
      store::ClearResults(*out);
    }
    return absl::OkStatus();
  });
}

}  // namespace jalin::curation
