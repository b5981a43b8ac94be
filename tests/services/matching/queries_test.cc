// The read side of the API without gRPC: the method table covers every
// RPC, and FindMatches and the channeling report validate their input
// (every violation named), check scope and answer from the index.

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/auth/authenticator.h"
#include "common/status/errors.h"
#include "common/testing/violations.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "services/matching/service/match_queries.h"
#include "services/matching/service/matching_service.h"
#include "tests/services/matching/test_data.h"

namespace jalin::matching {
namespace {

using auth::Principal;
using auth::Role;
using registry::v1::Listing;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

using jalin::testing::ViolatedFields;

Principal MakePrincipal(const std::string& subject, Role role,
                        std::vector<std::string> regions) {
  Principal p;
  p.subject = subject;
  p.role = role;
  p.regions = std::move(regions);
  return p;
}

TEST(MatchingPolicyTest, EveryMethodHasAnEntry) {
  auth::Authenticator authenticator(auth::JwtKeys{}, SystemClock::Get());
  const auth::MethodPolicy policy = MatchingPolicy(&authenticator);
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          matching::v1::MatchingService::service_full_name());
  ASSERT_NE(service, nullptr);
  EXPECT_THAT(policy.MissingMethods(*service), IsEmpty());
}

class QueriesTest : public ::testing::Test {
 protected:
  QueriesTest()
      : queries_(&live_, &signals_, &weights_, &clock_, QueryLimits{}) {}

  void Load() {
    auto index = std::make_unique<MatchIndex>(test::Grid());
    index->UpsertCategory(test::Category("jahe"));
    for (const test::ListingSpec& s :
         std::vector<test::ListingSpec>{{.id = "near",
         .owner = "clusters/a",
         .owner_name = "Klaster A",
         .region = "33.14",
         .category = "jahe",
         .amount = 1,
         .unit = type::v1::TON,
         .period = type::v1::MONTH},
                                        {.id = "far",
                                        .owner = "clusters/b",
                                        .region = "91.05",
                                        .category = "jahe"},
                                        {.id = "need",
                                        .kind = Listing::NEED,
                                        .owner = "clusters/c",
                                        .region = "33.13",
                                        .category = "jahe"}}) {
      ASSERT_TRUE(index->UpsertListing(test::Listing(s), clock_.Now()).ok());
    }
    index->FinalizeTaxonomy();
    live_.Swap(std::move(index), {});
  }

  Principal viewer_ = MakePrincipal("users/v", Role::kViewer, {});
  FakeClock clock_{absl::Now()};
  LiveIndex live_;
  Signals signals_;
  Weights weights_;
  MatchQueries queries_;
};

TEST_F(QueriesTest, UnavailableUntilTheIndexIsLoaded) {
  matching::v1::FindMatchesRequest r;
  r.set_listing("listings/need");
  EXPECT_EQ(queries_.FindMatches(viewer_, r).status().code(),
            absl::StatusCode::kUnavailable);
  auto status = queries_.Status();
  ASSERT_TRUE(status.ok());
  EXPECT_FALSE(status->ready());
  Load();
  EXPECT_TRUE(queries_.FindMatches(viewer_, r).ok());
  EXPECT_TRUE(queries_.Status()->ready());
  EXPECT_EQ(queries_.Status()->listings(), 3);
  EXPECT_GT(queries_.Status()->memory_bytes(), 0);
}

TEST_F(QueriesTest, FindMatchesNamesEveryBadField) {
  Load();
  matching::v1::FindMatchesRequest r;
  r.set_top_k(-1);
  r.set_radius_km(-5);
  r.add_regions("jawa-tengah");
  absl::Status s = queries_.FindMatches(viewer_, r).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s),
              ElementsAre("query", "top_k", "radius_km", "regions[0]"));

  r.Clear();
  Listing* p = r.mutable_probe();
  p->set_region("regions/33");
  p->mutable_quantity()->set_amount(-2);
  p->add_required_certifications(static_cast<type::v1::CertificationKind>(99));
  s = queries_.FindMatches(viewer_, r).status();
  // The region is well formed but a province: named in the same answer.
  EXPECT_THAT(ViolatedFields(s),
              ElementsAre("probe.kind", "probe.type", "probe.category",
                          "probe.quantity.amount",
                          "probe.required_certifications[0]", "probe.region"));
  // Well formed, but the category and region are unknown.
  p->Clear();
  p->set_kind(Listing::NEED);
  p->set_type(registry::v1::GOODS);
  p->set_category("categories/kopi");
  p->set_region("regions/33");
  s = queries_.FindMatches(viewer_, r).status();
  EXPECT_THAT(ViolatedFields(s), ElementsAre("probe.category", "probe.region"));
  r.Clear();
  r.set_listing("listings/none");
  EXPECT_EQ(queries_.FindMatches(viewer_, r).status().code(),
            absl::StatusCode::kNotFound);
  r.add_regions("regions/99.99");
  EXPECT_THAT(ViolatedFields(queries_.FindMatches(viewer_, r).status()),
              ElementsAre("regions[0]"));
}

// Malformed fields and well-formed ones the index does not know come back
// in one answer, not one kind per call.
TEST_F(QueriesTest, FindMatchesNamesUnknownAndMalformedFieldsAtOnce) {
  Load();
  matching::v1::FindMatchesRequest r;
  Listing* p = r.mutable_probe();
  p->set_kind(Listing::NEED);
  p->set_type(registry::v1::GOODS);
  p->set_category("categories/kopi");
  p->set_region("regions/33");
  r.add_regions("regions/99");
  absl::Status s = queries_.FindMatches(viewer_, r).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s),
              ElementsAre("probe.category", "probe.region", "regions[0]"));
  // With a malformed field too; a field is named once.
  r.set_top_k(-1);
  r.add_regions("jawa-tengah");
  EXPECT_THAT(ViolatedFields(queries_.FindMatches(viewer_, r).status()),
              ElementsAre("top_k", "regions[1]", "probe.category",
                          "probe.region", "regions[0]"));
  // Malformed input is reported before the index is even loaded.
  LiveIndex empty;
  MatchQueries unloaded(&empty, &signals_, &weights_, &clock_, QueryLimits{});
  EXPECT_THAT(ViolatedFields(unloaded.FindMatches(viewer_, r).status()),
              ElementsAre("top_k", "regions[1]"));
}

TEST_F(QueriesTest, FindsExplainsAndFiltersForAListingOrAProbe) {
  Load();
  matching::v1::FindMatchesRequest r;
  r.set_listing("listings/need");
  auto all = queries_.FindMatches(viewer_, r);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->listing(), "listings/need");
  ASSERT_EQ(all->matches_size(), 2);
  EXPECT_EQ(all->matches(0).listing().name(), "listings/near");
  EXPECT_EQ(all->matches(0).listing().owner_profile().display_name(),
            "Klaster A");
  EXPECT_GT(all->matches(0).score(), all->matches(1).score());
  EXPECT_THAT(all->matches(0).reason().id(),
              ::testing::StartsWith("Klaster A di Kabupaten Sragen cocok: "));
  EXPECT_THAT(all->matches(0).reason().en(),
              ::testing::StartsWith("Klaster A in Kabupaten Sragen fits: "));

  r.set_radius_km(500);
  auto near = queries_.FindMatches(viewer_, r);
  ASSERT_EQ(near->matches_size(), 1);
  r.set_radius_km(0);
  r.add_regions("regions/91");
  auto papua = queries_.FindMatches(viewer_, r);
  ASSERT_EQ(papua->matches_size(), 1);
  EXPECT_EQ(papua->matches(0).listing().name(), "listings/far");

  matching::v1::FindMatchesRequest probe;
  Listing* p = probe.mutable_probe();
  p->set_kind(Listing::NEED);
  p->set_type(registry::v1::GOODS);
  p->set_category("categories/jahe");
  p->set_region("regions/33.13");
  p->set_owner("clusters/a");  // excludes its own offer
  probe.set_top_k(5);
  auto found = queries_.FindMatches(viewer_, probe);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->listing(), "");
  ASSERT_EQ(found->matches_size(), 1);
  EXPECT_EQ(found->matches(0).listing().name(), "listings/far");
}

TEST_F(QueriesTest, ReportNeedsScopeAndValidRegions) {
  Load();
  matching::v1::GenerateChannelingReportRequest r;
  r.set_region_a("regions/33");
  r.set_region_b("");
  r.set_max_per_pair(-1);
  r.set_view(static_cast<matching::v1::ReportView>(7));
  EXPECT_THAT(ViolatedFields(queries_.Report(viewer_, r).status()),
              ElementsAre("region_b", "max_per_pair", "view"));
  r.set_region_b("regions/33.14");
  r.set_max_per_pair(0);
  r.clear_view();
  Principal east = MakePrincipal("users/f", Role::kFacilitator, {"35"});
  EXPECT_EQ(queries_.Report(east, r).status().code(),
            absl::StatusCode::kPermissionDenied);
  Principal central = MakePrincipal("users/f", Role::kFacilitator, {"33.14"});
  // A province is not a regency for region_a.
  EXPECT_THAT(ViolatedFields(queries_.Report(central, r).status()),
              ElementsAre("region_a"));
  r.set_region_a("regions/33.13");
  auto encoded = queries_.Report(central, r);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  auto report = encoded->Decode();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->opportunity_count(), 1);
  EXPECT_EQ(report->b_to_a_count(), 1);
  const auto& basic = report->pairs(0).opportunities(0);
  EXPECT_FALSE(basic.has_match());
  // The full view explains each listing match.
  r.set_view(matching::v1::FULL);
  encoded = queries_.Report(central, r);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  report = encoded->Decode();
  ASSERT_TRUE(report.ok()) << report.status();
  const auto& full = report->pairs(0).opportunities(0);
  ASSERT_TRUE(full.has_match());
  EXPECT_EQ(full.match().listing().name(), full.offer_listing());
}

}  // namespace
}  // namespace jalin::matching
