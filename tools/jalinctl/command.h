// jalinctl's subcommands: each registers a name, a one-line summary and a
// function that takes its arguments and returns the process exit code.

#ifndef TOOLS_JALINCTL_COMMAND_H_
#define TOOLS_JALINCTL_COMMAND_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/config/config.h"

namespace jalin::ctl {

// Exit codes scripts can rely on.
enum ExitCode {
  kOk = 0,
  // The service answered with an error (details printed).
  kFailed = 1,
  // Bad command line.
  kUsage = 2,
  // A service could not be reached.
  kUnavailable = 3,
  // Some records were rejected (import).
  kPartial = 4,
};

struct Command {
  std::string name;
  std::string summary;
  std::function<int(const std::vector<std::string>& args)> run;
};

// All subcommands, in the order `jalinctl --help` lists them.
const std::vector<Command>& Commands();

// Prints `status` to stderr the way every subcommand reports errors: the
// message, then each BadRequest violation on its own line. Returns the exit
// code that fits the status.
int ReportError(const absl::Status& status);

// Parses a subcommand's flags (and their JALIN_* environment overrides).
// Returns an exit code when the command must stop here (--help printed:
// kOk; bad flags: kUsage), nothing when it should go on.
std::optional<int> ParseFlags(Config& config,
                              const std::vector<std::string>& args);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_COMMAND_H_
