// Runs an external program (kubectl, a deploy script, a service binary) to
// completion and captures what it printed, for the deployment tests.

#ifndef TESTS_DEPLOY_COMMAND_H_
#define TESTS_DEPLOY_COMMAND_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jalin::deploy {

struct CommandResult {
  int exit_code = 0;  // 128 + signal when a signal ended the program
  std::string out;    // everything written to stdout
  std::string err;    // everything written to stderr
};

// Runs argv[0] (looked up in PATH when it has no '/') with `env`
// ("NAME=value") as its whole environment, or the parent's environment when
// `env` is empty. Kills the program and fails with DEADLINE_EXCEEDED when it
// runs longer than `timeout`. Thread-compatible.
absl::StatusOr<CommandResult> RunCommand(
    const std::vector<std::string>& argv,
    const std::optional<std::vector<std::string>>& env = std::nullopt,
    absl::Duration timeout = absl::Minutes(2));

// "argv[0] argv[1] ..." for messages.
std::string CommandLine(const std::vector<std::string>& argv);

}  // namespace jalin::deploy

#endif  // TESTS_DEPLOY_COMMAND_H_
