#include "common/concurrency/side_thread.h"

#include <algorithm>
#include <atomic>

namespace jalin {

SideThread::SideThread() : thread_([this] { Loop(); }) {}

SideThread::~SideThread() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void SideThread::RunBoth(absl::FunctionRef<void()> first,
                         absl::FunctionRef<void()> second) {
  Run(first, second, /*skippable=*/false);
}

void SideThread::Run(absl::FunctionRef<void()> first,
                     absl::FunctionRef<void()> second, bool skippable) {
  Task task{first};
  {
    absl::MutexLock lock(&mu_);
    queue_.push_back(&task);
  }
  second();
  absl::MutexLock lock(&mu_);
  if (skippable && !task.started) {
    queue_.erase(std::find(queue_.begin(), queue_.end(), &task));
    return;
  }
  mu_.Await(absl::Condition(&task.done));
}

void SideThread::ForEachChunk(
    size_t n, size_t chunk,
    absl::FunctionRef<void(int worker, size_t begin, size_t end)> fn) {
  std::atomic<size_t> next{0};
  auto work = [&](int worker) {
    while (true) {
      const size_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= n) return;
      fn(worker, begin, std::min(n, begin + chunk));
    }
  };
  Run([&] { work(1); }, [&] { work(0); }, /*skippable=*/true);
}

bool SideThread::HasWorkOrStopping() const {
  return stopping_ || !queue_.empty();
}

void SideThread::Loop() {
  absl::MutexLock lock(&mu_);
  while (true) {
    mu_.Await(absl::Condition(this, &SideThread::HasWorkOrStopping));
    if (queue_.empty()) return;  // stopping, with nothing left to run
    Task* task = queue_.front();
    queue_.pop_front();
    task->started = true;
    mu_.Unlock();
    task->run();
    mu_.Lock();
    task->done = true;
  }
}

}  // namespace jalin
