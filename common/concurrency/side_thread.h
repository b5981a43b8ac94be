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

#include <cstddef>
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

  // Calls `fn(worker, begin, end)` for the chunks [begin, end) of [0, n),
  // `chunk` items each (the last may be shorter), on the calling thread
  // (worker 0) and the side thread (worker 1) at once. Each takes the next
  // chunk as it finishes one, so neither sits idle while work is left
  // however unevenly the items cost; which worker gets which chunk varies
  // from call to call. When the side thread is still busy with another
  // caller's work once the calling thread has taken the last chunk, it is
  // not waited for. Returns once every chunk is done. `chunk` >= 1.
  void ForEachChunk(
      size_t n, size_t chunk,
      absl::FunctionRef<void(int worker, size_t begin, size_t end)> fn);

 private:
  // A half handed over; lives on the caller's stack until done.
  struct Task {
    absl::FunctionRef<void()> run;
    bool started = false;
    bool done = false;
  };

  // RunBoth; when `skippable`, a `first` the side thread has not started by
  // the time `second` returns is dropped instead of waited for.
  void Run(absl::FunctionRef<void()> first, absl::FunctionRef<void()> second,
           bool skippable);
  void Loop();
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::deque<Task*> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace jalin

#endif  // COMMON_CONCURRENCY_SIDE_THREAD_H_
