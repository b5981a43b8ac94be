// The shape of dotted Kemendagri codes, level by level.

#include "common/regions/region_code.h"

#include <string>

#include "gtest/gtest.h"

namespace jalin::regions {
namespace {

TEST(RegionCodeTest, EachLevelHasItsWidth) {
  EXPECT_EQ(CodeDepth("33"), 1);
  EXPECT_EQ(CodeDepth("33.13"), 2);
  EXPECT_EQ(CodeDepth("33.13.05"), 3);
  EXPECT_EQ(CodeDepth("33.13.05.2001"), 4);
  EXPECT_TRUE(IsRegionCode("33"));
  EXPECT_TRUE(IsRegionCode("33.13"));
  EXPECT_FALSE(IsRegionCode("33.13.05"));
  EXPECT_FALSE(IsRegionCode("33.13.05.2001"));
}

TEST(RegionCodeTest, AnythingElseIsNotACode) {
  for (const std::string& bad :
       {std::string(""), std::string("3"), std::string("331"),
        std::string("33."), std::string(".33"), std::string("33..13"),
        std::string("33.1"), std::string("33.133"), std::string("33.13.5"),
        std::string("33.13.05.201"), std::string("33.13.05.20011"),
        std::string("33.13.05.2001.1"), std::string("3a.13"),
        std::string("regions/33"), std::string(" 33"),
        std::string(100'000, '9')}) {
    EXPECT_EQ(CodeDepth(bad), 0) << bad.substr(0, 40);
    EXPECT_FALSE(IsRegionCode(bad)) << bad.substr(0, 40);
  }
}

}  // namespace
}  // namespace jalin::regions
