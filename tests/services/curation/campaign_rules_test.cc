// Campaign validation and lifecycle rules, and review score validation:
// each bad input is named by its field.

#include "services/curation/campaign_rules.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/curation/test_campaigns.h"

namespace jalin::curation {
namespace {

using ::jalin::curation::v1::Campaign;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const absl::Time kStart = absl::FromUnixSeconds(1'780'000'000);

class CampaignRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto table = regions::RegionTable::Load(std::string(JALIN_SOURCE_DIR) +
                                            "/data/regions.csv");
    ASSERT_TRUE(table.ok()) << table.status();
    regions_ = *std::move(table);
  }

  // Field -> description of every violation.
  std::map<std::string, std::string> Violations(Campaign c) {
    ApplyCampaignDefaults(c);
    FieldViolations v;
    ValidateCampaign(c, regions_, v);
    std::map<std::string, std::string> out;
    for (const auto& fv : v.violations()) out[fv.field()] = fv.description();
    return out;
  }

  std::vector<std::string> Fields(const std::map<std::string, std::string>& m) {
    std::vector<std::string> out;
    for (const auto& [f, d] : m) out.push_back(f);
    return out;
  }

  Campaign Good() {
    return testing::StandardCampaign(kStart, kStart + absl::Hours(24 * 30));
  }

  regions::RegionTable regions_;
};

TEST_F(CampaignRulesTest, StandardCampaignIsValid) {
  EXPECT_THAT(Violations(Good()), IsEmpty());
}

TEST_F(CampaignRulesTest, WeightsMustSumToHundred) {
  Campaign c = Good();
  c.mutable_criteria(0)->set_weight(20);  // sum 90
  auto v = Violations(c);
  EXPECT_THAT(Fields(v), UnorderedElementsAre("campaign.criteria"));
  EXPECT_THAT(v["campaign.criteria"], HasSubstr("sum to 90"));
  EXPECT_THAT(v["campaign.criteria"], HasSubstr("must sum to 100"));
}

TEST_F(CampaignRulesTest, FractionalWeightsSummingToHundredAreFine) {
  Campaign c = Good();
  c.mutable_criteria(3)->set_weight(15.5);
  c.mutable_criteria(4)->set_weight(14.5);
  EXPECT_THAT(Violations(c), IsEmpty());
}

TEST_F(CampaignRulesTest, EveryViolationIsNamedAtOnce) {
  Campaign c = Good();
  c.set_display_name("");
  c.set_region("regions/99.99");
  ToProtoTime(kStart - absl::Hours(1), c.mutable_submission_end_time());
  c.set_quota(0);
  c.set_pass_threshold(120);
  c.set_reviewers_per_submission(11);
  c.mutable_criteria(1)->set_id("Packaging!");
  c.mutable_criteria(2)->set_id("quality");
  c.mutable_criteria(3)->set_weight(-15);
  c.mutable_criteria(4)->set_min_score(5);
  c.mutable_criteria(4)->set_max_score(5);
  c.mutable_grade_bands(1)->set_min_score(90);
  c.set_appeal_window_days(-1);
  auto v = Violations(c);
  EXPECT_THAT(
      Fields(v),
      UnorderedElementsAre(
          "campaign.display_name", "campaign.region",
          "campaign.submission_end_time", "campaign.quota",
          "campaign.pass_threshold", "campaign.reviewers_per_submission",
          "campaign.criteria[1].id", "campaign.criteria[2].id",
          "campaign.criteria[3].weight", "campaign.criteria[4].max_score",
          "campaign.grade_bands[1].min_score", "campaign.appeal_window_days"));
  EXPECT_THAT(v["campaign.criteria[2].id"], HasSubstr("appears twice"));
}

TEST_F(CampaignRulesTest, LowestGradeBandMustNotStartAboveThreshold) {
  Campaign c = Good();
  c.set_pass_threshold(40);
  auto v = Violations(c);
  // C starts at 50 (the test rubric) while 40 passes.
  EXPECT_THAT(Fields(v),
              UnorderedElementsAre("campaign.grade_bands[2].min_score"));
  EXPECT_THAT(v["campaign.grade_bands[2].min_score"], HasSubstr("no grade"));
}

TEST_F(CampaignRulesTest, DefaultsFillWhatWasLeftOut) {
  Campaign c = Good();
  c.clear_reviewers_per_submission();
  c.clear_validity_days();
  c.mutable_criteria(0)->clear_min_score();
  c.mutable_criteria(0)->clear_max_score();
  ApplyCampaignDefaults(c);
  EXPECT_EQ(c.reviewers_per_submission(), 3);
  EXPECT_EQ(c.validity_days(), 365);
  EXPECT_EQ(c.criteria(0).min_score(), 1);
  EXPECT_EQ(c.criteria(0).max_score(), 5);
}

TEST_F(CampaignRulesTest, ScoresOutOfRangeMissingAndUnknownAreNamed) {
  Campaign c = Good();
  google::protobuf::Map<std::string, int32_t> scores;
  scores["quality"] = 5;
  scores["packaging"] = 7;
  scores["legality"] = 0;
  scores["market"] = 3;
  scores["taste"] = 4;
  FieldViolations v;
  ValidateReviewScores(c, scores, v);
  std::map<std::string, std::string> got;
  for (const auto& fv : v.violations()) got[fv.field()] = fv.description();
  EXPECT_THAT(Fields(got), UnorderedElementsAre("review.scores[packaging]",
                                                "review.scores[legality]",
                                                "review.scores[digital]",
                                                "review.scores[taste]"));
  EXPECT_THAT(got["review.scores[packaging]"],
              HasSubstr("7 is outside the range 1-5"));
  EXPECT_THAT(got["review.scores[digital]"], HasSubstr("is required"));
}

TEST_F(CampaignRulesTest, WindowIsHalfOpen) {
  Campaign c = Good();
  EXPECT_FALSE(InSubmissionWindow(c, kStart - absl::Seconds(1)));
  EXPECT_TRUE(InSubmissionWindow(c, kStart));
  EXPECT_FALSE(InSubmissionWindow(c, kStart + absl::Hours(24 * 30)));
}

TEST_F(CampaignRulesTest, StateErrorsNameBothStates) {
  Campaign c = Good();
  c.set_name("campaigns/x");
  c.set_state(Campaign::OPEN);
  absl::Status s = RequireState(c, Campaign::CLOSED, "deciding");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr("is OPEN"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("needs it CLOSED"));
  EXPECT_EQ(GetErrorInfo(s)->reason(), "CAMPAIGN_STATE");
}

TEST_F(CampaignRulesTest, AppealDeadlineFollowsPublication) {
  Campaign c = Good();
  EXPECT_EQ(AppealDeadline(c), absl::InfinitePast());
  ToProtoTime(kStart, c.mutable_publish_time());
  EXPECT_EQ(AppealDeadline(c), kStart + absl::Hours(24 * 14));
  c.set_appeal_window_days(0);
  EXPECT_EQ(AppealDeadline(c), absl::InfinitePast());
}

}  // namespace
}  // namespace jalin::curation
