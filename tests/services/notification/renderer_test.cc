// Bilingual text: specific for known payloads, generic for the rest.

#include "services/notification/renderer.h"

#include "absl/strings/match.h"
#include "common/regions/region_table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/curation_events.pb.h"
#include "tests/services/notification/test_support.h"

namespace jalin::notification {
namespace {

using ::testing::HasSubstr;

RenderedText Render(const Renderer& r, const events::v1::Event& e) {
  return r.Render(e, DecodePayload(e));
}

class RendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto table = regions::RegionTable::Load(
        regions::DefaultRegionsPath(std::string(JALIN_SOURCE_DIR) + "/data"));
    ASSERT_TRUE(table.ok()) << table.status();
    regions_ = *std::move(table);
  }
  regions::RegionTable regions_;
};

TEST_F(RendererTest, ListingNamesTitleAndRegion) {
  Renderer r(&regions_);
  RenderedText t =
      Render(r, test::ListingEvent("clusters/jamur", "categories/baglog",
                                   "regions/33.13"));
  EXPECT_EQ(t.title_id, "Penawaran baru: \"Baglog jamur tiram\"");
  EXPECT_EQ(t.title_en, "New offer: \"Baglog jamur tiram\"");
  EXPECT_THAT(t.body_id, HasSubstr("di Kabupaten Karanganyar"));
  EXPECT_THAT(t.body_en, HasSubstr("in Kabupaten Karanganyar"));
}

TEST_F(RendererTest, ProposalNamesBothParties) {
  Renderer r(&regions_);
  RenderedText t = Render(
      r, test::ProposalEvent("created", "clusters/jamur", "partners/hotel"));
  EXPECT_THAT(t.title_id, HasSubstr("Usulan kerja sama baru"));
  EXPECT_THAT(t.title_en, HasSubstr("New cooperation proposal"));
  EXPECT_THAT(t.body_id, HasSubstr("clusters/jamur (pemasok)"));
  EXPECT_THAT(t.body_en, HasSubstr("partners/hotel (buyer)"));
}

TEST_F(RendererTest, DecisionCarriesScoreRankAndReason) {
  Renderer r(&regions_);
  events::v1::Event e = test::DecisionEvent("enterprises/e1");
  events::v1::SubmissionEvent payload;
  ASSERT_TRUE(e.data().UnpackTo(&payload));
  payload.mutable_submission()->mutable_decision()->set_reason_id(
      "Kemasan sudah memenuhi standar.");
  payload.mutable_submission()->mutable_decision()->set_reason_en(
      "Packaging meets the standard.");
  e.mutable_data()->PackFrom(payload);
  RenderedText t = Render(r, e);
  EXPECT_EQ(t.title_id, "Produk \"Jamu beras kencur\" lolos kurasi");
  EXPECT_EQ(t.title_en, "\"Jamu beras kencur\" passed curation");
  EXPECT_THAT(t.body_id, HasSubstr("nilai 87.5 (peringkat 3, grade A)"));
  EXPECT_THAT(t.body_id, HasSubstr("Kemasan sudah memenuhi standar."));
  EXPECT_THAT(t.body_en, HasSubstr("score of 87.5 (rank 3, grade A)"));
  EXPECT_THAT(t.body_en, HasSubstr("Packaging meets the standard."));

  payload.mutable_submission()->mutable_decision()->set_result(
      curation::v1::Decision::FAILED);
  e.mutable_data()->PackFrom(payload);
  t = Render(r, e);
  EXPECT_THAT(t.title_id, HasSubstr("belum lolos kurasi"));
  EXPECT_THAT(t.title_en, HasSubstr("did not pass curation"));
}

TEST_F(RendererTest, UnknownTypesGetGenericTextInBothLanguages) {
  Renderer r(&regions_);
  events::v1::Event e;
  e.set_id("x");
  e.set_type("jalin.gateway.quota.exceeded");
  e.set_subject("clients/abc");
  RenderedText t = Render(r, e);
  EXPECT_FALSE(t.title_id.empty());
  EXPECT_FALSE(t.title_en.empty());
  EXPECT_NE(t.title_id, t.title_en);
  EXPECT_THAT(t.body_id, HasSubstr("jalin.gateway.quota.exceeded"));
  EXPECT_THAT(t.body_id, HasSubstr("clients/abc"));
  EXPECT_THAT(t.body_en, HasSubstr("clients/abc"));

  e.set_type("jalin.registry.widget.updated");
  t = Render(r, e);
  EXPECT_EQ(t.title_id, "Pembaruan: clients/abc diperbarui");
  EXPECT_EQ(t.title_en, "Update: clients/abc updated");
}

TEST_F(RendererTest, WithoutRegionNamesCodesAreShown) {
  Renderer r(nullptr);
  RenderedText t =
      Render(r, test::ListingEvent("clusters/jamur", "categories/baglog",
                                   "regions/33.13"));
  EXPECT_THAT(t.body_id, HasSubstr("di 33.13"));
}

}  // namespace
}  // namespace jalin::notification
