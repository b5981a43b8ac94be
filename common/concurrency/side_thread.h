// A long-lived thread for work split in two: the caller hands one half to
// it and does the other half itself (RunBoth).
//
// Why not a thread per call: a new thread starts with empty allocator
// caches and an arena whose pages may have been given back, so a half that
// allocates (a channeling report's 16 MiB of text) ran twice as slow on a
// fresh thread as on the caller's. A thread that lives on keeps them warm.
//
// Thread-safe: callers on several threads share it; their halves run on it
// one at a time, in the order they were handed over. A half must not wait
// for another caller's work (it would wait behind it in the queue).

#ifndef COMMON_CONCURRENCY_SIDE_THREAD_H_
#define COMMON_CONCURRENCY_SIDE_THREAD_H_

#include <deque>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/synchronization/mutex.h"

namespace jalin {

class SideThread {
 public:
  SideThread();
  // Runs what was handed over, then joins the thread.
  ~SideThread();
  SideThread(const SideThread&) = delete;
  SideThread& operator=(const SideThread&) = delete;

  // Runs `first` on the side thread and `second` on the calling one at the
  // same time; returns once both have returned.
  void RunBoth(absl::FunctionRef<void()> first,
               absl::FunctionRef<void()> second);

 private:
  // A half handed over; lives on the caller's stack until done.
  struct Task {
    absl::FunctionRef<void()> run;
    bool done = false;
  };

  void Loop();
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::deque<Task*> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace jalin

#endif  // COMMON_CONCURRENCY_SIDE_THREAD_H_
