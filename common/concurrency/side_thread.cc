#include "common/concurrency/side_thread.h"

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
  Task task{first};
  {
    absl::MutexLock lock(&mu_);
    queue_.push_back(&task);
  }
  second();
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(&task.done));
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
    mu_.Unlock();
    task->run();
    mu_.Lock();
    task->done = true;
  }
}

}  // namespace jalin
