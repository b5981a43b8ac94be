#include "common/concurrency/side_thread.h"

#include <atomic>
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
  absl::Notification second_done;
  std::atomic<bool> first_done{false};
  // The first half ends only after the second has: returning when the
  // second half does would find it unfinished.
  side.RunBoth(
      [&] {
        second_done.WaitForNotificationWithTimeout(absl::Seconds(10));
        first_done = true;
      },
      [&] { second_done.Notify(); });
  EXPECT_TRUE(first_done);
}

TEST(SideThreadTest, ForEachChunkCoversEveryItemOnceOnBothWorkers) {
  SideThread side;
  constexpr size_t kItems = 1003;
  std::vector<std::atomic<int>> seen(kItems);
  std::atomic<int> chunks_of[2] = {0, 0};
  // Each worker's first chunk waits until the other has one too, so that
  // both take part however fast either is.
  absl::Notification started[2];
  side.ForEachChunk(kItems, 10, [&](int worker, size_t begin, size_t end) {
    ASSERT_TRUE(worker == 0 || worker == 1);
    ASSERT_LT(begin, end);
    ASSERT_LE(end - begin, 10u);
    for (size_t i = begin; i < end; ++i) ++seen[i];
    if (chunks_of[worker]++ == 0) {
      started[worker].Notify();
      started[1 - worker].WaitForNotificationWithTimeout(absl::Seconds(10));
    }
  });
  for (size_t i = 0; i < kItems; ++i) EXPECT_EQ(seen[i].load(), 1) << i;
  EXPECT_EQ(chunks_of[0] + chunks_of[1], 101);
  EXPECT_GT(chunks_of[0].load(), 0);
  EXPECT_GT(chunks_of[1].load(), 0);
}

TEST(SideThreadTest, ForEachChunkOfNothingCallsNothing) {
  SideThread side;
  int calls = 0;
  side.ForEachChunk(0, 4, [&](int, size_t, size_t) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(SideThreadTest, ForEachChunkDoesNotWaitForASideThreadThatIsBusy) {
  SideThread side;
  absl::Notification release, blocker_started;
  std::thread blocker([&] {
    side.RunBoth(
        [&] {
          blocker_started.Notify();
          release.WaitForNotification();
        },
        [] {});
  });
  blocker_started.WaitForNotification();
  // The side thread is held; the caller does every chunk itself and
  // returns without waiting for it (were it to wait, it would return only
  // once released, after the timeout below).
  int done_by[2] = {0, 0};
  absl::Notification returned;
  std::thread caller([&] {
    side.ForEachChunk(8, 1,
                      [&](int worker, size_t, size_t) { ++done_by[worker]; });
    returned.Notify();
  });
  const bool in_time =
      returned.WaitForNotificationWithTimeout(absl::Seconds(10));
  release.Notify();
  caller.join();
  blocker.join();
  EXPECT_TRUE(in_time);
  EXPECT_EQ(done_by[0], 8);
  EXPECT_EQ(done_by[1], 0);
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
