// Event facts from envelopes and payloads, filter validation, scoping and
// matching.

#include "services/notification/filter.h"

#include <string>

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/event_facts.h"
#include "services/notification/payload.h"
#include "tests/services/notification/test_support.h"

namespace jalin::notification {
namespace {

using ::testing::ElementsAre;

EventFacts FactsOf(const events::v1::Event& e) {
  return ExtractFacts(e, DecodePayload(e));
}

TEST(EventFactsTest, ProposalNamesBothOwners) {
  events::v1::Event e =
      test::ProposalEvent("created", "clusters/jamur", "partners/hotel-solo");
  e.clear_parties();  // the payload alone is enough
  EventFacts f = FactsOf(e);
  EXPECT_THAT(f.parties, ElementsAre("clusters/jamur", "partners/hotel-solo"));
  EXPECT_THAT(f.clusters, ElementsAre("clusters/jamur"));
  EXPECT_THAT(f.regions, ElementsAre("33.13"));
  EXPECT_THAT(f.categories, ElementsAre("categories/jahe"));
}

TEST(EventFactsTest, DecisionNamesTheApplicant) {
  EventFacts f = FactsOf(test::DecisionEvent("enterprises/e7"));
  EXPECT_THAT(f.parties, ElementsAre("enterprises/e7"));
  EXPECT_THAT(f.categories, ElementsAre("categories/jamu"));
}

TEST(EventFactsTest, ClusterListingNamesTheCluster) {
  EventFacts f = FactsOf(test::ListingEvent(
      "clusters/jamur", "categories/baglog", "regions/33.13"));
  EXPECT_THAT(f.parties, ElementsAre("clusters/jamur"));
  // An enterprise's listing does not make the enterprise a party by itself.
  EventFacts g =
      FactsOf(test::ListingEvent("enterprises/e1", "categories/baglog"));
  EXPECT_TRUE(g.parties.empty());
}

TEST(EventFactsTest, UnknownPayloadsUseTheEnvelope) {
  events::v1::Event e;
  e.set_id("e1");
  e.set_type("jalin.gateway.something.happened");
  e.add_regions("regions/35.78");
  e.add_parties("enterprises/e2");
  e.add_parties("users/not-an-organisation");
  e.mutable_data()->set_type_url("type.googleapis.com/some.Unknown");
  EventFacts f = FactsOf(e);
  EXPECT_THAT(f.parties, ElementsAre("enterprises/e2"));
  EXPECT_THAT(f.regions, ElementsAre("35.78"));
}

TEST(FilterTest, EventTypePatterns) {
  EXPECT_TRUE(EventTypeMatches("jalin.matching.proposal.*",
                               "jalin.matching.proposal.agreed"));
  EXPECT_FALSE(EventTypeMatches("jalin.matching.proposal.*",
                                "jalin.registry.listing.created"));
  EXPECT_TRUE(EventTypeMatches("*", "jalin.registry.listing.created"));
  EXPECT_TRUE(EventTypeMatches("jalin.registry.listing.created",
                               "jalin.registry.listing.created"));
  EXPECT_FALSE(EventTypeMatches("jalin.registry.listing.created",
                                "jalin.registry.listing.created2"));
}

TEST(FilterTest, RegionsMatchOnDottedBoundaries) {
  EXPECT_TRUE(RegionWithin("33.13", "33"));
  EXPECT_TRUE(RegionWithin("33.13.05", "33.13"));
  EXPECT_TRUE(RegionWithin("33.13", "33.13"));
  EXPECT_FALSE(RegionWithin("33.1", "33.13"));
  EXPECT_FALSE(RegionWithin("331.13", "33"));
  EXPECT_FALSE(RegionWithin("34.01", "33"));
}

TEST(FilterTest, EveryFieldMustMatch) {
  EventFacts f = FactsOf(
      test::ProposalEvent("agreed", "clusters/jamur", "partners/hotel-solo"));
  const std::string type = "jalin.matching.proposal.agreed";
  v1::Filter province;
  province.add_regions("regions/33");
  EXPECT_TRUE(FilterMatches(province, type, f));
  v1::Filter other_province;
  other_province.add_regions("regions/35");
  EXPECT_FALSE(FilterMatches(other_province, type, f));

  v1::Filter both = province;
  both.add_event_types("jalin.matching.*");
  both.add_clusters("clusters/jamur");
  EXPECT_TRUE(FilterMatches(both, type, f));
  both.clear_clusters();
  both.add_clusters("clusters/batik");
  EXPECT_FALSE(FilterMatches(both, type, f));

  v1::Filter category;
  category.add_categories("categories/jahe");
  category.add_categories("categories/kopi");
  EXPECT_TRUE(FilterMatches(category, type, f));
  v1::Filter wrong_type;
  wrong_type.add_event_types("jalin.curation.*");
  EXPECT_FALSE(FilterMatches(wrong_type, type, f));
}

TEST(FilterTest, ValidationNamesEveryViolation) {
  v1::Filter f;
  f.add_event_types("jalin.*.proposal");  // '*' only at the end
  f.add_regions("33.13");                 // needs "regions/"
  f.add_regions("regions/33..1");
  f.add_clusters("enterprises/x");
  f.add_categories("categories/Bad Name");
  FieldViolations v;
  ValidateFilter(f, "subscription.filter", v);
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v.violations()[0].field(), "subscription.filter.event_types[0]");
  EXPECT_EQ(v.violations()[1].field(), "subscription.filter.regions[0]");
  EXPECT_EQ(v.violations()[2].field(), "subscription.filter.regions[1]");
  EXPECT_EQ(v.violations()[3].field(), "subscription.filter.clusters[0]");
  EXPECT_EQ(v.violations()[4].field(), "subscription.filter.categories[0]");

  FieldViolations empty;
  ValidateFilter(v1::Filter(), "webhook.filter", empty);
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty.violations()[0].field(), "webhook.filter");
}

// A region is a Kemendagri code from a province down to a desa, and
// nothing longer: a value of any length was accepted and stored before.
TEST(FilterTest, RegionsHaveTheShapeOfARegionCode) {
  v1::Filter f;
  f.add_regions("regions/33");
  f.add_regions("regions/33.13.05.2001");
  f.add_regions("regions/" + std::string(100'000, '9'));
  f.add_regions("regions/33.13.05.2001.1");
  f.add_regions("regions/331");
  FieldViolations v;
  ValidateFilter(f, "subscription.filter", v);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v.violations()[0].field(), "subscription.filter.regions[2]");
  EXPECT_EQ(v.violations()[1].field(), "subscription.filter.regions[3]");
  EXPECT_EQ(v.violations()[2].field(), "subscription.filter.regions[4]");
}

TEST(FilterTest, ScopeKeepsRegionScopedCallersInsideTheirRegions) {
  auth::Principal f;
  f.subject = "users/budi";
  f.role = auth::Role::kFacilitator;
  f.regions = {"33.13"};

  v1::Filter unscoped;
  unscoped.add_event_types("jalin.registry.*");
  ASSERT_TRUE(ScopeFilter(f, unscoped).ok());
  EXPECT_THAT(unscoped.regions(), ElementsAre("regions/33.13"));

  v1::Filter inside;
  inside.add_regions("regions/33.13.05");
  EXPECT_TRUE(ScopeFilter(f, inside).ok());

  v1::Filter outside;
  outside.add_regions("regions/33");  // the whole province is wider
  EXPECT_EQ(ScopeFilter(f, outside).code(),
            absl::StatusCode::kPermissionDenied);

  auth::Principal admin;
  admin.role = auth::Role::kAdmin;
  v1::Filter any;
  any.add_event_types("*");
  ASSERT_TRUE(ScopeFilter(admin, any).ok());
  EXPECT_TRUE(any.regions().empty());

  auth::Principal no_scope;
  no_scope.role = auth::Role::kIntegrator;
  EXPECT_EQ(ScopeFilter(no_scope, any).code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace jalin::notification
