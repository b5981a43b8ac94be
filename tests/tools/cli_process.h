// Runs jalinctl, jalin-datagen or a script as a child process for
// integration tests, with its standard output and error kept apart.

#ifndef TESTS_TOOLS_CLI_PROCESS_H_
#define TESTS_TOOLS_CLI_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/testing/process.h"

namespace jalin::ctl::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Not thread-safe. Output files live in `dir` (named after `name`).
class CliProcess {
 public:
  // Starts `argv` (argv[0] a path or a name in PATH) with the parent's
  // environment plus `env` ("NAME=value").
  static absl::StatusOr<std::unique_ptr<CliProcess>> Start(
      const std::vector<std::string>& argv, const std::vector<std::string>& env,
      const std::string& dir, const std::string& name);

  // Waits for the exit and returns code and output.
  absl::StatusOr<CliResult> Wait(absl::Duration timeout);
  // SIGKILL, as an operator's kill -9 or a crash would.
  void Kill() { process_->Kill(); }
  bool running() const { return process_->running(); }
  std::string out() const;
  std::string err() const;

 private:
  CliProcess() = default;
  std::unique_ptr<jalin::testing::Process> process_;
  std::string out_path_;
  std::string err_path_;
};

// Start + Wait.
absl::StatusOr<CliResult> RunCli(const std::vector<std::string>& argv,
                                 const std::vector<std::string>& env,
                                 const std::string& dir,
                                 const std::string& name,
                                 absl::Duration timeout = absl::Minutes(3));

}  // namespace jalin::ctl::testing

#endif  // TESTS_TOOLS_CLI_PROCESS_H_
