// The process's Prometheus metrics, read back through the registry's
// collection (what /metrics serves).

#include "common/server/metrics.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jalin {
namespace {

const prometheus::MetricFamily* Find(
    const std::vector<prometheus::MetricFamily>& families,
    const std::string& name) {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TEST(MetricsTest, StoreWritersHeldIsAHistogramOfSeconds) {
  Metrics metrics;
  // Not shown by a process that never asks for the recorder.
  EXPECT_EQ(
      Find(metrics.registry().Collect(), "jalin_store_writers_held_seconds"),
      nullptr);
  const auto record = metrics.StoreWritersHeldRecorder();
  record(absl::Microseconds(3000));
  record(absl::Milliseconds(40));
  const auto families = metrics.registry().Collect();
  const prometheus::MetricFamily* f =
      Find(families, "jalin_store_writers_held_seconds");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->type, prometheus::MetricType::Histogram);
  ASSERT_EQ(f->metric.size(), 1u);
  const prometheus::ClientMetric::Histogram& h = f->metric[0].histogram;
  EXPECT_EQ(h.sample_count, 2u);
  EXPECT_DOUBLE_EQ(h.sample_sum, 0.043);
  // Cumulative buckets: one at or below 5 ms, both at or below 50 ms.
  std::vector<std::pair<double, uint64_t>> buckets;
  for (const auto& b : h.bucket) {
    buckets.emplace_back(b.upper_bound, b.cumulative_count);
  }
  EXPECT_THAT(buckets, ::testing::IsSupersetOf({std::pair(0.002, 0ul),
                                                std::pair(0.005, 1ul),
                                                std::pair(0.05, 2ul)}));
}

}  // namespace
}  // namespace jalin
