#include "tools/jalinctl/command.h"

#include <iostream>

#include "common/status/errors.h"

namespace jalin::ctl {

int HealthCommand(const std::vector<std::string>& args);
int TokenCommand(const std::vector<std::string>& args);

const std::vector<Command>& Commands() {
  static const std::vector<Command>* commands = new std::vector<Command>{
      {"health", "check or wait until services report SERVING", HealthCommand},
      {"token", "mint a development token for a role and regions",
       TokenCommand},
  };
  return *commands;
}

std::optional<int> ParseFlags(Config& config,
                              const std::vector<std::string>& args) {
  std::string out;
  absl::StatusOr<bool> go = config.Parse(args, ProcessEnv, &out);
  if (!go.ok()) {
    std::cerr << "jalinctl: " << go.status().message() << "\n";
    return kUsage;
  }
  if (!*go) {
    std::cout << out;
    return kOk;
  }
  return std::nullopt;
}

int ReportError(const absl::Status& status) {
  std::cerr << "error: " << absl::StatusCodeToString(status.code()) << ": "
            << status.message() << "\n";
  if (auto bad = GetBadRequest(status)) {
    for (const auto& v : bad->field_violations()) {
      std::cerr << "  " << v.field() << ": " << v.description() << "\n";
    }
  }
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return kUnavailable;
    case absl::StatusCode::kInvalidArgument:
      return kFailed;
    default:
      return kFailed;
  }
}

}  // namespace jalin::ctl
