// A child process for tests and benchmarks: a real service binary or
// redis-server, with its output in a log file.

#ifndef COMMON_TESTING_PROCESS_H_
#define COMMON_TESTING_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jalin::testing {

// Not thread-safe. The child is killed (SIGKILL) if the Process object is
// destroyed while it runs, and when the parent dies.
class Process {
 public:
  // Starts argv[0] (looked up in PATH when it has no '/') with the parent's
  // environment plus `env` ("NAME=value"), stdout and stderr appended to
  // `log_path`.
  static absl::StatusOr<std::unique_ptr<Process>> Start(
      const std::vector<std::string>& argv, const std::vector<std::string>& env,
      const std::string& log_path);
  ~Process();

  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !exited_; }
  const std::string& log_path() const { return log_path_; }

  absl::Status Signal(int sig);
  // Waits until the child exits. Returns its exit code, or 128 + signal if
  // a signal ended it; DEADLINE_EXCEEDED if it still runs after `timeout`.
  absl::StatusOr<int> Wait(absl::Duration timeout);
  // SIGKILL and reap.
  void Kill();

 private:
  Process(pid_t pid, int pidfd, std::string log_path);

  pid_t pid_;
  int pidfd_;
  std::string log_path_;
  bool exited_ = false;
  int exit_code_ = 0;
};

// The last `max_bytes` of a log file, for failure messages.
std::string TailOfFile(const std::string& path, size_t max_bytes = 4000);

}  // namespace jalin::testing

#endif  // COMMON_TESTING_PROCESS_H_
