// The match index's building blocks: interned strings, the taxonomy's
// relations, unit normalisation, and listings coming, changing and going.

#include <map>
#include <random>
#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/matching/index/match_index.h"
#include "services/matching/index/string_pool.h"
#include "services/matching/index/taxonomy.h"
#include "services/matching/index/units.h"
#include "tests/services/matching/test_data.h"

namespace jalin::matching {
namespace {

using registry::v1::Listing;
using test::ListingSpec;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

TEST(NameTableTest, InternsFindsRemovesAndReusesIds) {
  NameTable t;
  auto a = t.Insert("alpha");
  auto b = t.Insert("beta");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->second);
  EXPECT_NE(a->first, b->first);
  EXPECT_FALSE(t.Insert("alpha")->second);
  EXPECT_EQ(t.Find("alpha"), a->first);
  EXPECT_EQ(t.Get(b->first), "beta");
  t.Remove(a->first);
  EXPECT_EQ(t.Find("alpha"), kNoId);
  EXPECT_FALSE(t.live(a->first));
  EXPECT_EQ(t.size(), 1u);
  // The freed id is handed out again.
  EXPECT_EQ(t.Insert("gamma")->first, a->first);
  EXPECT_EQ(t.Get(a->first), "gamma");
}

TEST(NameTableTest, SurvivesCompactionAfterHeavyChurn) {
  NameTable t;
  std::vector<uint32_t> kept;
  // Long names so that garbage passes the compaction threshold.
  const std::string pad(200, 'x');
  for (int i = 0; i < 20000; ++i) {
    auto r = t.Insert(absl::StrCat(pad, i));
    ASSERT_TRUE(r.ok());
    if (i % 10 == 0) {
      kept.push_back(r->first);
    } else {
      t.Remove(r->first);
    }
  }
  for (size_t j = 0; j < kept.size(); ++j) {
    const std::string want = absl::StrCat(pad, j * 10);
    EXPECT_EQ(t.Get(kept[j]), want);
    EXPECT_EQ(t.Find(want), kept[j]);
  }
  EXPECT_LT(t.MemoryBytes(), 20000u * 200u / 2);
}

TEST(TextArenaTest, LengthPrefixesLongStrings) {
  TextArena a;
  const std::string long_text(70000, 'q');
  auto x = a.Add("short");
  auto y = a.Add(long_text);
  auto z = a.Add("");
  ASSERT_TRUE(x.ok() && y.ok() && z.ok());
  EXPECT_EQ(a.Get(*x), "short");
  EXPECT_EQ(a.Get(*y), long_text);
  EXPECT_EQ(a.Get(*z), "");
}

class TaxonomyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // biofarmaka > jahe > jahe-merah; biofarmaka > kunyit; jamu > jamu-gendong
    for (const auto& c :
         {test::Category("biofarmaka"), test::Category("jahe", "biofarmaka"),
          test::Category("jahe-merah", "jahe"),
          test::Category("kunyit", "biofarmaka"), test::Category("jamu"),
          test::Category("jamu-gendong", "jamu"), test::Category("kayu")}) {
      t_.Upsert(c);
    }
    t_.AddLink(test::Link("bio-jamu", "biofarmaka", "jamu", 1.0));
    t_.Finalize();
  }
  CategoryId Id(const std::string& id) { return t_.Find("categories/" + id); }

  Taxonomy t_;
};

TEST_F(TaxonomyTest, SameParentChildAndAncestors) {
  const Related* same = t_.Relate(Id("jahe"), Id("jahe"));
  ASSERT_NE(same, nullptr);
  EXPECT_EQ(same->relation, Relation::kSame);
  EXPECT_EQ(same->closeness, 1.0);
  // An offer of ginger for a need of herbal raw materials: narrower.
  const Related* narrower = t_.Relate(Id("jahe"), Id("biofarmaka"));
  ASSERT_NE(narrower, nullptr);
  EXPECT_EQ(narrower->relation, Relation::kNarrower);
  EXPECT_EQ(narrower->closeness, TreeCloseness(1));
  const Related* broader = t_.Relate(Id("biofarmaka"), Id("jahe-merah"));
  ASSERT_NE(broader, nullptr);
  EXPECT_EQ(broader->relation, Relation::kBroader);
  EXPECT_EQ(broader->levels, 2);
  EXPECT_EQ(broader->closeness, TreeCloseness(2));
  // Siblings are not related.
  EXPECT_EQ(t_.Relate(Id("jahe"), Id("kunyit")), nullptr);
  EXPECT_EQ(t_.Relate(Id("kayu"), Id("jahe")), nullptr);
}

TEST_F(TaxonomyTest, SupplyLinksAreDirected) {
  // Red ginger (two levels below the link's input) for jamu gendong (one
  // below its output).
  const Related* r = t_.Relate(Id("jahe-merah"), Id("jamu-gendong"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->relation, Relation::kSupplyLink);
  EXPECT_EQ(r->levels, 3);
  EXPECT_DOUBLE_EQ(r->closeness, LinkCloseness(1.0, 3));
  EXPECT_EQ(t_.links()[r->link].name, "supplyLinks/bio-jamu");
  // Jamu is no input of ginger.
  EXPECT_EQ(t_.Relate(Id("jamu"), Id("jahe")), nullptr);
}

TEST_F(TaxonomyTest, OffersForAndNeedsForAreInverse) {
  for (CategoryId need = 0; need < t_.size(); ++need) {
    for (const Related& r : t_.OffersFor(need)) {
      bool found = false;
      for (const Related& back : t_.NeedsFor(r.category)) {
        if (back.category == need) {
          found = true;
          EXPECT_EQ(back.closeness, r.closeness);
        }
      }
      EXPECT_TRUE(found) << t_.node(need).name;
    }
  }
  // Closest first.
  const auto& offers = t_.OffersFor(Id("jamu-gendong"));
  ASSERT_FALSE(offers.empty());
  EXPECT_EQ(offers.front().category, Id("jamu-gendong"));
  for (size_t i = 1; i < offers.size(); ++i) {
    EXPECT_GE(offers[i - 1].closeness, offers[i].closeness);
  }
}

TEST_F(TaxonomyTest, NewCategoriesMarkTheTablesDirty) {
  EXPECT_FALSE(t_.dirty());
  const CategoryId fresh = t_.Intern("categories/temulawak");
  EXPECT_TRUE(t_.dirty());
  EXPECT_TRUE(t_.OffersFor(fresh).empty());  // not finalized yet: no crash
  t_.Upsert(test::Category("temulawak", "biofarmaka"));
  t_.FinalizeIfDirty();
  ASSERT_NE(t_.Relate(fresh, Id("jamu")), nullptr);
  EXPECT_EQ(t_.Relate(fresh, Id("jamu"))->relation, Relation::kSupplyLink);
}

TEST(UnitsTest, NormalisesUnitsAndPeriods) {
  auto two_tons_month = Normalize(2, type::v1::TON, type::v1::MONTH);
  auto half_ton_week = Normalize(500, type::v1::KILOGRAM, type::v1::WEEK);
  ASSERT_TRUE(two_tons_month && half_ton_week);
  EXPECT_EQ(two_tons_month->dimension, Dimension::kMass);
  EXPECT_DOUBLE_EQ(two_tons_month->amount, 2000);
  EXPECT_DOUBLE_EQ(half_ton_week->amount, 500 * 52.0 / 12.0);
  // 2 t/month covers all of 2,166 kg/month? No: 92%.
  EXPECT_NEAR(*Coverage(two_tons_month, half_ton_week), 2000 / 2166.67, 1e-3);
  EXPECT_EQ(*Coverage(half_ton_week, two_tons_month), 1.0);
  auto daily = Normalize(10, type::v1::LITER, type::v1::DAY);
  EXPECT_FALSE(Coverage(two_tons_month, daily).has_value());
  EXPECT_FALSE(Normalize(0, type::v1::TON, type::v1::MONTH).has_value());
  EXPECT_FALSE(Normalize(3, type::v1::UNIT_UNSPECIFIED, type::v1::MONTH));
  auto dozens = Normalize(5, type::v1::DOZEN, type::v1::ONCE);
  ASSERT_TRUE(dozens);
  EXPECT_FALSE(dozens->recurring);
  EXPECT_DOUBLE_EQ(dozens->amount, 60);
  EXPECT_DOUBLE_EQ(Normalize(1, type::v1::PERSON_DAY, type::v1::YEAR)->amount,
                   8.0 / 12.0);
  // Sessions are not hours.
  EXPECT_FALSE(Coverage(Normalize(2, type::v1::SESSION, type::v1::MONTH),
                        Normalize(2, type::v1::HOUR, type::v1::MONTH)));
}

class MatchIndexTest : public ::testing::Test {
 protected:
  MatchIndexTest() : index_(test::Grid()) {
    index_.UpsertCategory(test::Category("jahe"));
    index_.FinalizeTaxonomy();
  }

  Listing Offer(const std::string& id, const std::string& region = "33.13") {
    return test::Listing({.id = id,
                          .owner = "clusters/bio",
                          .owner_name = "Klaster Bio",
                          .region = region,
                          .category = "jahe",
                          .title = "Jahe " + id,
                          .amount = 2,
                          .unit = type::v1::TON,
                          .period = type::v1::MONTH});
  }

  absl::Time now_ = absl::Now();
  MatchIndex index_;
};

TEST_F(MatchIndexTest, UpsertMovesBetweenBucketsAndRemoveFrees) {
  ASSERT_TRUE(index_.UpsertListing(Offer("a"), now_).ok());
  ASSERT_TRUE(index_.UpsertListing(Offer("b"), now_).ok());
  const uint32_t a = index_.FindListing("listings/a");
  ASSERT_NE(a, kNoId);
  const RegionId kra = index_.grid().Find("33.13");
  const RegionId sby = index_.grid().Find("35.78");
  const CategoryId jahe = index_.taxonomy().Find("categories/jahe");
  uint32_t b_kra = index_.FindBucket(kOffer, registry::v1::GOODS, jahe, kra);
  ASSERT_NE(b_kra, kNoId);
  EXPECT_EQ(index_.bucket(b_kra).entries.size(), 2u);

  // Moving a listing to Surabaya moves it between buckets.
  ASSERT_TRUE(index_.UpsertListing(Offer("a", "35.78"), now_).ok());
  EXPECT_EQ(index_.FindListing("listings/a"), a);
  EXPECT_EQ(index_.bucket(b_kra).entries.size(), 1u);
  uint32_t b_sby = index_.FindBucket(kOffer, registry::v1::GOODS, jahe, sby);
  ASSERT_NE(b_sby, kNoId);
  ASSERT_EQ(index_.bucket(b_sby).entries.size(), 1u);
  EXPECT_EQ(index_.bucket(b_sby).entries[0].slot, a);
  EXPECT_EQ(index_.entry(a).slot, a);
  EXPECT_EQ(index_.region(a), sby);
  EXPECT_EQ(index_.counts().listings, 2);

  index_.RemoveListing("listings/a");
  EXPECT_EQ(index_.FindListing("listings/a"), kNoId);
  EXPECT_TRUE(index_.bucket(b_sby).entries.empty());
  // The entry left behind in Karanganyar was moved into the freed place.
  EXPECT_EQ(index_.entry(index_.FindListing("listings/b")).slot,
            index_.FindListing("listings/b"));
  EXPECT_EQ(index_.counts().listings, 1);
  // The owner stays while it has a listing, and goes with its last one.
  EXPECT_NE(index_.FindOwner("clusters/bio"), kNoId);
  index_.RemoveListing("listings/b");
  EXPECT_EQ(index_.FindOwner("clusters/bio"), kNoId);
  EXPECT_EQ(index_.counts().owners, 0);
}

TEST_F(MatchIndexTest, ChurnKeepsEveryEntryWhereItsSlotSaysItIs) {
  std::mt19937 rng(5);
  const char* regions[] = {"33.13", "33.14", "35.78", "91.05"};
  std::map<std::string, std::string> where;  // live listing -> region
  for (int step = 0; step < 5000; ++step) {
    const std::string id = absl::StrCat("l", rng() % 300);
    if (rng() % 4 == 0) {
      index_.RemoveListing("listings/" + id);
      where.erase("listings/" + id);
    } else {
      const std::string region = regions[rng() % 4];
      ASSERT_TRUE(index_.UpsertListing(Offer(id, region), now_).ok());
      where["listings/" + id] = "regions/" + region;
    }
  }
  EXPECT_EQ(index_.counts().listings, static_cast<int64_t>(where.size()));
  size_t in_buckets = 0;
  for (uint32_t b = 0; b < index_.bucket_count(); ++b) {
    for (const Entry& e : index_.bucket(b).entries) {
      ++in_buckets;
      ASSERT_TRUE(index_.live(e.slot));
      EXPECT_EQ(&index_.entry(e.slot), &e);
      EXPECT_EQ(where.at(index_.name(e.slot)),
                index_.grid().name(index_.bucket(b).region));
    }
  }
  EXPECT_EQ(in_buckets, where.size());
}

TEST_F(MatchIndexTest, ClosedExpiredOrIncompleteListingsLeave) {
  ASSERT_TRUE(index_.UpsertListing(Offer("a"), now_).ok());
  Listing closed = Offer("a");
  closed.set_status(Listing::CLOSED);
  bool indexed = true;
  ASSERT_TRUE(index_.UpsertListing(closed, now_, &indexed).ok());
  EXPECT_FALSE(indexed);
  EXPECT_EQ(index_.FindListing("listings/a"), kNoId);

  Listing expired = Offer("b");
  expired.mutable_valid_until()->set_seconds(absl::ToUnixSeconds(now_) - 1);
  ASSERT_TRUE(index_.UpsertListing(expired, now_, &indexed).ok());
  EXPECT_FALSE(indexed);

  Listing province = Offer("c", "33");  // not a regency
  ASSERT_TRUE(index_.UpsertListing(province, now_, &indexed).ok());
  EXPECT_FALSE(indexed);

  Listing no_kind = Offer("d");
  no_kind.set_kind(Listing::KIND_UNSPECIFIED);
  ASSERT_TRUE(index_.UpsertListing(no_kind, now_, &indexed).ok());
  EXPECT_FALSE(indexed);
  EXPECT_EQ(index_.counts().listings, 0);
}

TEST_F(MatchIndexTest, RemoveExpiredDropsOnlyListingsPastTheirEnd) {
  Listing soon = Offer("soon");
  soon.mutable_valid_until()->set_seconds(absl::ToUnixSeconds(now_) + 60);
  ASSERT_TRUE(index_.UpsertListing(soon, now_).ok());
  ASSERT_TRUE(index_.UpsertListing(Offer("forever"), now_).ok());
  EXPECT_EQ(index_.RemoveExpired(now_), 0);
  EXPECT_EQ(index_.RemoveExpired(now_ + absl::Minutes(2)), 1);
  EXPECT_EQ(index_.FindListing("listings/soon"), kNoId);
  EXPECT_NE(index_.FindListing("listings/forever"), kNoId);
}

TEST_F(MatchIndexTest, ToProtoCarriesWhatTheIndexHolds) {
  Listing in = test::Listing({.id = "n1",
                              .kind = Listing::NEED,
                              .owner = "enterprises/e1",
                              .owner_name = "UD Sehat",
                              .region = "33.14",
                              .category = "jahe",
                              .title = "Butuh jahe kering",
                              .amount = 500,
                              .unit = type::v1::KILOGRAM,
                              .period = type::v1::WEEK,
                              .continuity = Listing::SEASONAL,
                              .required = {type::v1::HALAL, type::v1::PIRT},
                              .held = {type::v1::NIB},
                              .clusters = {"clusters/jamu"},
                              .curated = true,
                              .radius_km = 150,
                              .source_region = "35.78"});
  in.mutable_valid_until()->set_seconds(absl::ToUnixSeconds(now_) + 3600);
  ASSERT_TRUE(index_.UpsertListing(in, now_).ok());
  Listing out = index_.ToProto(index_.FindListing("listings/n1"));
  EXPECT_EQ(out.name(), in.name());
  EXPECT_EQ(out.kind(), Listing::NEED);
  EXPECT_EQ(out.owner(), "enterprises/e1");
  EXPECT_EQ(out.region(), "regions/33.14");
  EXPECT_EQ(out.category(), "categories/jahe");
  EXPECT_EQ(out.title(), "Butuh jahe kering");
  EXPECT_EQ(out.quantity().amount(), 500);
  EXPECT_EQ(out.quantity().unit(), type::v1::KILOGRAM);
  EXPECT_EQ(out.quantity().period(), type::v1::WEEK);
  EXPECT_EQ(out.continuity(), Listing::SEASONAL);
  EXPECT_THAT(out.required_certifications(),
              UnorderedElementsAre(type::v1::HALAL, type::v1::PIRT));
  EXPECT_EQ(out.delivery_radius_km(), 150);
  EXPECT_EQ(out.current_source_region(), "regions/35.78");
  EXPECT_EQ(out.valid_until().seconds(), in.valid_until().seconds());
  EXPECT_EQ(out.owner_profile().display_name(), "UD Sehat");
  EXPECT_THAT(out.owner_profile().clusters(), ElementsAre("clusters/jamu"));
  EXPECT_THAT(out.owner_profile().certifications(), ElementsAre(type::v1::NIB));
  EXPECT_TRUE(out.owner_profile().verified());
  EXPECT_TRUE(out.owner_profile().curated());
}

TEST_F(MatchIndexTest, OwnerProfileFollowsTheLatestListing) {
  Listing a = Offer("a");
  ASSERT_TRUE(index_.UpsertListing(a, now_).ok());
  Listing b = Offer("b");
  b.mutable_owner_profile()->set_display_name("Klaster Biofarmaka Baru");
  b.mutable_owner_profile()->add_clusters("clusters/forum-herbal");
  ASSERT_TRUE(index_.UpsertListing(b, now_).ok());
  const uint32_t owner = index_.FindOwner("clusters/bio");
  EXPECT_EQ(index_.owner_display_name(owner), "Klaster Biofarmaka Baru");
  // A cluster owner is its own cluster, plus those it belongs to.
  std::vector<std::string> names;
  for (uint32_t c : index_.owner_clusters(owner)) {
    names.push_back(index_.clusters()[c].name);
  }
  EXPECT_THAT(names, ElementsAre("clusters/bio", "clusters/forum-herbal"));
}

TEST_F(MatchIndexTest, AgreementsNeedTwoPartiesAndActiveStatus) {
  registry::v1::Agreement a;
  a.set_name("agreements/kra-sgn");
  a.add_parties("regions/33.13");
  a.add_parties("regions/33.14");
  a.set_status(registry::v1::Agreement::ACTIVE);
  index_.UpsertAgreement(a);
  EXPECT_EQ(index_.agreements().size(), 1u);
  a.set_status(registry::v1::Agreement::TERMINATED);
  index_.UpsertAgreement(a);
  EXPECT_TRUE(index_.agreements().empty());
  registry::v1::Agreement one;
  one.set_name("agreements/one");
  one.add_parties("regions/33.13");
  one.set_status(registry::v1::Agreement::ACTIVE);
  index_.UpsertAgreement(one);
  EXPECT_TRUE(index_.agreements().empty());
}

TEST_F(MatchIndexTest, MemoryIsCountedPerListing) {
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(index_.UpsertListing(Offer(absl::StrCat("l", i)), now_).ok());
  }
  const size_t bytes = index_.MemoryBytes();
  EXPECT_GT(bytes, 1000u * 20);
  EXPECT_LT(bytes, 1000u * 1000);
}

}  // namespace
}  // namespace jalin::matching
