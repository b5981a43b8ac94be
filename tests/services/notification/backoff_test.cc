// Exponential backoff with jitter and an attempt limit.

#include "services/notification/backoff.h"

#include "gtest/gtest.h"

namespace jalin::notification {
namespace {

TEST(BackoffTest, CeilingDoublesUpToTheCap) {
  Backoff b({.initial = absl::Milliseconds(100),
             .max = absl::Seconds(1),
             .max_attempts = 5});
  EXPECT_EQ(b.Ceiling(1), absl::Milliseconds(100));
  EXPECT_EQ(b.Ceiling(2), absl::Milliseconds(200));
  EXPECT_EQ(b.Ceiling(3), absl::Milliseconds(400));
  EXPECT_EQ(b.Ceiling(4), absl::Milliseconds(800));
  EXPECT_EQ(b.Ceiling(5), absl::Seconds(1));
  EXPECT_EQ(b.Ceiling(60), absl::Seconds(1));
}

TEST(BackoffTest, DelaysAreJitteredWithinHalfToFullCeiling) {
  Backoff b({.initial = absl::Milliseconds(100),
             .max = absl::Seconds(10),
             .max_attempts = 5});
  absl::Duration lowest = absl::InfiniteDuration();
  absl::Duration highest = absl::ZeroDuration();
  for (int i = 0; i < 2000; ++i) {
    const absl::Duration d = b.Delay(3);
    ASSERT_GE(d, absl::Milliseconds(200));
    ASSERT_LE(d, absl::Milliseconds(400));
    lowest = std::min(lowest, d);
    highest = std::max(highest, d);
  }
  // Spread, not a constant.
  EXPECT_LT(lowest, absl::Milliseconds(250));
  EXPECT_GT(highest, absl::Milliseconds(350));
}

TEST(BackoffTest, ExhaustedAfterTheLimit) {
  Backoff b({.max_attempts = 3});
  EXPECT_FALSE(b.Exhausted(1));
  EXPECT_FALSE(b.Exhausted(2));
  EXPECT_TRUE(b.Exhausted(3));
}

}  // namespace
}  // namespace jalin::notification
