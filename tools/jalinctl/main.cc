// jalinctl: the command-line tool for integrators and facilitators.

#include <iostream>
#include <string>
#include <vector>

#include "tools/jalinctl/command.h"

namespace {

void Usage() {
  std::cout << "usage: jalinctl <command> [flags]\n\ncommands:\n";
  for (const auto& c : jalin::ctl::Commands()) {
    std::cout << "  " << c.name
              << std::string(12 - std::min<size_t>(11, c.name.size()), ' ')
              << c.summary << "\n";
  }
  std::cout << "\n'jalinctl <command> --help' describes a command's flags; "
               "every flag can also be set as JALIN_<FLAG> in the "
               "environment.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" ||
      std::string(argv[1]) == "-h" || std::string(argv[1]) == "help") {
    Usage();
    return argc < 2 ? jalin::ctl::kUsage : jalin::ctl::kOk;
  }
  const std::string name = argv[1];
  for (const auto& c : jalin::ctl::Commands()) {
    if (c.name == name) {
      return c.run(std::vector<std::string>(argv + 2, argv + argc));
    }
  }
  std::cerr << "jalinctl: unknown command '" << name << "'\n";
  Usage();
  return jalin::ctl::kUsage;
}
