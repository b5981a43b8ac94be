#include "tools/bench/bench.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/string_view.h"

namespace jalin::bench {
namespace {

std::vector<Scenario>& MutableScenarios() {
  static auto* scenarios = new std::vector<Scenario>;
  return *scenarios;
}

}  // namespace

const std::vector<Scenario>& Scenarios() { return MutableScenarios(); }

ScenarioRegistrar::ScenarioRegistrar(Scenario scenario) {
  auto& all = MutableScenarios();
  auto it = std::lower_bound(
      all.begin(), all.end(), scenario.name,
      [](const Scenario& s, const std::string& name) { return s.name < name; });
  all.insert(it, std::move(scenario));
}

void Print(absl::string_view name, double value, absl::string_view unit) {
  std::printf("%.*s: %.6g %.*s\n", static_cast<int>(name.size()), name.data(),
              value, static_cast<int>(unit.size()), unit.data());
  std::fflush(stdout);
}

int PrintRatio(double ratio, double goal) {
  std::printf("ratio: %.3f (goal >= %.3g)\n", ratio, goal);
  std::fflush(stdout);
  return ratio >= goal ? 0 : 1;
}

int Fail(absl::string_view what, const absl::Status& s) {
  std::fprintf(stderr, "jalin-bench: %.*s: %.*s\n",
               static_cast<int>(what.size()), what.data(),
               static_cast<int>(s.message().size()), s.message().data());
  return 2;
}

Percentiles Summarize(std::vector<double>& samples) {
  Percentiles p;
  if (samples.empty()) return p;
  std::sort(samples.begin(), samples.end());
  auto at = [&samples](double q) {
    size_t i = static_cast<size_t>(q * static_cast<double>(samples.size() - 1));
    return samples[i];
  };
  p.p50 = at(0.50);
  p.p99 = at(0.99);
  p.max = samples.back();
  return p;
}

int64_t PeakRssBytes(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::stoll(line.substr(6)) * 1024;
    }
  }
  return 0;
}

}  // namespace jalin::bench
