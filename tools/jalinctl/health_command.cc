// jalinctl health: is a service up (and ready)?

#include <iostream>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/rpc/health.h"
#include "tools/jalinctl/command.h"

namespace jalin::ctl {

int HealthCommand(const std::vector<std::string>& args, Io& io) {
  std::string addresses = "127.0.0.1:7101";
  std::string service;
  absl::Duration wait = absl::ZeroDuration();
  Config config("jalinctl health",
                "prints the health of each address; with --wait, waits until "
                "all report SERVING (exit 3 if they do not in time)");
  config.AddString("address", &addresses,
                   "comma-separated gRPC addresses (host:port)");
  config.AddString("service", &service,
                   "health entry to ask for: \"\" (readiness), liveness, "
                   "store, redis");
  config.AddDuration("wait", &wait, "wait this long for SERVING; 0 asks once");
  if (auto code = ParseFlags(config, args, io)) return *code;

  int exit_code = kOk;
  for (absl::string_view a :
       absl::StrSplit(addresses, ',', absl::SkipEmpty())) {
    std::string address(a);
    if (wait > absl::ZeroDuration()) {
      absl::Status s = rpc::WaitForServing(address, service, wait);
      if (!s.ok()) {
        io.err << address << ": " << s.message() << "\n";
        exit_code = kUnavailable;
        continue;
      }
      io.out << address << ": SERVING\n";
      continue;
    }
    absl::StatusOr<std::string> status =
        rpc::CheckHealth(address, service, absl::Seconds(3));
    if (!status.ok()) {
      io.err << address << ": " << status.status().message() << "\n";
      exit_code = kUnavailable;
      continue;
    }
    io.out << address << ": " << *status << "\n";
    if (*status != "SERVING") exit_code = kUnavailable;
  }
  return exit_code;
}

}  // namespace jalin::ctl
