// Name folding, near-duplicate names and completeness of registry records.

#include "services/curation/record_checks.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jalin::curation {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(RecordChecksTest, NameKeyDropsFormsTitlesAndPunctuation) {
  EXPECT_EQ(NameKey("UD. Batik Tulis Bu Sri"), "batik tulis sri");
  EXPECT_EQ(NameKey("CV  Jamu-Sehat  (Karanganyar)"), "jamu sehat karanganyar");
  EXPECT_EQ(NameKey("Koperasi UMKM"), "");
}

TEST(RecordChecksTest, SimilarityIsOneMinusRelativeEditDistance) {
  EXPECT_DOUBLE_EQ(NameSimilarity("abcd", "abcd"), 1.0);
  EXPECT_DOUBLE_EQ(NameSimilarity("abcd", "abce"), 0.75);
  EXPECT_DOUBLE_EQ(NameSimilarity("", "abcd"), 0.0);
}

TEST(RecordChecksTest, NearDuplicates) {
  EXPECT_TRUE(NearDuplicateNames(NameKey("Batik Tulis Bu Sri"),
                                 NameKey("UD Batik Tulis Ibu Sri")));
  EXPECT_TRUE(NearDuplicateNames(NameKey("Sari Batik"), NameKey("Batik Sari")));
  EXPECT_TRUE(NearDuplicateNames(NameKey("Jamu Sehat Lestari"),
                                 NameKey("Jamu Sehat Lestary")));
  EXPECT_FALSE(NearDuplicateNames(NameKey("Jamu Sehat Lestari"),
                                  NameKey("Jamu Sehat Sejahtera")));
  EXPECT_FALSE(NearDuplicateNames(NameKey("CV"), NameKey("PT")));
  EXPECT_FALSE(NearDuplicateNames("abc", "abd"));
}

TEST(RecordChecksTest, MissingFieldsOfAnIncompleteRecord) {
  jalin::registry::v1::Enterprise e;
  e.set_display_name("Batik Sari");
  e.mutable_location()->set_region("regions/33.13");
  EXPECT_THAT(MissingFields(e),
              ElementsAre("scale", "categories", "location.district_code"));
  e.set_scale(jalin::registry::v1::MIKRO);
  e.add_categories("categories/batik");
  e.mutable_location()->set_district_code("33.13.05");
  EXPECT_THAT(MissingFields(e), IsEmpty());
}

}  // namespace
}  // namespace jalin::curation
