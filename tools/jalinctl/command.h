// jalinctl's subcommands: each registers a name, a one-line summary and a
// function that takes its arguments and returns the process exit code.

#ifndef TOOLS_JALINCTL_COMMAND_H_
#define TOOLS_JALINCTL_COMMAND_H_

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/clock.h"
#include "common/config/config.h"

namespace jalin::ctl {

// Exit codes scripts can rely on (documented in `jalinctl --help`).
enum ExitCode {
  kOk = 0,
  // The service answered with an error not listed below (details printed).
  kFailed = 1,
  // Bad command line, or an input file that cannot be read.
  kUsage = 2,
  // A service could not be reached or did not answer in time: a retry may
  // help.
  kUnavailable = 3,
  // Some records were rejected (import); the rest were stored.
  kPartial = 4,
  // The service rejected the request as invalid (INVALID_ARGUMENT).
  kInvalid = 5,
  // The resource does not exist (NOT_FOUND).
  kNotFound = 6,
  // No valid token, or the token's role or regions do not allow it
  // (UNAUTHENTICATED, PERMISSION_DENIED).
  kDenied = 7,
  // The request conflicts with the resource's state (ALREADY_EXISTS,
  // FAILED_PRECONDITION, ABORTED).
  kConflict = 8,
};

// The exit codes as text, for --help and the README.
std::string ExitCodeHelp();

// Where a command writes, and the clock it reads; tests pass string streams
// and a fake clock. Not owned; live for the command's run.
struct Io {
  std::ostream& out;
  std::ostream& err;
  // Whether `err` is a terminal (progress bars, colours).
  bool err_is_terminal = false;
  const Clock* clock = SystemClock::Get();
};

struct Command {
  std::string name;
  std::string summary;
  std::function<int(const std::vector<std::string>& args, Io& io)> run;
};

// All subcommands, in the order `jalinctl --help` lists them.
const std::vector<Command>& Commands();
// Runs `jalinctl <args...>` (args without the program name).
int RunJalinctl(const std::vector<std::string>& args, Io& io);

// Prints `status` to io.err the way every subcommand reports errors: the
// code and message, then each BadRequest violation on its own line. Returns
// the exit code that fits the status.
int ReportError(Io& io, const absl::Status& status);
// Prints a problem with the command line or a local file ("jalinctl: "
// and the message) and returns kUsage.
int UsageError(Io& io, const absl::Status& status);
// The exit code for a status code.
int ExitCodeFor(absl::StatusCode code);

// Parses a subcommand's flags (and their JALIN_* environment overrides).
// Arguments that are not flags or flag values are moved to *positional
// (nullptr: they are an error). Returns an exit code when the command must
// stop here (--help printed: kOk; bad flags: kUsage), nothing when it should
// go on.
std::optional<int> ParseFlags(Config& config,
                              const std::vector<std::string>& args, Io& io,
                              std::vector<std::string>* positional = nullptr);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_COMMAND_H_
