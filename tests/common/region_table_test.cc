// The region file that ships with jalin (data/regions.csv).

#include "common/regions/region_table.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jalin::regions {
namespace {

const std::string kPath = std::string(JALIN_SOURCE_DIR) + "/data/regions.csv";

TEST(RegionTableTest, ShipsAllProvincesAndRegencies) {
  auto table = RegionTable::Load(kPath);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->Provinces().size(), 34u);
  size_t regencies = 0, cities = 0;
  for (const auto& r : table->all()) {
    if (r.level == Level::kRegency) ++regencies;
    if (r.level == Level::kCity) ++cities;
    if (r.level != Level::kProvince) {
      EXPECT_NE(table->Find(r.province_code), nullptr) << r.code;
    }
    // Every point lies within Indonesia's bounding box.
    EXPECT_GT(r.latitude, -11.5) << r.code;
    EXPECT_LT(r.latitude, 6.5) << r.code;
    EXPECT_GT(r.longitude, 94.5) << r.code;
    EXPECT_LT(r.longitude, 141.5) << r.code;
  }
  EXPECT_EQ(regencies + cities, 514u);
  const RegionInfo* k = table->Find("regions/33.13");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->name, "Kabupaten Karanganyar");
  EXPECT_EQ(k->province_code, "33");
  EXPECT_EQ(table->Find("33")->name, "Jawa Tengah");
  EXPECT_EQ(table->Find("31")->name, "DKI Jakarta");
  EXPECT_EQ(table->Find("99.99"), nullptr);
  EXPECT_EQ(table->RegionsOf("regions/33").size(),
            35u);  // 29 kabupaten, 6 kota
}

TEST(RegionTableTest, NeighboursAreCloseAndFarRegionsFar) {
  auto table = RegionTable::Load(kPath);
  ASSERT_TRUE(table.ok());
  // Karanganyar and Kota Surakarta are neighbours.
  double near = table->DistanceKm("33.13", "33.72");
  EXPECT_GT(near, 5);
  EXPECT_LT(near, 40);
  // Karanganyar to Jayapura: thousands of km.
  EXPECT_GT(table->DistanceKm("33.13", "94.71"), 3000);
  EXPECT_EQ(table->DistanceKm("33.13", "nowhere"), -1);
}

TEST(RegionTableTest, MalformedFileNamesTheLine) {
  testing::TempDir dir;
  std::ofstream(dir.File("r.csv"))
      << "code,level,name,province_code,latitude,longitude\n"
      << "33,PROVINCE,Jawa Tengah,33,-7.1,110.1\n"
      << "33.13,REGENCY,Karanganyar,33,north,110.9\n";
  auto table = RegionTable::Load(dir.File("r.csv"));
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.status().message(), ::testing::HasSubstr("r.csv:3"));
  EXPECT_FALSE(RegionTable::Load(dir.File("missing.csv")).ok());
}

}  // namespace
}  // namespace jalin::regions
