// The curation managers over a real SQLite store and the registry client
// against a fake registry over gRPC: windows, lifecycle, one submission per
// product, assignment with conflicts of interest, reassignment, decisions,
// publication, appeals, permissions and progress.

#include <climits>
#include <map>
#include <set>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/testing/violations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/curation_events.pb.h"
#include "services/curation/curation_errors.h"
#include "tests/services/curation/curation_fixture.h"
#include "tests/services/curation/test_campaigns.h"

namespace jalin::curation::testing {
namespace {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::Decision;
using ::jalin::curation::v1::Reviewer;
using ::jalin::curation::v1::Submission;
using ::jalin::testing::ErrorReason;
using ::jalin::testing::ViolatedFields;
using ::testing::HasSubstr;

using CurationFlowTest = CurationFixture;

TEST_F(CurationFlowTest, SubmissionsOnlyInsideTheWindow) {
  clock_.Set(kStart - absl::Hours(2));
  v1::CreateCampaignRequest req;
  *req.mutable_campaign() =
      StandardCampaign(kStart, kStart + absl::Hours(24), 10, 50);
  Campaign c;
  ASSERT_TRUE(campaigns_->Create(Admin(), req, &c).ok());
  ASSERT_TRUE(Action(&CampaignManager::Open, c).ok());

  auto early = Apply(Admin(), c, "early", "regions/33.13", {});
  ASSERT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(early.status()), "SUBMISSION_WINDOW_NOT_OPEN");
  auto failure = GetPreconditionFailure(early.status());
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->violations(0).type(), "SUBMISSION_WINDOW");
  EXPECT_EQ(failure->violations(0).subject(), c.name());
  EXPECT_EQ(registry_.calls(), 0) << "refused before asking the registry";

  clock_.Set(kStart);
  ASSERT_TRUE(Apply(Admin(), c, "ontime", "regions/33.13", {}).ok());

  clock_.Set(kStart + absl::Hours(24));
  auto late = Apply(Admin(), c, "late", "regions/33.13", {});
  ASSERT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(late.status()), "SUBMISSION_WINDOW_CLOSED");
  EXPECT_THAT(std::string(late.status().message()),
              HasSubstr("submissions closed at"));
  EXPECT_EQ(GetPreconditionFailure(late.status())->violations(0).type(),
            "SUBMISSION_WINDOW");
}

TEST_F(CurationFlowTest, LifecycleRefusesIllegalTransitions) {
  v1::CreateCampaignRequest req;
  *req.mutable_campaign() =
      StandardCampaign(kStart, kStart + absl::Hours(24), 10, 50);
  Campaign c;
  ASSERT_TRUE(campaigns_->Create(Admin(), req, &c).ok());
  EXPECT_EQ(c.state(), Campaign::DRAFT);
  for (auto fn : {&CampaignManager::Close, &CampaignManager::Decide,
                  &CampaignManager::Publish}) {
    auto s = Action(fn, c);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(ErrorReason(s.status()), "CAMPAIGN_STATE");
  }
  ASSERT_TRUE(Action(&CampaignManager::Open, c).ok());
  EXPECT_EQ(Action(&CampaignManager::Open, c).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Action(&CampaignManager::Publish, c).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Updates only while DRAFT.
  v1::UpdateCampaignRequest update;
  update.mutable_campaign()->set_name(c.name());
  update.mutable_campaign()->set_quota(5);
  update.mutable_update_mask()->add_paths("quota");
  Campaign out;
  absl::Status s = campaigns_->Update(Admin(), update, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr("is OPEN"));
}

TEST_F(CurationFlowTest, UpdateWhileDraftValidatesTheResult) {
  v1::CreateCampaignRequest req;
  *req.mutable_campaign() =
      StandardCampaign(kStart, kStart + absl::Hours(24), 10, 50);
  Campaign c;
  ASSERT_TRUE(campaigns_->Create(Admin(), req, &c).ok());
  v1::UpdateCampaignRequest update;
  *update.mutable_campaign() = c;
  update.mutable_campaign()->mutable_criteria(0)->set_weight(35);
  update.mutable_update_mask()->add_paths("criteria");
  Campaign out;
  absl::Status s = campaigns_->Update(Admin(), update, &out);
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetBadRequest(s)->field_violations(0).field(), "campaign.criteria");
  update.mutable_campaign()->mutable_criteria(1)->set_weight(15);
  ASSERT_TRUE(campaigns_->Update(Admin(), update, &out).ok());
  EXPECT_EQ(out.criteria(0).weight(), 35);
  EXPECT_EQ(OutboxEvents("jalin.curation.campaign.updated").size(), 1u);
}

TEST_F(CurationFlowTest, FacilitatorsManageOnlyTheirRegions) {
  v1::CreateCampaignRequest req;
  *req.mutable_campaign() =
      StandardCampaign(kStart, kStart + absl::Hours(24), 10, 50);
  req.mutable_campaign()->set_region("regions/33.13");
  Campaign c;
  EXPECT_EQ(campaigns_->Create(Facilitator({"33.11"}), req, &c).code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(campaigns_->Create(Facilitator({"33"}), req, &c).ok());
  EXPECT_EQ(
      Action(&CampaignManager::Open, c, Facilitator({"33.11"})).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Action(&CampaignManager::Open, c, Facilitator({"33.13"})).ok());
}

TEST_F(CurationFlowTest, OneSubmissionPerEnterpriseAndProduct) {
  Campaign c = OpenCampaign(10, 50);
  auto first = Apply(Member("enterprises/ud-sari"), c, "ud-sari",
                     "regions/33.13", {}, "Keripik Tempe");
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = ApplyFor(Member("enterprises/ud-sari"), c, "enterprises/ud-sari",
                        "  keripik   TEMPE ");
  ASSERT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr(first->name()));
  EXPECT_TRUE(ApplyFor(Member("enterprises/ud-sari"), c, "enterprises/ud-sari",
                       "Keripik Bayam")
                  .ok());
  // Withdrawn, it may apply again.
  v1::WithdrawSubmissionRequest w;
  w.set_name(first->name());
  Submission out;
  ASSERT_TRUE(
      submissions_->Withdraw(Member("enterprises/ud-sari"), w, &out).ok());
  EXPECT_EQ(out.state(), Submission::WITHDRAWN);
  EXPECT_TRUE(ApplyFor(Member("enterprises/ud-sari"), c, "enterprises/ud-sari",
                       "Keripik Tempe")
                  .ok());
  EXPECT_EQ(OutboxEvents("jalin.curation.submission.withdrawn").size(), 1u);
}

TEST_F(CurationFlowTest, ApplicantsAreCheckedAgainstTheRegistry) {
  Campaign c = OpenCampaign(10, 50);
  // A member applies only for its own organisation; the registry is not
  // even asked.
  auto other =
      Apply(Member("enterprises/mine"), c, "theirs", "regions/33.13", {});
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(registry_.calls(), 0);

  auto missing = ApplyFor(Admin(), c, "enterprises/ghost", "Jamu");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  // A facilitator learns nothing about enterprises outside its regions.
  auto hidden =
      ApplyFor(Facilitator({"33.13"}), c, "enterprises/ghost", "Jamu");
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kPermissionDenied);
  registry_.Put(MakeEnterprise("far", "regions/35.78", {}));
  EXPECT_EQ(ApplyFor(Facilitator({"33.13"}), c, "enterprises/far", "Jamu")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  auto merged = MakeEnterprise("merged", "regions/33.13", {});
  merged.set_verification_state(jalin::registry::v1::MERGED);
  merged.set_merged_into("enterprises/survivor");
  registry_.Put(merged);
  auto m = ApplyFor(Admin(), c, "enterprises/merged", "Jamu");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(m.status().message()),
              HasSubstr("apply as enterprises/survivor"));

  registry_.Put(MakeEnterprise("up", "regions/33.13", {}));
  registry_.SetDown(true);
  EXPECT_EQ(ApplyFor(Admin(), c, "enterprises/up", "Jamu").status().code(),
            absl::StatusCode::kUnavailable);
  registry_.SetDown(false);
  auto ok = ApplyFor(Admin(), c, "enterprises/up", "Jamu");
  ASSERT_TRUE(ok.ok()) << ok.status();
  // Region and clusters come from the registry, not from the request.
  EXPECT_EQ(ok->region(), "regions/33.13");
}

TEST_F(CurationFlowTest, BadSubmissionNamesEveryField) {
  Campaign c = OpenCampaign(10, 50);
  v1::CreateSubmissionRequest req;
  req.set_parent(c.name());
  req.mutable_submission()->set_enterprise("umkm/1");
  req.mutable_submission()->add_evidence_uris("ftp://example.com/a.pdf");
  Submission out;
  absl::Status status;
  absl::Notification done;
  submissions_->Create(Admin(), &req, &out, [&](absl::Status s) {
    status = s;
    done.Notify();
  });
  done.WaitForNotification();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const std::vector<std::string> fields = ViolatedFields(status);
  EXPECT_EQ(
      std::set<std::string>(fields.begin(), fields.end()),
      (std::set<std::string>{"submission.enterprise", "submission.product_name",
                             "submission.evidence_uris[0]"}));
}

TEST_F(CurationFlowTest, IdempotentApplicationHasOneEffect) {
  Campaign c = OpenCampaign(10, 50);
  auto a = Apply(Admin(), c, "rid", "regions/33.13", {}, "Jamu", "req-1");
  auto b = Apply(Admin(), c, "rid", "regions/33.13", {}, "Jamu", "req-1");
  ASSERT_TRUE(a.ok() && b.ok()) << a.status() << b.status();
  EXPECT_EQ(a->name(), b->name());
  EXPECT_EQ(OutboxEvents("jalin.curation.submission.received").size(), 1u);
}

// A campaign with applicants in four kabupaten and clusters, and a pool of
// six reviewers, two of whom share a region or cluster with some applicants.
class PanelTest : public CurationFixture {
 protected:
  void Populate(int submissions) {
    campaign_ = OpenCampaign(/*quota=*/submissions / 2, /*threshold=*/50);
    const std::vector<std::string> regions = {"regions/33.11", "regions/33.12",
                                              "regions/33.13", "regions/33.14"};
    for (int i = 0; i < submissions; ++i) {
      auto s = Apply(Admin(), campaign_, absl::StrCat("e", i), regions[i % 4],
                     {absl::StrCat("clusters/k", i % 3)});
      ASSERT_TRUE(s.ok()) << s.status();
      subs_.push_back(*s);
    }
    AddReviewer(campaign_, "users/r-solo", {"regions/33.13"});
    AddReviewer(campaign_, "users/r-batik", {"regions/34.71"}, {"clusters/k0"});
    AddReviewer(campaign_, "users/r-jatim", {"regions/35"});
    AddReviewer(campaign_, "users/r-jabar", {"regions/32"});
    AddReviewer(campaign_, "users/r-bali", {"regions/51"});
    AddReviewer(campaign_, "users/r-sulsel", {"regions/73"});
    AddReviewer(campaign_, "users/r-ntb", {"regions/52"});
    AddReviewer(campaign_, "users/r-prov", {"regions/33"}, {"clusters/k1"});
  }

  void ExpectNoConflictAndBalanced() {
    std::map<std::string, Reviewer> reviewers;
    for (const Reviewer& r : Reviewers(campaign_)) reviewers[r.name()] = r;
    std::map<std::string, Submission> subs;
    for (const Submission& s : subs_) subs[s.name()] = s;
    for (const Assignment& a : Assignments(campaign_)) {
      if (a.state() == Assignment::REASSIGNED) continue;
      auto r = reviewers.find(a.reviewer());
      if (r == reviewers.end()) continue;  // removed after reviewing
      const Submission& s = subs[a.submission()];
      for (const auto& region : r->second.regions()) {
        EXPECT_FALSE(s.region() == region ||
                     absl::StartsWith(s.region(), region + "."))
            << a.name() << " " << region;
      }
      for (const auto& cl : r->second.clusters()) {
        for (const auto& own : s.clusters()) EXPECT_NE(cl, own) << a.name();
      }
    }
    int mn = INT32_MAX, mx = 0;
    for (const auto& [name, r] : reviewers) {
      // The provincial reviewer conflicts with everything here.
      if (r.subject() == "users/r-prov") continue;
      const int load = r.open_assignments() + r.reviewed_assignments();
      mn = std::min(mn, load);
      mx = std::max(mx, load);
    }
    EXPECT_LE(mx - mn, 1) << "loads from " << mn << " to " << mx;
  }

  Campaign campaign_;
  std::vector<Submission> subs_;
};

TEST_F(PanelTest, CloseAssignsEligibleBalancedReviewers) {
  Populate(24);
  auto closed = Action(&CampaignManager::Close, campaign_);
  ASSERT_TRUE(closed.ok()) << closed.status();
  std::map<std::string, int> per_submission;
  for (const Assignment& a : Assignments(campaign_)) {
    ++per_submission[a.submission()];
    EXPECT_EQ(a.state(), Assignment::OPEN);
  }
  EXPECT_EQ(per_submission.size(), 24u);
  for (const auto& [s, n] : per_submission) EXPECT_EQ(n, 3) << s;
  ExpectNoConflictAndBalanced();
  v1::GetSubmissionRequest get;
  get.set_name(subs_[0].name());
  Submission s;
  ASSERT_TRUE(submissions_->Get(Admin(), get, &s).ok());
  EXPECT_EQ(s.state(), Submission::IN_REVIEW);
}

TEST_F(PanelTest, CloseFailsWithoutEnoughEligibleReviewers) {
  campaign_ = OpenCampaign(5, 50);
  ASSERT_TRUE(Apply(Admin(), campaign_, "solo", "regions/33.13", {}).ok());
  AddReviewer(campaign_, "users/a", {"regions/33.13"});
  AddReviewer(campaign_, "users/b", {"regions/34"});
  AddReviewer(campaign_, "users/c", {"regions/35"});
  auto closed = Action(&CampaignManager::Close, campaign_);
  ASSERT_EQ(closed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(closed.status()), "NOT_ENOUGH_REVIEWERS");
  EXPECT_THAT(std::string(closed.status().message()), HasSubstr("2 eligible"));
  // Nothing changed: still open, no assignments.
  v1::GetCampaignRequest get;
  get.set_name(campaign_.name());
  Campaign c;
  ASSERT_TRUE(campaigns_->Get(Admin(), get, &c).ok());
  EXPECT_EQ(c.state(), Campaign::OPEN);
  EXPECT_TRUE(Assignments(campaign_).empty());
  AddReviewer(campaign_, "users/d", {"regions/36"});
  EXPECT_TRUE(Action(&CampaignManager::Close, campaign_).ok());
}

TEST_F(PanelTest, OnlyTheAssignedReviewerScoresWithinTheRubric) {
  Populate(8);
  ASSERT_TRUE(Action(&CampaignManager::Close, campaign_).ok());
  std::map<std::string, std::string> subject_of;
  for (const Reviewer& r : Reviewers(campaign_))
    subject_of[r.name()] = r.subject();
  const Assignment a = Assignments(campaign_)[0];
  std::set<std::string> assigned;
  for (const Assignment& b : Assignments(campaign_)) {
    if (b.submission() == a.submission())
      assigned.insert(subject_of[b.reviewer()]);
  }
  std::string outsider;
  for (const auto& [name, subject] : subject_of) {
    if (!assigned.contains(subject)) outsider = subject;
  }
  ASSERT_FALSE(outsider.empty());
  auto denied = Review(outsider, a.submission(), {4, 4, 4, 4, 4});
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  // Not even a missing submission is revealed.
  auto ghost =
      Review(outsider, campaign_.name() + "/submissions/nope", {4, 4, 4, 4, 4});
  EXPECT_EQ(ghost.status().code(), absl::StatusCode::kPermissionDenied);

  const std::string reviewer = subject_of[a.reviewer()];
  auto bad = Review(reviewer, a.submission(), {4, 6, 0, 4});
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  const std::vector<std::string> fields = ViolatedFields(bad.status());
  EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()),
            (std::set<std::string>{"review.scores[packaging]",
                                   "review.scores[legality]",
                                   "review.scores[digital]"}));
  auto good = Review(reviewer, a.submission(), {4, 4, 4, 4, 4});
  ASSERT_TRUE(good.ok()) << good.status();
  // Editable until the decision.
  auto edited = Review(reviewer, a.submission(), {5, 4, 4, 4, 4});
  ASSERT_TRUE(edited.ok());
  v1::ListReviewsRequest list;
  list.set_parent(a.submission());
  v1::ListReviewsResponse reviews;
  ASSERT_TRUE(panel_->ListReviews(Admin(), list, &reviews).ok());
  ASSERT_EQ(reviews.reviews_size(), 1);
  EXPECT_EQ(reviews.reviews(0).scores().at("quality"), 5);
  // Another reviewer of the same submission sees only its own review.
  for (const std::string& other : assigned) {
    if (other == reviewer) continue;
    v1::ListReviewsResponse mine;
    ASSERT_TRUE(panel_->ListReviews(Curator(other), list, &mine).ok());
    EXPECT_EQ(mine.reviews_size(), 0);
  }
  // Applicants read no reviews.
  v1::ListReviewsResponse none;
  EXPECT_EQ(
      panel_->ListReviews(Member(subs_[0].enterprise()), list, &none).code(),
      absl::StatusCode::kPermissionDenied);

  ReviewAllOpen(campaign_, {4, 4, 4, 4, 4});
  ASSERT_TRUE(Action(&CampaignManager::Decide, campaign_).ok());
  auto late = Review(reviewer, a.submission(), {1, 1, 1, 1, 1});
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(late.status()), "REVIEW_CLOSED");
}

TEST_F(PanelTest, RemovingAReviewerReassignsOpenReviewsUnderTheSameRules) {
  Populate(24);
  ASSERT_TRUE(Action(&CampaignManager::Close, campaign_).ok());
  std::vector<Reviewer> pool = Reviewers(campaign_);
  const Reviewer* leaving = nullptr;
  for (const Reviewer& r : pool) {
    if (r.subject() == "users/r-jabar") leaving = &r;
  }
  ASSERT_NE(leaving, nullptr);
  // Half of its work is done before it leaves.
  int done = 0;
  for (const Assignment& a : Assignments(campaign_)) {
    if (a.reviewer() == leaving->name() && done++ % 2 == 0) {
      ASSERT_TRUE(
          Review("users/r-jabar", a.submission(), {3, 3, 3, 3, 3}).ok());
    }
  }
  v1::RemoveReviewerRequest rm;
  rm.set_name(leaving->name());
  google::protobuf::Empty empty;
  ASSERT_TRUE(panel_->RemoveReviewer(Admin(), rm, &empty).ok());
  std::map<std::string, int> active;
  int reassigned = 0, kept_reviews = 0;
  for (const Assignment& a : Assignments(campaign_)) {
    if (a.reviewer() == leaving->name()) {
      if (a.state() == Assignment::REASSIGNED) ++reassigned;
      if (a.state() == Assignment::REVIEWED) ++kept_reviews;
      if (a.state() == Assignment::OPEN) ADD_FAILURE() << "still open";
    }
    if (a.state() != Assignment::REASSIGNED) ++active[a.submission()];
  }
  EXPECT_GT(reassigned, 0);
  EXPECT_GT(kept_reviews, 0);
  for (const auto& [s, n] : active) EXPECT_EQ(n, 3) << s;
  ExpectNoConflictAndBalanced();
}

TEST_F(PanelTest, RemovalThatWouldLeaveASubmissionShortChangesNothing) {
  campaign_ = OpenCampaign(5, 50);
  ASSERT_TRUE(Apply(Admin(), campaign_, "solo", "regions/33.13", {}).ok());
  AddReviewer(campaign_, "users/a", {"regions/34"});
  AddReviewer(campaign_, "users/b", {"regions/35"});
  AddReviewer(campaign_, "users/c", {"regions/36"});
  AddReviewer(campaign_, "users/local", {"regions/33.13"});
  ASSERT_TRUE(Action(&CampaignManager::Close, campaign_).ok());
  const std::vector<Assignment> before = Assignments(campaign_);
  v1::RemoveReviewerRequest rm;
  for (const Reviewer& r : Reviewers(campaign_)) {
    if (r.subject() == "users/a") rm.set_name(r.name());
  }
  google::protobuf::Empty empty;
  absl::Status s = panel_->RemoveReviewer(Admin(), rm, &empty);
  ASSERT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(s), "NOT_ENOUGH_REVIEWERS");
  EXPECT_EQ(Assignments(campaign_).size(), before.size());
  EXPECT_EQ(Reviewers(campaign_).size(), 4u);
}

TEST_F(PanelTest, ANewReviewerAfterCloseTakesOverOpenWork) {
  Populate(24);
  ASSERT_TRUE(Action(&CampaignManager::Close, campaign_).ok());
  Reviewer late = AddReviewer(campaign_, "users/r-sumut", {"regions/12"});
  EXPECT_GT(late.open_assignments(), 0);
  ExpectNoConflictAndBalanced();
}

TEST_F(PanelTest, DecidePublishAndAppeal) {
  Populate(12);
  ASSERT_TRUE(Action(&CampaignManager::Close, campaign_).ok());
  EXPECT_EQ(Action(&CampaignManager::Decide, campaign_).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "reviews are missing";
  // Scores by submission: the first four strong, the rest weak.
  std::map<std::string, std::string> subject_of;
  for (const Reviewer& r : Reviewers(campaign_))
    subject_of[r.name()] = r.subject();
  std::map<std::string, int> index;
  for (size_t i = 0; i < subs_.size(); ++i) index[subs_[i].name()] = i;
  for (const Assignment& a : Assignments(campaign_)) {
    const int i = index[a.submission()];
    const int v = i < 4 ? 5 : (i < 8 ? 3 : 2);
    ASSERT_TRUE(
        Review(subject_of[a.reviewer()], a.submission(), {v, v, v, v, v}).ok());
  }
  auto decided = Action(&CampaignManager::Decide, campaign_);
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->state(), Campaign::DECIDED);
  EXPECT_TRUE(OutboxEvents("jalin.curation.submission.decided").empty())
      << "applicants are told at publication";

  // Before publication the applicant sees no decision; organisers do.
  v1::GetSubmissionRequest get;
  get.set_name(subs_[0].name());
  Submission mine;
  ASSERT_TRUE(
      submissions_->Get(Member(subs_[0].enterprise()), get, &mine).ok());
  EXPECT_FALSE(mine.has_decision());
  Submission full;
  ASSERT_TRUE(submissions_->Get(Admin(), get, &full).ok());
  EXPECT_EQ(full.decision().result(), Decision::PASSED);
  EXPECT_EQ(full.decision().grade(), "A");
  // Another applicant learns nothing about it.
  EXPECT_EQ(submissions_->Get(Member(subs_[1].enterprise()), get, &mine).code(),
            absl::StatusCode::kPermissionDenied);

  clock_.Advance(absl::Hours(1));
  auto published = Action(&CampaignManager::Publish, campaign_);
  ASSERT_TRUE(published.ok()) << published.status();
  auto decided_events = OutboxEvents("jalin.curation.submission.decided");
  ASSERT_EQ(decided_events.size(), 12u);
  std::set<std::string> told;
  int passed = 0;
  for (const auto& e : decided_events) {
    jalin::events::v1::SubmissionEvent payload;
    ASSERT_TRUE(e.data().UnpackTo(&payload));
    ASSERT_EQ(e.parties_size(), 1);
    EXPECT_EQ(e.parties(0), payload.submission().enterprise());
    EXPECT_THAT(e.regions(),
                ::testing::Contains(payload.submission().region()));
    EXPECT_EQ(payload.validity_days(), 365);
    EXPECT_TRUE(payload.submission().decision().has_decide_time());
    told.insert(payload.submission().enterprise());
    passed += payload.submission().decision().result() == Decision::PASSED;
  }
  EXPECT_EQ(told.size(), 12u);
  EXPECT_EQ(passed, 6);
  ASSERT_TRUE(
      submissions_->Get(Member(subs_[0].enterprise()), get, &mine).ok());
  EXPECT_EQ(mine.decision().result(), Decision::PASSED);

  // Progress by region.
  v1::GetCampaignProgressRequest pr;
  pr.set_name(campaign_.name());
  v1::CampaignProgress progress;
  ASSERT_TRUE(campaigns_->Progress(Admin(), pr, &progress).ok());
  EXPECT_EQ(progress.total().submitted(), 12);
  // Quota 6: the four at 100 and two of the four at exactly 50 pass.
  EXPECT_EQ(progress.total().passed(), 6);
  EXPECT_EQ(progress.total().waitlisted(), 2);
  EXPECT_EQ(progress.total().failed(), 4);
  EXPECT_EQ(progress.total().reviews_done(), 36);
  EXPECT_EQ(progress.total().reviews_pending(), 0);
  EXPECT_EQ(progress.total().fully_reviewed(), 12);
  EXPECT_EQ(progress.by_region_size(), 4);

  // A passed submission has nothing to appeal; a failed one may, once.
  v1::AppealDecisionRequest appeal;
  appeal.set_name(subs_[0].name());
  appeal.set_reason("Sertifikat halal kami sudah terbit.");
  Submission appealed;
  EXPECT_EQ(
      submissions_->Appeal(Member(subs_[0].enterprise()), appeal, &appealed)
          .code(),
      absl::StatusCode::kFailedPrecondition);
  const Submission& weak = subs_[11];
  appeal.set_name(weak.name());
  EXPECT_EQ(
      submissions_->Appeal(Member(subs_[10].enterprise()), appeal, &appealed)
          .code(),
      absl::StatusCode::kPermissionDenied);
  std::set<std::string> first_round;
  for (const Assignment& a : Assignments(campaign_)) {
    if (a.submission() == weak.name()) first_round.insert(a.reviewer());
  }
  ASSERT_TRUE(
      submissions_->Appeal(Member(weak.enterprise()), appeal, &appealed).ok());
  EXPECT_EQ(appealed.state(), Submission::APPEALED);
  EXPECT_EQ(appealed.review_round(), 1);
  std::set<std::string> second_round;
  for (const Assignment& a : Assignments(campaign_)) {
    if (a.submission() == weak.name() && a.review_round() == 1) {
      second_round.insert(a.reviewer());
      EXPECT_FALSE(first_round.contains(a.reviewer())) << "not a new reviewer";
    }
  }
  EXPECT_EQ(second_round.size(), 3u);
  EXPECT_EQ(
      submissions_->Appeal(Member(weak.enterprise()), appeal, &appealed).code(),
      absl::StatusCode::kFailedPrecondition)
      << "one appeal per submission";
  EXPECT_EQ(Action(&CampaignManager::Decide, campaign_).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "new reviews missing";
  // The new reviewers score it highly: it passes on appeal, beyond the
  // standing decisions.
  for (const Assignment& a : Assignments(campaign_)) {
    if (a.submission() == weak.name() && a.review_round() == 1) {
      ASSERT_TRUE(
          Review(subject_of[a.reviewer()], a.submission(), {5, 5, 5, 5, 4})
              .ok());
    }
  }
  ASSERT_TRUE(Action(&CampaignManager::Decide, campaign_).ok());
  auto after = OutboxEvents("jalin.curation.submission.decided");
  ASSERT_EQ(after.size(), 13u);
  jalin::events::v1::SubmissionEvent last;
  ASSERT_TRUE(after.back().data().UnpackTo(&last));
  EXPECT_EQ(last.submission().name(), weak.name());
  EXPECT_EQ(last.submission().decision().result(), Decision::PASSED);
  EXPECT_EQ(last.submission().decision().review_round(), 1);
  EXPECT_EQ(last.submission().previous_decisions(0).result(), Decision::FAILED);

  // The appeal window closes.
  clock_.Advance(absl::Hours(24 * 15));
  appeal.set_name(subs_[10].name());
  absl::Status closed =
      submissions_->Appeal(Member(subs_[10].enterprise()), appeal, &appealed);
  EXPECT_EQ(closed.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(closed), "APPEAL_WINDOW_CLOSED");
}

TEST_F(PanelTest, MembersListOnlyTheirOwnSubmissions) {
  Populate(8);
  v1::ListSubmissionsRequest req;
  req.set_parent(campaign_.name());
  v1::ListSubmissionsResponse resp;
  ASSERT_TRUE(
      submissions_->List(Member(subs_[3].enterprise()), req, &resp).ok());
  ASSERT_EQ(resp.submissions_size(), 1);
  EXPECT_EQ(resp.submissions(0).name(), subs_[3].name());
  req.set_enterprise(subs_[4].enterprise());
  EXPECT_EQ(
      submissions_->List(Member(subs_[3].enterprise()), req, &resp).code(),
      absl::StatusCode::kPermissionDenied);
  // Organisers page through everything.
  req.clear_enterprise();
  req.set_page_size(3);
  std::set<std::string> seen;
  while (true) {
    v1::ListSubmissionsResponse page;
    ASSERT_TRUE(submissions_->List(Admin(), req, &page).ok());
    EXPECT_EQ(page.total_size(), 8);
    for (const auto& s : page.submissions()) seen.insert(s.name());
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(seen.size(), 8u);
}

}  // namespace
}  // namespace jalin::curation::testing
