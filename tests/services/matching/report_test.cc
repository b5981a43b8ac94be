// The channeling report on a small hand-made dataset of two kabupaten,
// Karanganyar (A) and Sragen (B): exactly the opportunities a person would
// list, in both directions, including matches that exist only through a
// supply-chain link and a cluster-level complementarity with no listing.

#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/matching/index/match_index.h"
#include "services/matching/report/channeling_report.h"
#include "tests/services/matching/test_data.h"

namespace jalin::matching {
namespace {

using matching::v1::ChannelingReport;
using matching::v1::Opportunity;
using registry::v1::Listing;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The report as its reader gets it.
ChannelingReport Decode(const EncodedReport& encoded) {
  absl::StatusOr<ChannelingReport> report = encoded.Decode();
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *std::move(report) : ChannelingReport();
}

// kind, direction, offer, need, supply link, supplier group, buyer group.
using Row = std::tuple<std::string, std::string, std::string, std::string,
                       std::string, std::string, std::string>;

std::set<Row> Rows(const ChannelingReport& r) {
  std::set<Row> rows;
  for (const auto& pair : r.pairs()) {
    for (const auto& o : pair.opportunities()) {
      rows.insert({Opportunity::Kind_Name(o.kind()),
                   Opportunity::Direction_Name(o.direction()),
                   o.offer_listing(), o.need_listing(), o.supply_link(),
                   pair.supplier(), pair.buyer()});
    }
  }
  return rows;
}

class ReportTest : public ::testing::Test {
 protected:
  ReportTest() : index_(test::Grid()) {
    for (const auto& c :
         {test::Category("biofarmaka", "", "Biofarmaka",
                         "Herbal raw materials"),
          test::Category("jahe", "biofarmaka", "Jahe", "Ginger"),
          test::Category("kunyit", "biofarmaka", "Kunyit", "Turmeric"),
          test::Category("jamu", "", "Jamu", "Jamu"),
          test::Category("kayu", "", "Kayu log", "Wood logs"),
          test::Category("jamur", "", "Jamur", "Mushrooms"),
          test::Category("desain-kemasan", "", "Desain kemasan",
                         "Packaging design")}) {
      index_.UpsertCategory(c);
    }
    index_.AddSupplyLink(test::Link("bio-jamu", "biofarmaka", "jamu", 1.0));
    index_.AddSupplyLink(test::Link("kayu-jamur", "kayu", "jamur", 0.8));
    index_.UpsertCluster(test::Cluster(
        "bio-kra", "Klaster Biofarmaka Karanganyar", "33.13", "biofarmaka"));
    index_.UpsertCluster(test::Cluster("jamur-kra", "Klaster Jamur Karanganyar",
                                       "33.13", "jamur"));
    index_.UpsertCluster(
        test::Cluster("jamu-sgn", "Klaster Jamu Sragen", "33.14", "jamu"));
    index_.UpsertCluster(
        test::Cluster("kayu-sgn", "Klaster Kayu Sragen", "33.14", "kayu"));

    Put({.id = "off-jahe",
         .owner = "clusters/bio-kra",
         .owner_name = "Klaster Biofarmaka Karanganyar",
         .region = "33.13",
         .category = "jahe",
         .title = "Jahe emprit kering",
         .amount = 2,
         .unit = type::v1::TON,
         .period = type::v1::MONTH});
    Put({.id = "off-kunyit",
         .owner = "clusters/bio-kra",
         .owner_name = "Klaster Biofarmaka Karanganyar",
         .region = "33.13",
         .category = "kunyit",
         .title = "Kunyit segar",
         .amount = 1,
         .unit = type::v1::TON,
         .period = type::v1::MONTH});
    // A member enterprise of the Sragen jamu cluster.
    Put({.id = "need-jahe",
         .kind = Listing::NEED,
         .owner = "enterprises/ud-sehat",
         .owner_name = "UD Sehat",
         .region = "33.14",
         .category = "jahe",
         .title = "Jahe untuk jamu",
         .amount = 500,
         .unit = type::v1::KILOGRAM,
         .period = type::v1::WEEK,
         .clusters = {"clusters/jamu-sgn"}});
    // Posted under the buyer's own sector: related to herbal offers only
    // through the supply link herbal raw materials -> jamu.
    Put({.id = "need-bahan-jamu",
         .kind = Listing::NEED,
         .owner = "clusters/jamu-sgn",
         .owner_name = "Klaster Jamu Sragen",
         .region = "33.14",
         .category = "jamu",
         .title = "Bahan baku jamu",
         .amount = 1,
         .unit = type::v1::TON,
         .period = type::v1::MONTH});
    Put({.id = "off-kemasan",
         .type = registry::v1::KNOW_HOW,
         .owner = "clusters/jamu-sgn",
         .owner_name = "Klaster Jamu Sragen",
         .region = "33.14",
         .category = "desain-kemasan",
         .title = "Pelatihan desain kemasan"});
    Put({.id = "need-kemasan",
         .kind = Listing::NEED,
         .type = registry::v1::KNOW_HOW,
         .owner = "clusters/jamur-kra",
         .owner_name = "Klaster Jamur Karanganyar",
         .region = "33.13",
         .category = "desain-kemasan",
         .title = "Pendampingan kemasan jamur"});
    // Distractors a person would not list for this meeting:
    // an offer from a third region,
    Put({.id = "off-jahe-solo",
         .owner = "enterprises/solo",
         .region = "33.72",
         .category = "jahe"});
    // a need that requires a certification the supplier lacks,
    Put({.id = "need-kunyit-halal",
         .kind = Listing::NEED,
         .owner = "enterprises/halal-sgn",
         .region = "33.14",
         .category = "kunyit",
         .required = {type::v1::HALAL}});
    // a closed offer and an expired one,
    Put({.id = "off-closed",
         .owner = "clusters/bio-kra",
         .region = "33.13",
         .category = "jamu",
         .status = Listing::CLOSED});
    Put({.id = "off-kayu-expired",
         .owner = "clusters/kayu-sgn",
         .region = "33.14",
         .category = "kayu",
         .valid_until = now_ - absl::Hours(1)});
    // a need met only inside region A,
    Put({.id = "need-kunyit-kra",
         .kind = Listing::NEED,
         .owner = "clusters/jamur-kra",
         .region = "33.13",
         .category = "kunyit"});
    // and a need elsewhere in the province (only in the province report).
    Put({.id = "need-jahe-skh",
         .kind = Listing::NEED,
         .owner = "enterprises/skh",
         .region = "33.11",
         .category = "jahe"});
    index_.FinalizeTaxonomy();
  }

  void Put(const test::ListingSpec& s) {
    ASSERT_TRUE(index_.UpsertListing(test::Listing(s), now_).ok());
  }

  // As the service runs it: with a side thread.
  // The report of regions `a` and `b` now, on the side thread too.
  ReportOptions Options(const std::string& a, const std::string& b) {
    ReportOptions o;
    o.side_thread = &side_;
    o.region_a = index_.grid().Find(a);
    o.region_b = index_.grid().Find(b);
    o.now_seconds = absl::ToUnixSeconds(now_);
    return o;
  }

  ChannelingReport Generate(const std::string& a, const std::string& b,
                            bool explain_matches = false) {
    ReportOptions o = Options(a, b);
    o.explain_matches = explain_matches;
    return Decode(GenerateChannelingReport(index_, signals_, weights_, o));
  }

  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  SideThread side_;
  // 600 listings of random kinds, categories and owners, half in each of
  // Karanganyar and Sragen; most owners are members of a cluster, so that
  // a cluster pair gathers many matches, most found from both sides.
  void AddRandomListings() {
    std::mt19937 rng(7);
    const std::vector<std::string> categories = {
        "jahe", "kunyit", "jamu", "kayu", "jamur", "biofarmaka"};
    const std::vector<std::string> clusters = {"bio-kra", "jamur-kra",
                                               "jamu-sgn", "kayu-sgn"};
    for (int i = 0; i < 600; ++i) {
      const bool in_a = i % 2 == 0;
      const int owner = static_cast<int>(rng() % 120);
      std::vector<std::string> member_of;
      if (owner % 3 != 0)
        member_of.push_back("clusters/" + clusters[owner % 4]);
      test::ListingSpec spec;
      spec.id = absl::StrFormat("gen-%d", i);
      spec.kind = rng() % 2 == 0 ? Listing::OFFER : Listing::NEED;
      spec.owner = absl::StrFormat("enterprises/gen-%d", owner);
      spec.owner_name = absl::StrFormat("Usaha %d", owner);
      spec.region = in_a ? "33.13" : "33.14";
      spec.category = categories[rng() % categories.size()];
      spec.title = absl::StrFormat("Barang %d", i);
      spec.amount = 1 + static_cast<double>(rng() % 20);
      spec.unit = type::v1::TON;
      spec.period = type::v1::MONTH;
      spec.curated = rng() % 2 == 0;
      registry::v1::Listing listing = test::Listing(spec);
      for (const std::string& c : member_of) {
        listing.mutable_owner_profile()->add_clusters(c);
      }
      ASSERT_TRUE(index_.UpsertListing(listing, now_).ok());
    }
  }

  MatchIndex index_;
  Signals signals_;
  Weights weights_;
};

TEST_F(ReportTest, ListsExactlyTheOpportunitiesBetweenTheTwoKabupaten) {
  const ChannelingReport r = Generate("33.13", "33.14");
  const std::set<Row> want = {
      {"LISTING_MATCH", "A_TO_B", "listings/off-jahe", "listings/need-jahe", "",
       "clusters/bio-kra", "clusters/jamu-sgn"},
      {"LISTING_MATCH", "A_TO_B", "listings/off-jahe",
       "listings/need-bahan-jamu", "", "clusters/bio-kra", "clusters/jamu-sgn"},
      {"LISTING_MATCH", "A_TO_B", "listings/off-kunyit",
       "listings/need-bahan-jamu", "", "clusters/bio-kra", "clusters/jamu-sgn"},
      {"LISTING_MATCH", "B_TO_A", "listings/off-kemasan",
       "listings/need-kemasan", "", "clusters/jamu-sgn", "clusters/jamur-kra"},
      {"COMPLEMENTARITY", "B_TO_A", "", "", "supplyLinks/kayu-jamur",
       "clusters/kayu-sgn", "clusters/jamur-kra"},
  };
  EXPECT_EQ(Rows(r), want);
  EXPECT_EQ(r.opportunity_count(), 5);
  EXPECT_EQ(r.a_to_b_count(), 3);
  EXPECT_EQ(r.b_to_a_count(), 2);
  EXPECT_EQ(r.region_a(), "regions/33.13");
  EXPECT_EQ(r.region_b(), "regions/33.14");
}

TEST_F(ReportTest, PairsAndOpportunitiesAreSortedByStrength) {
  const ChannelingReport r = Generate("33.13", "33.14");
  ASSERT_EQ(r.pairs_size(), 3);
  for (int i = 1; i < r.pairs_size(); ++i) {
    EXPECT_GE(r.pairs(i - 1).strength(), r.pairs(i).strength());
  }
  for (const auto& pair : r.pairs()) {
    ASSERT_GT(pair.opportunities_size(), 0);
    EXPECT_EQ(pair.strength(), pair.opportunities(0).score());
    for (int i = 1; i < pair.opportunities_size(); ++i) {
      EXPECT_GE(pair.opportunities(i - 1).score(),
                pair.opportunities(i).score());
    }
  }
  // The same-category match beats the ones through the supply link.
  const auto& bio = r.pairs(0);
  EXPECT_EQ(bio.supplier(), "clusters/bio-kra");
  EXPECT_EQ(bio.opportunities(0).need_listing(), "listings/need-jahe");
  // Complementarity has no listing evidence and ranks last.
  EXPECT_EQ(r.pairs(2).supplier(), "clusters/kayu-sgn");
}

TEST_F(ReportTest, EachLineReadsLikeAFollowUpItem) {
  const ChannelingReport r = Generate("33.13", "33.14");
  std::map<std::string, matching::v1::LocalizedText> by_key;
  for (const auto& pair : r.pairs()) {
    for (const auto& o : pair.opportunities()) {
      by_key[o.offer_listing() + o.need_listing() + o.supply_link()] = o.text();
      // The basic view: the line, score and distance, no explained match.
      EXPECT_FALSE(o.has_match());
      EXPECT_EQ(o.distance_km(), test::Regions().DistanceKm("33.13", "33.14"));
    }
  }
  const auto& direct = by_key["listings/off-jahelistings/need-jahe"];
  EXPECT_EQ(direct.id(),
            "UD Sehat (Klaster Jamu Sragen) di Kabupaten Sragen membutuhkan "
            "Jahe untuk jamu (500 kg/minggu); Klaster Biofarmaka Karanganyar "
            "di Kabupaten Karanganyar dapat memasok Jahe emprit kering (2 "
            "ton/bulan) (jarak " +
                absl::StrFormat("%.0f km",
                                test::Regions().DistanceKm("33.13", "33.14")) +
                ", skor " +
                absl::StrFormat("%.2f", r.pairs(0).opportunities(0).score()) +
                ").");
  EXPECT_THAT(direct.en(), HasSubstr("in Kabupaten Sragen needs Jahe untuk "
                                     "jamu (500 kg/week)"));
  const auto& via_link = by_key["listings/off-kunyitlistings/need-bahan-jamu"];
  EXPECT_THAT(via_link.id(),
              HasSubstr("Klaster Jamu Sragen di Kabupaten Sragen kekurangan "
                        "bahan baku Bahan baku jamu (1 ton/bulan)"));
  EXPECT_THAT(via_link.en(), HasSubstr("is short of raw material:"));
  const auto& complement = by_key["supplyLinks/kayu-jamur"];
  EXPECT_THAT(complement.id(),
              HasSubstr("Klaster Jamur Karanganyar di Kabupaten Karanganyar"));
  EXPECT_THAT(complement.id(),
              HasSubstr("Klaster Kayu Sragen di Kabupaten Sragen (Kayu log) "
                        "dapat memasok"));
  EXPECT_THAT(complement.en(), HasSubstr("Wood logs as an input of Mushrooms"));
}

TEST_F(ReportTest, TheFullViewAddsAnExplainedMatchToEachListingMatch) {
  const ChannelingReport basic = Generate("33.13", "33.14");
  ChannelingReport full = Generate("33.13", "33.14", /*explain_matches=*/true);
  int explained = 0;
  for (auto& pair : *full.mutable_pairs()) {
    for (auto& o : *pair.mutable_opportunities()) {
      if (o.kind() != Opportunity::LISTING_MATCH) {
        EXPECT_FALSE(o.has_match());
        continue;
      }
      ASSERT_TRUE(o.has_match());
      ++explained;
      const matching::v1::Match& m = o.match();
      EXPECT_EQ(m.score(), o.score());
      EXPECT_EQ(m.listing().name(), o.offer_listing());
      EXPECT_EQ(m.distance_km(), o.distance_km());
      double sum = 0;
      for (const auto& c : m.components()) {
        sum += c.contribution();
        EXPECT_FALSE(c.explanation().id().empty()) << c.name();
      }
      EXPECT_NEAR(sum, m.score(), 1e-9);
      EXPECT_FALSE(m.reason().en().empty());
      o.clear_match();
    }
  }
  EXPECT_GT(explained, 0);
  // Without the matches, the two views are the same report.
  EXPECT_EQ(full.SerializeAsString(), basic.SerializeAsString());
}

TEST_F(ReportTest, IsDeterministic) {
  const ChannelingReport a = Generate("33.13", "33.14");
  const ChannelingReport b = Generate("33.13", "33.14");
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
}

// Many listings on both sides, so that the work splits into two runs of
// many pairs: the report on one thread is the same, byte for byte, and a
// pair found from both sides is listed once.
TEST_F(ReportTest, IsTheSameWithOrWithoutASideThread) {
  ASSERT_NO_FATAL_FAILURE(AddRandomListings());
  ReportOptions o = Options("33.13", "33.14");
  o.side_thread = nullptr;
  o.explain_matches = true;
  const EncodedReport encoded =
      GenerateChannelingReport(index_, signals_, weights_, o);
  const ChannelingReport alone = Decode(encoded);
  o.side_thread = &side_;
  const EncodedReport split_encoded =
      GenerateChannelingReport(index_, signals_, weights_, o);
  const ChannelingReport split = Decode(split_encoded);
  // Enough pairs for several pieces of 32, written by both threads.
  EXPECT_GT(alone.pairs_size(), 3 * 32);
  EXPECT_GT(alone.opportunity_count(), 100);
  EXPECT_EQ(split_encoded.Bytes(), encoded.Bytes());
  EXPECT_EQ(split.SerializeAsString(), alone.SerializeAsString());
  // A pair's strength, ranked before its matches are settled, is its first
  // opportunity's score.
  for (const auto& pair : alone.pairs()) {
    ASSERT_GT(pair.opportunities_size(), 0);
    EXPECT_EQ(pair.strength(), pair.opportunities(0).score());
  }
  // The bytes as written are the generated serializer's for the same
  // message: fields in order, nothing a reader would keep as unknown.
  std::string bytes = encoded.Bytes();
  EXPECT_EQ(bytes.size(), encoded.ByteSize());
  EXPECT_EQ(bytes, alone.SerializeAsString());
  EXPECT_EQ(encoded.opportunity_count, alone.opportunity_count());
  // The same holds for the basic view.
  o.explain_matches = false;
  const EncodedReport basic =
      GenerateChannelingReport(index_, signals_, weights_, o);
  bytes = basic.Bytes();
  EXPECT_EQ(bytes, Decode(basic).SerializeAsString());
  EXPECT_LT(bytes.size(), encoded.ByteSize());
  std::set<std::pair<std::string, std::string>> listed;
  for (const auto& pair : split.pairs()) {
    for (const auto& op : pair.opportunities()) {
      if (op.kind() != Opportunity::LISTING_MATCH) continue;
      EXPECT_TRUE(listed.insert({op.offer_listing(), op.need_listing()}).second)
          << op.offer_listing() << " -> " << op.need_listing();
    }
  }
}

// A pair keeps its max_per_pair strongest opportunities, each once: the
// head of its whole list, though most of them were found from both sides.
TEST_F(ReportTest, APairKeepsItsStrongestOpportunitiesOnce) {
  ASSERT_NO_FATAL_FAILURE(AddRandomListings());
  ReportOptions o = Options("33.13", "33.14");
  o.max_per_pair = 100000;
  const ChannelingReport all =
      Decode(GenerateChannelingReport(index_, signals_, weights_, o));
  for (const int cut : {1, 3, 10}) {
    o.max_per_pair = cut;
    const ChannelingReport some =
        Decode(GenerateChannelingReport(index_, signals_, weights_, o));
    ASSERT_EQ(some.pairs_size(), all.pairs_size()) << cut;
    int longer = 0;
    for (int i = 0; i < all.pairs_size(); ++i) {
      const auto& whole = all.pairs(i);
      const auto& head = some.pairs(i);
      ASSERT_EQ(head.supplier(), whole.supplier());
      ASSERT_EQ(head.buyer(), whole.buyer());
      EXPECT_EQ(head.strength(), whole.strength());
      if (whole.opportunities_size() > 2 * cut) ++longer;
      ASSERT_EQ(head.opportunities_size(),
                std::min(cut, whole.opportunities_size()))
          << head.supplier() << " -> " << head.buyer() << ", cut " << cut;
      for (int j = 0; j < head.opportunities_size(); ++j) {
        EXPECT_EQ(head.opportunities(j).SerializeAsString(),
                  whole.opportunities(j).SerializeAsString());
      }
    }
    // Pairs long enough that a cut could have counted a match twice.
    EXPECT_GT(longer, 3) << cut;
  }
}

TEST_F(ReportTest, AProvinceAsTheOtherSideCoversItsRegencies) {
  const ChannelingReport r = Generate("33.13", "33");
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& row : Rows(r)) {
    pairs.insert({std::get<2>(row), std::get<3>(row)});
  }
  // Sukoharjo's need joins in; pairs inside A never do.
  EXPECT_TRUE(pairs.count({"listings/off-jahe", "listings/need-jahe-skh"}));
  EXPECT_FALSE(
      pairs.count({"listings/off-kunyit", "listings/need-kunyit-kra"}));
  EXPECT_EQ(r.region_b(), "regions/33");
}

TEST_F(ReportTest, CapsOpportunitiesPerPair) {
  ReportOptions o;
  o.region_a = index_.grid().Find("33.13");
  o.region_b = index_.grid().Find("33.14");
  o.now_seconds = absl::ToUnixSeconds(now_);
  o.max_per_pair = 1;
  const ChannelingReport r =
      Decode(GenerateChannelingReport(index_, signals_, weights_, o));
  for (const auto& pair : r.pairs()) EXPECT_EQ(pair.opportunities_size(), 1);
  EXPECT_EQ(r.opportunity_count(), 3);
}

}  // namespace
}  // namespace jalin::matching
