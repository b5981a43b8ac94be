// Defects found by an audit of the curation service, each pinned by a test:
// replays after the world changed, reviewers who leave and come back,
// progress before publication, province filters, and review violations
// named together.

#include <set>
#include <string>
#include <vector>

#include "common/testing/violations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/curation/curation_errors.h"
#include "tests/services/curation/curation_fixture.h"

namespace jalin::curation::testing {
namespace {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::Reviewer;
using ::jalin::curation::v1::Submission;
using ::jalin::testing::ErrorReason;
using ::jalin::testing::ViolatedFields;
using ::testing::UnorderedElementsAre;

using CurationAuditTest = CurationFixture;

auth::Principal Integrator(std::vector<std::string> regions) {
  auth::Principal p;
  p.subject = "users/integrator";
  p.role = auth::Role::kIntegrator;
  p.regions = std::move(regions);
  return p;
}

TEST_F(CurationAuditTest, CreateSubmissionReplayReturnsTheFirstAnswer) {
  Campaign c = OpenCampaign(/*quota=*/5, /*threshold=*/50, /*reviewers=*/1);
  auto first =
      Apply(Admin(), c, "replay", "regions/33.13", {}, "Jamu", "sub-1");
  ASSERT_TRUE(first.ok()) << first.status();
  AddReviewer(c, "users/r-bali", {"regions/51"});
  ASSERT_TRUE(Action(&CampaignManager::Close, c).ok());

  // The campaign is closed and the registry is down: the replay still gets
  // the submission it created, and nothing happens twice.
  registry_.SetDown(true);
  const int calls = registry_.calls();
  auto again = ApplyFor(Admin(), c, "enterprises/replay", "Jamu", "sub-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->name(), first->name());
  EXPECT_EQ(registry_.calls(), calls) << "a replay does not ask the registry";
  EXPECT_EQ(OutboxEvents("jalin.curation.submission.received").size(), 1u);

  // A new request is still refused, and the id stays bound to its request.
  auto fresh = ApplyFor(Admin(), c, "enterprises/replay", "Jamu", "sub-2");
  EXPECT_EQ(fresh.status().code(), absl::StatusCode::kFailedPrecondition);
  auto reused = ApplyFor(Admin(), c, "enterprises/replay", "Tempe", "sub-1");
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(reused.status()),
              UnorderedElementsAre("request_id"));
}

TEST_F(CurationAuditTest, AReviewerAddedAgainNeverGetsAnAppealItReviewed) {
  Campaign c = OpenCampaign(/*quota=*/1, /*threshold=*/50, /*reviewers=*/1);
  auto s = Apply(Admin(), c, "appellant", "regions/33.13", {});
  ASSERT_TRUE(s.ok()) << s.status();
  const Reviewer first = AddReviewer(c, "users/r-bali", {"regions/51"});
  ASSERT_TRUE(Action(&CampaignManager::Close, c).ok());
  ASSERT_TRUE(Review("users/r-bali", s->name(), {1, 1, 1, 1, 1}).ok());
  ASSERT_TRUE(Action(&CampaignManager::Decide, c).ok());
  ASSERT_TRUE(Action(&CampaignManager::Publish, c).ok());

  // The curator leaves the panel and is added again.
  v1::RemoveReviewerRequest rm;
  rm.set_name(first.name());
  google::protobuf::Empty empty;
  ASSERT_TRUE(panel_->RemoveReviewer(Admin(), rm, &empty).ok());
  const Reviewer again = AddReviewer(c, "users/r-bali", {"regions/51"});
  EXPECT_EQ(again.name(), first.name()) << "the same person, the same reviewer";
  EXPECT_EQ(again.reviewed_assignments(), 1);

  v1::AppealDecisionRequest appeal;
  appeal.set_name(s->name());
  appeal.set_reason("Sertifikat halal kami sudah terbit.");
  Submission appealed;
  absl::Status refused =
      submissions_->Appeal(Member(s->enterprise()), appeal, &appealed);
  ASSERT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_EQ(ErrorReason(refused), "NOT_ENOUGH_REVIEWERS");

  // With another eligible curator the appeal goes to that one.
  const Reviewer other = AddReviewer(c, "users/r-ntb", {"regions/52"});
  ASSERT_TRUE(
      submissions_->Appeal(Member(s->enterprise()), appeal, &appealed).ok());
  for (const Assignment& a : Assignments(c)) {
    if (a.review_round() == 1) {
      EXPECT_EQ(a.reviewer(), other.name());
    }
  }
}

TEST_F(CurationAuditTest, ProgressHidesResultsUntilPublication) {
  Campaign c = OpenCampaign(/*quota=*/1, /*threshold=*/50, /*reviewers=*/1);
  ASSERT_TRUE(Apply(Admin(), c, "kuat", "regions/33.13", {}).ok());
  ASSERT_TRUE(Apply(Admin(), c, "lemah", "regions/33.11", {}).ok());
  AddReviewer(c, "users/r-bali", {"regions/51"});
  ASSERT_TRUE(Action(&CampaignManager::Close, c).ok());
  ReviewAllOpen(c, {4, 4, 4, 4, 4});
  ASSERT_TRUE(Action(&CampaignManager::Decide, c).ok());

  v1::GetCampaignProgressRequest req;
  req.set_name(c.name());
  auto read = [&](const auth::Principal& p) {
    v1::CampaignProgress out;
    absl::Status s = campaigns_->Progress(p, req, &out);
    EXPECT_TRUE(s.ok()) << s;
    return out;
  };
  for (const auth::Principal& p :
       {Integrator({"33"}), Curator("users/r-bali")}) {
    v1::CampaignProgress hidden = read(p);
    EXPECT_EQ(hidden.total().submitted(), 2);
    EXPECT_EQ(hidden.total().passed(), 0) << p.subject;
    EXPECT_EQ(hidden.total().waitlisted(), 0) << p.subject;
    for (const auto& rc : hidden.by_region()) {
      EXPECT_EQ(rc.counts().passed() + rc.counts().waitlisted() +
                    rc.counts().failed(),
                0)
          << rc.region();
    }
  }
  v1::CampaignProgress organiser = read(Facilitator({"33"}));
  EXPECT_EQ(organiser.total().passed(), 1);
  EXPECT_EQ(organiser.total().waitlisted(), 1);

  ASSERT_TRUE(Action(&CampaignManager::Publish, c).ok());
  v1::CampaignProgress published = read(Integrator({"33"}));
  EXPECT_EQ(published.total().passed(), 1);
  EXPECT_EQ(published.total().waitlisted(), 1);
}

TEST_F(CurationAuditTest, AProvinceFilterTakesInItsKabupatenKota) {
  Campaign c = OpenCampaign(/*quota=*/5, /*threshold=*/50);
  ASSERT_TRUE(Apply(Admin(), c, "solo", "regions/33.72", {}).ok());
  ASSERT_TRUE(Apply(Admin(), c, "kudus", "regions/33.19", {}).ok());
  ASSERT_TRUE(Apply(Admin(), c, "jogja", "regions/34.71", {}).ok());
  auto list = [&](const auth::Principal& p, const std::string& region) {
    v1::ListSubmissionsRequest req;
    req.set_parent(c.name());
    req.set_region(region);
    v1::ListSubmissionsResponse resp;
    absl::Status s = submissions_->List(p, req, &resp);
    EXPECT_TRUE(s.ok()) << s;
    std::set<std::string> regions;
    for (const Submission& sub : resp.submissions()) {
      regions.insert(sub.region());
    }
    EXPECT_EQ(resp.total_size(), static_cast<int>(regions.size()));
    return regions;
  };
  EXPECT_EQ(list(Integrator({"33"}), "regions/33"),
            (std::set<std::string>{"regions/33.19", "regions/33.72"}));
  EXPECT_EQ(list(Integrator({"33"}), "regions/33.72"),
            (std::set<std::string>{"regions/33.72"}));
  EXPECT_EQ(list(Admin(), "regions/34"),
            (std::set<std::string>{"regions/34.71"}));
}

TEST_F(CurationAuditTest, SubmitReviewNamesEveryViolationAtOnce) {
  Campaign c = OpenCampaign(/*quota=*/5, /*threshold=*/50, /*reviewers=*/1);
  auto s = Apply(Admin(), c, "ulasan", "regions/33.13", {});
  ASSERT_TRUE(s.ok()) << s.status();
  AddReviewer(c, "users/r-bali", {"regions/51"});
  ASSERT_TRUE(Action(&CampaignManager::Close, c).ok());

  v1::SubmitReviewRequest req;
  req.set_submission(s->name());
  for (const std::string& id : CriterionIds()) {
    (*req.mutable_review()->mutable_scores())[id] = 4;
  }
  (*req.mutable_review()->mutable_scores())["taste"] = 4;
  req.mutable_review()->set_comment(std::string(4100, 'x'));
  v1::Review out;
  absl::Status bad = panel_->SubmitReview(Curator("users/r-bali"), req, &out);
  ASSERT_EQ(bad.code(), absl::StatusCode::kInvalidArgument) << bad;
  EXPECT_THAT(ViolatedFields(bad),
              UnorderedElementsAre("review.comment", "review.scores[taste]"));
}

}  // namespace
}  // namespace jalin::curation::testing
