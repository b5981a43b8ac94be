#include "common/ids.h"

#include <set>

#include "gtest/gtest.h"

namespace jalin {
namespace {

TEST(UlidTest, SortsByTimeAndIsUnique) {
  const absl::Time t = absl::FromUnixMillis(1'700'000'000'000);
  std::string earlier = NewUlid(t);
  std::string later = NewUlid(t + absl::Milliseconds(1));
  EXPECT_EQ(earlier.size(), 26u);
  EXPECT_LT(earlier, later);
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(NewUlid(t));
  EXPECT_EQ(seen.size(), 10000u);
  for (char c : earlier) {
    EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) << c;
    EXPECT_NE(c, 'i');
    EXPECT_NE(c, 'l');
    EXPECT_NE(c, 'o');
    EXPECT_NE(c, 'u');
  }
}

}  // namespace
}  // namespace jalin
