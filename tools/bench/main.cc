// jalin-bench <scenario> [--scale N] [scenario args...]

#include <cstdlib>
#include <iostream>
#include <string>

#include "common/concurrency/mutex_mode.h"
#include "tools/bench/bench.h"

namespace {

void Usage() {
  std::cout << "usage: jalin-bench <scenario> [--scale N]\n\nscenarios:\n";
  for (const auto& s : jalin::bench::Scenarios()) {
    std::cout << "  " << s.name << ": " << s.description << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  jalin::SkipMutexDeadlockDetection();
  if (argc < 2 || std::string(argv[1]) == "--help") {
    Usage();
    return argc < 2 ? 2 : 0;
  }
  jalin::bench::Args args;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--scale" && i + 1 < argc) {
      args.scale = std::atof(argv[++i]);
    } else if (a.rfind("--scale=", 0) == 0) {
      args.scale = std::atof(a.c_str() + 8);
    } else {
      args.rest.push_back(a);
    }
  }
  if (!(args.scale > 0)) {
    std::cerr << "jalin-bench: --scale must be a positive number\n";
    return 2;
  }
  for (const auto& s : jalin::bench::Scenarios()) {
    if (s.name == argv[1]) return s.run(args);
  }
  std::cerr << "jalin-bench: unknown scenario '" << argv[1] << "'\n";
  Usage();
  return 2;
}
