// jalinctl: the command-line tool for integrators and facilitators.

#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "tools/jalinctl/command.h"

int main(int argc, char** argv) {
  jalin::ctl::Io io{std::cout, std::cerr, isatty(STDERR_FILENO) == 1};
  return jalin::ctl::RunJalinctl(
      std::vector<std::string>(argv + 1, argv + argc), io);
}
