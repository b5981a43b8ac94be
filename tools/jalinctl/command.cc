#include "tools/jalinctl/command.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tools/jalinctl/error_text.h"

namespace jalin::ctl {

int HealthCommand(const std::vector<std::string>& args, Io& io);
int TokenCommand(const std::vector<std::string>& args, Io& io);
int ImportCommand(const std::vector<std::string>& args, Io& io);
int GetCommand(const std::vector<std::string>& args, Io& io);
int ListCommand(const std::vector<std::string>& args, Io& io);
int StatsCommand(const std::vector<std::string>& args, Io& io);
int MatchCommand(const std::vector<std::string>& args, Io& io);
int ReportCommand(const std::vector<std::string>& args, Io& io);
int ProposeCommand(const std::vector<std::string>& args, Io& io);
int AcceptCommand(const std::vector<std::string>& args, Io& io);
int DeclineCommand(const std::vector<std::string>& args, Io& io);
int OutcomeCommand(const std::vector<std::string>& args, Io& io);
int WatchCommand(const std::vector<std::string>& args, Io& io);

const std::vector<Command>& Commands() {
  static const std::vector<Command>* commands = new std::vector<Command>{
      {"import", "import clusters, UMKM, partners and listings from CSV/JSONL",
       ImportCommand},
      {"get", "show one resource by name (clusters/..., listings/...)",
       GetCommand},
      {"list", "list a collection (clusters, enterprises, listings, ...)",
       ListCommand},
      {"stats", "counts of UMKM, clusters, partners, offers and needs",
       StatsCommand},
      {"match", "best counterparts for a listing, with reasons", MatchCommand},
      {"report", "channeling report between two regions", ReportCommand},
      {"propose", "propose a cooperation between an offer and a need",
       ProposeCommand},
      {"accept", "accept a proposal (as one of its parties)", AcceptCommand},
      {"decline", "decline a proposal (as one of its parties)", DeclineCommand},
      {"outcome", "record what came of an agreed proposal", OutcomeCommand},
      {"watch", "follow a recipient's live notifications", WatchCommand},
      {"token", "mint a development token for a role and regions",
       TokenCommand},
      {"health", "check or wait until services report SERVING", HealthCommand},
  };
  return *commands;
}

std::string ExitCodeHelp() {
  return "exit codes:\n"
         "  0  done\n"
         "  1  the service answered with another error\n"
         "  2  bad command line or unreadable input file\n"
         "  3  a service could not be reached or timed out (retry)\n"
         "  4  import: some rows were rejected (see the rejected-rows file)\n"
         "  5  the service rejected the request as invalid\n"
         "  6  not found\n"
         "  7  no valid token, or not allowed for this role or region\n"
         "  8  conflicts with the resource's state (exists, wrong state)\n";
}

namespace {

void Usage(std::ostream& out) {
  out << "usage: jalinctl <command> [arguments] [flags]\n\ncommands:\n";
  for (const auto& c : Commands()) {
    out << "  " << c.name
        << std::string(10 - std::min<size_t>(9, c.name.size()), ' ')
        << c.summary << "\n";
  }
  out << "\n'jalinctl <command> --help' describes a command's flags; every "
         "flag can also be set as JALIN_<FLAG> in the environment (a flag "
         "wins).\nServices are reached at --registry_address, "
         "--matching_address, --notification_address\n(JALIN_*_ADDRESS); "
         "the bearer token comes from --token, --token_file or, when "
         "neither is set,\nthe file var/dev-token that deploy/dev.sh up "
         "writes.\n\n"
      << ExitCodeHelp();
}

}  // namespace

int RunJalinctl(const std::vector<std::string>& args, Io& io) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
      args[0] == "help") {
    Usage(args.empty() ? io.err : io.out);
    return args.empty() ? kUsage : kOk;
  }
  for (const auto& c : Commands()) {
    if (c.name == args[0]) {
      return c.run(std::vector<std::string>(args.begin() + 1, args.end()), io);
    }
  }
  io.err << "jalinctl: unknown command '" << args[0] << "'\n";
  Usage(io.err);
  return kUsage;
}

int ExitCodeFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return kOk;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
      return kUnavailable;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return kInvalid;
    case absl::StatusCode::kNotFound:
      return kNotFound;
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
      return kDenied;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
      return kConflict;
    default:
      return kFailed;
  }
}

int ReportError(Io& io, const absl::Status& status) {
  std::vector<std::string> lines = ErrorLines(status);
  io.err << "error: " << lines[0] << "\n";
  for (size_t i = 1; i < lines.size(); ++i) io.err << "  " << lines[i] << "\n";
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    io.err << "  (pass a token with --token or --token_file; "
              "'jalinctl token --help' mints one for development)\n";
  }
  return ExitCodeFor(status.code());
}

int UsageError(Io& io, const absl::Status& status) {
  io.err << "jalinctl: " << status.message() << "\n";
  return kUsage;
}

std::optional<int> ParseFlags(Config& config,
                              const std::vector<std::string>& args, Io& io,
                              std::vector<std::string>* positional) {
  std::vector<std::string> flags;
  bool only_positional = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool is_flag =
        !only_positional && (absl::StartsWith(a, "--") || a == "-h");
    if (a == "--" && positional != nullptr && !only_positional) {
      only_positional = true;
      continue;
    }
    if (!is_flag) {
      if (positional == nullptr) {
        io.err << "jalinctl: unexpected argument '" << a << "' (see --help)\n";
        return kUsage;
      }
      positional->push_back(a);
      continue;
    }
    flags.push_back(a);
    if (absl::StrContains(a, '=') || a == "-h") continue;
    // "--name value": the value belongs to the flag unless it is a bool.
    const std::string name = absl::StrReplaceAll(a.substr(2), {{"-", "_"}});
    for (const auto& s : config.settings()) {
      if (s.name == name && s.type != "bool" && i + 1 < args.size()) {
        flags.push_back(args[++i]);
        break;
      }
    }
  }
  std::string out;
  absl::StatusOr<bool> go = config.Parse(flags, ProcessEnv, &out);
  if (!go.ok()) {
    io.err << "jalinctl: " << go.status().message() << "\n";
    return kUsage;
  }
  if (!*go) {
    io.out << out;
    return kOk;
  }
  return std::nullopt;
}

}  // namespace jalin::ctl
