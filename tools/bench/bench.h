// The benchmark convention (DESIGN §15): each scenario prints
// "name: value unit" lines and ends with "ratio: <x> (goal >= <y>)", the
// figure that matters divided by a baseline measured in the same run, so the
// verdict holds on a noisy machine.

#ifndef TOOLS_BENCH_BENCH_H_
#define TOOLS_BENCH_BENCH_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace jalin::bench {

struct Args {
  // Multiplies the scenario's default size.
  double scale = 1.0;
  // Further arguments for the scenario.
  std::vector<std::string> rest;
};

struct Scenario {
  std::string name;
  std::string description;
  // Returns the exit code: 0 when the goal is met, 1 when it is not, 2 on
  // errors.
  std::function<int(const Args&)> run;
};

// Every registered scenario, by name.
const std::vector<Scenario>& Scenarios();

// Registers a scenario at start-up; use through JALIN_BENCH_SCENARIO in the
// scenario's own file, so that adding one touches no other file.
struct ScenarioRegistrar {
  explicit ScenarioRegistrar(Scenario scenario);
};

#define JALIN_BENCH_SCENARIO(var, name, description, fn) \
  static ::jalin::bench::ScenarioRegistrar var({name, description, fn})

// "name: value unit".
void Print(absl::string_view name, double value, absl::string_view unit);
// The last line; returns the exit code (0 if ratio >= goal).
int PrintRatio(double ratio, double goal);

// The scenario could not run: prints "jalin-bench: <what>: <message>" to
// stderr and returns the exit code for it (2).
int Fail(absl::string_view what, const absl::Status& s);

struct Percentiles {
  double p50 = 0;
  double p99 = 0;
  double max = 0;
};
// Percentiles of `samples` (sorted in place).
Percentiles Summarize(std::vector<double>& samples);

// Peak resident memory of a process, in bytes ("self" or a pid), from
// /proc/<pid>/status VmHWM; 0 if unknown.
int64_t PeakRssBytes(const std::string& pid = "self");

}  // namespace jalin::bench

#endif  // TOOLS_BENCH_BENCH_H_
