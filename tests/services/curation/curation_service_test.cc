// jalin-curation over gRPC, as a real process: the error model at the edge
// (named violations, precondition failures, permission before existence),
// permissions of reviewers and applicants, and the verification queue fed
// by registry events on the real Redis stream.

#include <map>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/events/event_builder.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/violations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/curation_events.pb.h"
#include "jalin/events/v1/registry_events.pb.h"
#include "services/curation/curation_errors.h"
#include "tests/services/curation/service_fixture.h"
#include "tests/services/curation/test_campaigns.h"

namespace jalin::curation::testing {
namespace {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::Reviewer;
using ::jalin::curation::v1::Submission;
using ::jalin::curation::v1::VerificationTask;
using ::jalin::testing::ErrorReason;
using ::jalin::testing::ViolatedFields;
using ::testing::HasSubstr;

class CurationServiceTest : public ServiceFixture {
 protected:
  // A campaign open now with two applicants (Karanganyar and Sukoharjo)
  // and four reviewers from elsewhere, closed: every submission has three.
  void ClosedCampaign() {
    v1::CreateCampaignRequest create;
    const absl::Time now = absl::Now();
    *create.mutable_campaign() =
        StandardCampaign(now - absl::Minutes(1), now + absl::Hours(1), 1, 50);
    ASSERT_TRUE(
        Call(&Stub::CreateCampaign, create, &campaign_, AdminToken()).ok());
    v1::CampaignActionRequest action;
    action.set_name(campaign_.name());
    ASSERT_TRUE(
        Call(&Stub::OpenCampaign, action, &campaign_, AdminToken()).ok());
    for (auto [id, region] :
         {std::pair<const char*, const char*>{"sari", "regions/33.13"},
          {"makmur", "regions/33.11"}}) {
      registry_->Put(MakeEnterprise(id, region, {"clusters/jamu"}));
      v1::CreateSubmissionRequest req;
      req.set_parent(campaign_.name());
      req.mutable_submission()->set_enterprise(
          absl::StrCat("enterprises/", id));
      req.mutable_submission()->set_product_name("Jamu Kunyit Asam");
      Submission s;
      grpc::Status st = Call(&Stub::CreateSubmission, req, &s,
                             MemberToken(req.submission().enterprise()));
      ASSERT_TRUE(st.ok()) << st.error_message();
      subs_.push_back(s);
    }
    for (const char* region :
         {"regions/34", "regions/35", "regions/36", "regions/51"}) {
      v1::AddReviewerRequest add;
      add.set_parent(campaign_.name());
      add.mutable_reviewer()->set_subject(absl::StrCat("users/k-", region + 8));
      add.mutable_reviewer()->add_regions(region);
      Reviewer r;
      ASSERT_TRUE(Call(&Stub::AddReviewer, add, &r, AdminToken()).ok());
      subject_of_[r.name()] = r.subject();
    }
    ASSERT_TRUE(
        Call(&Stub::CloseCampaign, action, &campaign_, AdminToken()).ok());
    v1::ListAssignmentsRequest list;
    list.set_parent(campaign_.name());
    v1::ListAssignmentsResponse resp;
    ASSERT_TRUE(Call(&Stub::ListAssignments, list, &resp, AdminToken()).ok());
    assignments_.assign(resp.assignments().begin(), resp.assignments().end());
    ASSERT_EQ(assignments_.size(), 6u);
  }

  grpc::Status Review(const std::string& token, const std::string& submission,
                      std::map<std::string, int> scores) {
    v1::SubmitReviewRequest req;
    req.set_submission(submission);
    for (const auto& [c, v] : scores) {
      (*req.mutable_review()->mutable_scores())[c] = v;
    }
    v1::Review out;
    return Call(&Stub::SubmitReview, req, &out, token);
  }

  Campaign campaign_;
  std::vector<Submission> subs_;
  std::map<std::string, std::string> subject_of_;
  std::vector<Assignment> assignments_;
};

TEST_F(CurationServiceTest, RubricWeightsNotSummingToHundredAreNamed) {
  v1::CreateCampaignRequest req;
  *req.mutable_campaign() =
      StandardCampaign(absl::Now(), absl::Now() + absl::Hours(1), 10, 50);
  req.mutable_campaign()->mutable_criteria(4)->set_weight(25);
  Campaign out;
  grpc::Status s = Call(&Stub::CreateCampaign, req, &out, AdminToken());
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<std::string> fields = ViolatedFields(s);
  EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()),
            (std::set<std::string>{"campaign.criteria"}));
  EXPECT_THAT(s.error_message(), HasSubstr("weights sum to 110"));
  // Nothing was stored.
  v1::ListCampaignsRequest list;
  v1::ListCampaignsResponse campaigns;
  ASSERT_TRUE(Call(&Stub::ListCampaigns, list, &campaigns, AdminToken()).ok());
  EXPECT_EQ(campaigns.campaigns_size(), 0);
}

// A bad value of 100,000 characters is named, not repeated whole: the
// status message and details travel as gRPC metadata, which C++ clients
// (the gateway, jalinctl) refuse above 8 KiB with RESOURCE_EXHAUSTED.
TEST_F(CurationServiceTest, AHugeBadRegionIsNamedNotRepeated) {
  const std::string huge = "regions/" + std::string(100'000, '9');
  v1::CreateCampaignRequest req;
  *req.mutable_campaign() =
      StandardCampaign(absl::Now(), absl::Now() + absl::Hours(1));
  req.mutable_campaign()->set_region(huge);
  Campaign out;
  grpc::Status s = Call(&Stub::CreateCampaign, req, &out, AdminToken());
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message().substr(0, 200);
  EXPECT_EQ(ViolatedFields(s), std::vector<std::string>{"campaign.region"});
  EXPECT_THAT(s.error_message(), HasSubstr("regions/999"));
  EXPECT_LT(s.error_message().size(), 300u);

  // A facilitator elsewhere is refused on scope first, naming the region.
  auth::Principal facilitator;
  facilitator.subject = "users/fasilitator-sragen";
  facilitator.role = auth::Role::kFacilitator;
  facilitator.regions = {"33.14"};
  s = Call(&Stub::CreateCampaign, req, &out, suite_->Token(facilitator));
  ASSERT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << s.error_message().substr(0, 200);
  EXPECT_THAT(s.error_message(), HasSubstr("campaigns in regions/999"));
  EXPECT_LT(s.error_message().size(), 300u);
}

TEST_F(CurationServiceTest, SubmissionOutsideTheWindowNamesTheWindow) {
  v1::CreateCampaignRequest create;
  *create.mutable_campaign() = StandardCampaign(
      absl::Now() + absl::Hours(24), absl::Now() + absl::Hours(48), 10, 50);
  Campaign c;
  ASSERT_TRUE(Call(&Stub::CreateCampaign, create, &c, AdminToken()).ok());
  v1::CampaignActionRequest open;
  open.set_name(c.name());
  ASSERT_TRUE(Call(&Stub::OpenCampaign, open, &c, AdminToken()).ok());
  registry_->Put(MakeEnterprise("dini", "regions/33.13", {}));
  v1::CreateSubmissionRequest req;
  req.set_parent(c.name());
  req.mutable_submission()->set_enterprise("enterprises/dini");
  req.mutable_submission()->set_product_name("Batik Tulis");
  Submission s;
  grpc::Status st =
      Call(&Stub::CreateSubmission, req, &s, MemberToken("enterprises/dini"));
  ASSERT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(st), "SUBMISSION_WINDOW_NOT_OPEN");
  auto failure = GetPreconditionFailure(FromGrpcStatus(st));
  ASSERT_TRUE(failure.has_value());
  ASSERT_EQ(failure->violations_size(), 1);
  EXPECT_EQ(failure->violations(0).type(), "SUBMISSION_WINDOW");
  EXPECT_EQ(failure->violations(0).subject(), c.name());
  EXPECT_THAT(failure->violations(0).description(),
              HasSubstr("submissions open at"));
  auto info = GetErrorInfo(FromGrpcStatus(st));
  EXPECT_EQ(info->domain(), "curation.jalin");
}

TEST_F(CurationServiceTest, OnlyTheAssignedReviewerScoresAndWithinRange) {
  ClosedCampaign();
  const Assignment& a = assignments_[0];
  std::set<std::string> assigned;
  for (const auto& b : assignments_) {
    if (b.submission() == a.submission()) assigned.insert(b.reviewer());
  }
  std::string outsider;
  for (const auto& [name, subject] : subject_of_) {
    if (!assigned.contains(name)) outsider = subject;
  }
  ASSERT_FALSE(outsider.empty());
  const std::map<std::string, int> good = {{"quality", 4},
                                           {"packaging", 4},
                                           {"legality", 4},
                                           {"market", 4},
                                           {"digital", 4}};
  grpc::Status denied = Review(CuratorToken(outsider), a.submission(), good);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A facilitator or admin may not score either: only the reviewer.
  EXPECT_EQ(Review(AdminToken(), a.submission(), good).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorReason(Review(AdminToken(), a.submission(), good)),
            "ROLE_NOT_ALLOWED");

  const std::string mine = CuratorToken(subject_of_.at(a.reviewer()));
  std::map<std::string, int> bad = good;
  bad["packaging"] = 9;
  bad["quality"] = 0;
  grpc::Status out_of_range = Review(mine, a.submission(), bad);
  ASSERT_EQ(out_of_range.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<std::string> fields = ViolatedFields(out_of_range);
  EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()),
            (std::set<std::string>{"review.scores[packaging]",
                                   "review.scores[quality]"}));
  EXPECT_TRUE(Review(mine, a.submission(), good).ok());

  // A score for a criterion whose name is 100,000 characters long: the
  // path that names it holds the name abbreviated.
  std::map<std::string, int> unknown = good;
  unknown[std::string(100'000, 'k')] = 3;
  grpc::Status huge_key = Review(mine, a.submission(), unknown);
  ASSERT_EQ(huge_key.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << huge_key.error_message().substr(0, 200);
  EXPECT_EQ(ViolatedFields(huge_key),
            std::vector<std::string>{
                absl::StrCat("review.scores[", std::string(64, 'k'), "...]")});
}

TEST_F(CurationServiceTest, ApplicantsReadOnlyTheirOwnAndNoScores) {
  ClosedCampaign();
  const std::string sari = MemberToken("enterprises/sari");
  const Submission& other =
      subs_[0].enterprise() == "enterprises/sari" ? subs_[1] : subs_[0];
  const Submission& own =
      subs_[0].enterprise() == "enterprises/sari" ? subs_[0] : subs_[1];
  v1::GetSubmissionRequest get;
  get.set_name(other.name());
  Submission s;
  grpc::Status st = Call(&Stub::GetSubmission, get, &s, sari);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A name that does not exist gets the same answer.
  get.set_name(campaign_.name() + "/submissions/none");
  grpc::Status ghost = Call(&Stub::GetSubmission, get, &s, sari);
  EXPECT_EQ(ghost.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  get.set_name(own.name());
  ASSERT_TRUE(Call(&Stub::GetSubmission, get, &s, sari).ok());
  EXPECT_EQ(s.enterprise(), "enterprises/sari");

  v1::ListReviewsRequest reviews;
  reviews.set_parent(other.name());
  v1::ListReviewsResponse r;
  EXPECT_EQ(Call(&Stub::ListReviews, reviews, &r, sari).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  reviews.set_parent(own.name());
  EXPECT_EQ(Call(&Stub::ListReviews, reviews, &r, sari).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListSubmissionsRequest list;
  list.set_parent(campaign_.name());
  list.set_enterprise(other.enterprise());
  v1::ListSubmissionsResponse page;
  EXPECT_EQ(Call(&Stub::ListSubmissions, list, &page, sari).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::GetCampaignProgressRequest progress;
  progress.set_name(campaign_.name());
  v1::CampaignProgress p;
  EXPECT_EQ(Call(&Stub::GetCampaignProgress, progress, &p, sari).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorReason(Call(&Stub::GetCampaignProgress, progress, &p, sari)),
            "ROLE_NOT_ALLOWED");
  // Without a token, nothing at all.
  EXPECT_EQ(Call(&Stub::GetSubmission, get, &s, "").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(CurationServiceTest, RegistryEventsFeedTheVerificationQueue) {
  // Two registry records with one NIB, as the registry's relay writes them.
  for (const char* id : {"tua", "baru"}) {
    jalin::events::v1::EnterpriseEvent payload;
    *payload.mutable_enterprise() =
        MakeEnterprise(id, "regions/33.13", {}, "Batik Sekar");
    payload.mutable_enterprise()->set_nib("9120001234567");
    auto e = events::MakeEvent({.service = "registry",
                                .type = "jalin.registry.enterprise.created",
                                .subject = payload.enterprise().name(),
                                .regions = {"regions/33.13"}},
                               payload, absl::Now());
    auto r =
        redis_->Command({"XADD", "jalin.registry.events", "*", "id", e.id(),
                         "type", e.type(), "event", e.SerializeAsString()});
    ASSERT_TRUE(r.ok()) << r.status();
  }
  const std::string curator = CuratorToken("users/kurator", {"33.13"});
  v1::ListVerificationTasksRequest list;
  list.set_state(VerificationTask::OPEN);
  v1::ListVerificationTasksResponse tasks;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    tasks.Clear();
    ASSERT_TRUE(Call(&Stub::ListVerificationTasks, list, &tasks, curator).ok());
    if (tasks.tasks_size() > 0) break;
    // A new task is announced on the curation stream: wait for the stream
    // to grow (at most briefly) before asking again.
    redis_
        ->Command(
            {"XREAD", "BLOCK", "100", "STREAMS", "jalin.curation.events", "$"},
            absl::Seconds(2))
        .IgnoreError();
  }
  ASSERT_EQ(tasks.tasks_size(), 1);
  const VerificationTask& t = tasks.tasks(0);
  EXPECT_EQ(t.record(), "enterprises/baru");
  EXPECT_EQ(t.reason(), VerificationTask::DUPLICATE_NIB);

  v1::ResolveVerificationTaskRequest resolve;
  resolve.set_name(t.name());
  resolve.set_resolution(VerificationTask::MERGE);
  resolve.set_merge_into("enterprises/tua");
  resolve.set_request_id("merge-baru");
  VerificationTask done;
  ASSERT_TRUE(
      Call(&Stub::ResolveVerificationTask, resolve, &done, curator).ok());
  EXPECT_EQ(done.state(), VerificationTask::RESOLVED);
  // The registry follows the resolved event on the curation stream.
  jalin::events::v1::VerificationEvent payload;
  const absl::Time until = absl::Now() + absl::Seconds(20);
  bool seen = false;
  while (!seen && absl::Now() < until) {
    for (const auto& e : StreamEvents("jalin.curation.events")) {
      if (e.type() == "jalin.curation.verification.resolved") {
        ASSERT_TRUE(e.data().UnpackTo(&payload));
        seen = true;
      }
    }
    if (!seen) {
      redis_
          ->Command({"XREAD", "BLOCK", "200", "STREAMS",
                     "jalin.curation.events", "$"},
                    absl::Seconds(2))
          .IgnoreError();
    }
  }
  ASSERT_TRUE(seen);
  EXPECT_EQ(payload.task().record(), "enterprises/baru");
  EXPECT_EQ(payload.task().resolution(), VerificationTask::MERGE);
  EXPECT_EQ(payload.task().merge_into(), "enterprises/tua");
}

}  // namespace
}  // namespace jalin::curation::testing
