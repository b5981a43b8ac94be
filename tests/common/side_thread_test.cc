#include "common/concurrency/side_thread.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace jalin {
namespace {

TEST(SideThreadTest, RunsTheFirstHalfOnItsOwnLongLivedThread) {
  SideThread side;
  std::vector<std::thread::id> first_ids;
  std::thread::id second_id;
  for (int i = 0; i < 3; ++i) {
    side.RunBoth([&] { first_ids.push_back(std::this_thread::get_id()); },
                 [&] { second_id = std::this_thread::get_id(); });
  }
  ASSERT_EQ(first_ids.size(), 3u);
  EXPECT_EQ(second_id, std::this_thread::get_id());
  EXPECT_NE(first_ids[0], std::this_thread::get_id());
  // The same thread every time: it is not started per call.
  EXPECT_EQ(first_ids[1], first_ids[0]);
  EXPECT_EQ(first_ids[2], first_ids[0]);
}

TEST(SideThreadTest, RunsTheTwoHalvesAtTheSameTime) {
  SideThread side;
  absl::Notification first_started, second_started;
  bool first_saw_second = false, second_saw_first = false;
  // Each half waits for the other to have started: run one after the
  // other, the first would give up after its timeout.
  side.RunBoth(
      [&] {
        first_started.Notify();
        first_saw_second =
            second_started.WaitForNotificationWithTimeout(absl::Seconds(10));
      },
      [&] {
        second_started.Notify();
        second_saw_first =
            first_started.WaitForNotificationWithTimeout(absl::Seconds(10));
      });
  EXPECT_TRUE(first_saw_second);
  EXPECT_TRUE(second_saw_first);
}

TEST(SideThreadTest, ReturnsOnlyOnceTheFirstHalfIsDone) {
  SideThread side;
  std::atomic<bool> first_done{false};
  side.RunBoth(
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        first_done = true;
      },
      [] {});
  EXPECT_TRUE(first_done);
}

TEST(SideThreadTest, ServesSeveralCallersAtOnce) {
  SideThread side;
  constexpr int kCallers = 4;
  constexpr int kCalls = 300;
  std::atomic<int> firsts{0}, seconds{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&] {
      for (int i = 0; i < kCalls; ++i) {
        int mine = 0;
        side.RunBoth(
            [&] {
              ++mine;
              ++firsts;
            },
            [&] { ++seconds; });
        // The caller's own half was run exactly once before RunBoth
        // returned.
        EXPECT_EQ(mine, 1);
      }
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(firsts.load(), kCallers * kCalls);
  EXPECT_EQ(seconds.load(), kCallers * kCalls);
}

}  // namespace
}  // namespace jalin
