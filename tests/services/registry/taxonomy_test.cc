// The shipped taxonomy (data/taxonomy) and the in-memory taxonomy: size and
// coverage of the files, tree operations and bilingual search.

#include "services/registry/taxonomy.h"

#include <fstream>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/taxonomy_files.h"

namespace jalin::registry {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string DataDir() {
  return absl::StrCat(JALIN_SOURCE_DIR, "/data/taxonomy");
}

TEST(TaxonomyFilesTest, ShipsEnoughCategoriesAndLinks) {
  auto files = LoadTaxonomyFiles(DataDir());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_GE(files->categories.size(), 150u);
  EXPECT_GE(files->links.size(), 40u);
  std::set<int> kinds;
  for (const auto& c : files->categories) {
    kinds.insert(c.kind());
    EXPECT_FALSE(c.label_id().empty()) << c.name();
    EXPECT_FALSE(c.label_en().empty()) << c.name();
  }
  // Goods, services, know-how and market access are all covered.
  EXPECT_EQ(kinds.size(), 4u);
}

TEST(TaxonomyFilesTest, CoversTheClusterSectors) {
  auto files = LoadTaxonomyFiles(DataDir());
  ASSERT_TRUE(files.ok()) << files.status();
  std::set<std::string> names;
  for (const auto& c : files->categories) names.insert(c.name());
  for (const char* sector :
       {"batik", "lurik", "jamu", "biofarmaka", "jamur", "beras-organik",
        "perikanan", "mebel", "kerajinan-rotan", "keramik", "logam",
        "makanan-olahan", "kerajinan", "desa-wisata"}) {
    EXPECT_THAT(names, Contains(absl::StrCat("categories/", sector)));
  }
}

TEST(TaxonomyFilesTest, LinksHoldTheKnownChains) {
  auto files = LoadTaxonomyFiles(DataDir());
  ASSERT_TRUE(files.ok()) << files.status();
  TaxonomyData t;
  for (const auto& c : files->categories) ASSERT_TRUE(t.AddCategory(c).ok());
  for (const auto& l : files->links) {
    EXPECT_GT(l.strength(), 0);
    EXPECT_LE(l.strength(), 1);
    t.AddLink(l);
  }
  EXPECT_TRUE(t.HasLink("categories/jahe", "categories/jamu"));
  EXPECT_TRUE(
      t.HasLink("categories/serbuk-gergaji", "categories/baglog-jamur"));
  EXPECT_TRUE(t.HasLink("categories/ikan-air-tawar", "categories/restoran"));
  EXPECT_TRUE(
      t.HasLink("categories/makanan-olahan", "categories/pusat-oleh-oleh"));
  EXPECT_FALSE(t.HasLink("categories/jamu", "categories/jahe"));
}

TEST(TaxonomyFilesTest, RefusesABrokenFileNamingTheLine) {
  jalin::testing::TempDir dir;
  std::ofstream(dir.File("categories.csv"))
      << "id,parent,kind,label_id,label_en,kbli\n"
      << "jamu,,GOODS,Jamu,Jamu,21022\n"
      << "jamu-serbuk,jamu,GOODS,Jamu serbuk,Powdered jamu,2102\n";
  std::ofstream(dir.File("supply_links.csv"))
      << "input,output,strength,description_id,description_en\n";
  auto files = LoadTaxonomyFiles(dir.path());
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(files.status().message(), HasSubstr("categories.csv:3"));
  EXPECT_THAT(files.status().message(), HasSubstr("KBLI code 2102"));
}

TEST(TaxonomyFilesTest, RefusesAnUnknownParent) {
  jalin::testing::TempDir dir;
  std::ofstream(dir.File("categories.csv"))
      << "id,parent,kind,label_id,label_en,kbli\n"
      << "jamu-serbuk,jamu,GOODS,Jamu serbuk,Powdered jamu,\n";
  std::ofstream(dir.File("supply_links.csv"))
      << "input,output,strength,description_id,description_en\n";
  auto files = LoadTaxonomyFiles(dir.path());
  ASSERT_FALSE(files.ok());
  EXPECT_THAT(files.status().message(), HasSubstr("unknown parent"));
}

class TaxonomyDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto files = LoadTaxonomyFiles(DataDir());
    ASSERT_TRUE(files.ok()) << files.status();
    for (const auto& c : files->categories) ASSERT_TRUE(t_.AddCategory(c).ok());
  }
  TaxonomyData t_;
};

TEST_F(TaxonomyDataTest, DepthRootAndDescendants) {
  EXPECT_EQ(t_.Find("batik")->depth(), 1);
  EXPECT_EQ(t_.Find("categories/batik-tulis")->depth(), 2);
  EXPECT_EQ(t_.Root("batik-tulis"), "tekstil");
  EXPECT_EQ(t_.Root("tekstil"), "tekstil");
  EXPECT_EQ(t_.Root("no-such"), "");
  EXPECT_THAT(
      t_.SelfAndDescendants("categories/batik"),
      ElementsAre("batik", "batik-cap", "batik-kontemporer", "batik-tulis"));
  EXPECT_TRUE(t_.SelfAndDescendants("no-such").empty());
}

TEST_F(TaxonomyDataTest, AddRefusesUnknownParentAndDuplicates) {
  v1::Category orphan;
  orphan.set_name("categories/x");
  orphan.set_parent("categories/nothing");
  EXPECT_EQ(t_.AddCategory(orphan).code(),
            absl::StatusCode::kFailedPrecondition);
  v1::Category dup;
  dup.set_name("categories/batik");
  EXPECT_EQ(t_.AddCategory(dup).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(TaxonomyDataTest, SearchesBothLanguagesIgnoringCaseAndAccents) {
  auto ids = [&](absl::string_view q) {
    std::vector<std::string> out;
    for (const auto* c : SearchCategories(t_, q, 10)) out.push_back(c->name());
    return out;
  };
  // Indonesian label; exact label first.
  EXPECT_EQ(ids("jamur tiram").front(), "categories/jamur-tiram");
  // English label.
  EXPECT_EQ(ids("OYSTER mushrooms").front(), "categories/jamur-tiram");
  // Accents in the query are folded.
  EXPECT_EQ(ids("Kafé").front(), "categories/kafe");
  // Every word must match.
  EXPECT_TRUE(ids("jamur batik").empty());
  EXPECT_TRUE(ids("   ").empty());
  EXPECT_EQ(FoldForSearch("ÀÉÎÕÜ ç"), "aeiou c");
}

}  // namespace
}  // namespace jalin::registry
