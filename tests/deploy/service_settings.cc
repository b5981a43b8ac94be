#include "tests/deploy/service_settings.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status/status_macros.h"
#include "tests/deploy/command.h"

namespace jalin::deploy {
namespace fs = std::filesystem;

const Setting* ServiceInfo::Find(absl::string_view env) const {
  for (const Setting& s : settings) {
    if (s.env == env) return &s;
  }
  return nullptr;
}

std::vector<std::pair<std::string, int>> ServiceInfo::ListenSettings() const {
  std::vector<std::pair<std::string, int>> out;
  for (const Setting& s : settings) {
    int port = PortOf(s.default_value);
    if (absl::EndsWith(s.env, "_LISTEN") && port != 0)
      out.emplace_back(s.env, port);
  }
  return out;
}

std::string AddressSetting(absl::string_view service) {
  return absl::StrCat("JALIN_", absl::AsciiStrToUpper(service), "_ADDRESS");
}

int PortOf(absl::string_view address) {
  size_t colon = address.rfind(':');
  int port = 0;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port)) {
    return 0;
  }
  return port;
}

absl::StatusOr<std::vector<Setting>> ParseSettingsTable(
    absl::string_view text) {
  std::vector<Setting> settings;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<std::string> cells = absl::StrSplit(line, '\t');
    if (cells.size() != 3 || !absl::StartsWith(cells[0], "JALIN_")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "not a settings line (env, default, help): '", line, "'"));
    }
    settings.push_back({cells[0], cells[1], cells[2]});
  }
  return settings;
}

namespace {

absl::StatusOr<std::vector<ServiceInfo>> LoadServices() {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry :
       fs::directory_iterator(fs::path(JALIN_SOURCE_DIR) / "services")) {
    if (fs::exists(entry.path() / "main.cc")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  if (names.empty()) return absl::NotFoundError("no services/<name>/main.cc");

  std::vector<ServiceInfo> services;
  for (const std::string& name : names) {
    ServiceInfo info;
    info.name = name;
    info.binary =
        (fs::path(JALIN_BINARY_DIR) / "services" / name / ("jalin-" + name))
            .string();
    // An empty environment: the defaults, not this machine's JALIN_*.
    ASSIGN_OR_RETURN(CommandResult run, RunCommand({info.binary, "--settings"},
                                                   std::vector<std::string>{}));
    if (run.exit_code != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          info.binary, " --settings exited ", run.exit_code, ": ", run.err));
    }
    ASSIGN_OR_RETURN(info.settings, ParseSettingsTable(run.out));
    const Setting* grpc = info.Find("JALIN_GRPC_LISTEN");
    const Setting* metrics = info.Find("JALIN_METRICS_LISTEN");
    if (grpc == nullptr || metrics == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          info.binary, " has no JALIN_GRPC_LISTEN or JALIN_METRICS_LISTEN"));
    }
    info.grpc_port = PortOf(grpc->default_value);
    info.metrics_port = PortOf(metrics->default_value);
    services.push_back(std::move(info));
  }
  return services;
}

}  // namespace

absl::StatusOr<const std::vector<ServiceInfo>*> Services() {
  static const absl::StatusOr<std::vector<ServiceInfo>>* const services =
      new absl::StatusOr<std::vector<ServiceInfo>>(LoadServices());
  if (!services->ok()) return services->status();
  return &**services;
}

const ServiceInfo* FindService(const std::vector<ServiceInfo>& services,
                               absl::string_view name) {
  for (const ServiceInfo& s : services) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

absl::StatusOr<std::map<std::string, DocumentedSetting>>
ParseDocumentedSettings(absl::string_view markdown) {
  std::map<std::string, DocumentedSetting> rows;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(markdown, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&line, "| `JALIN_")) continue;
    absl::ConsumeSuffix(&line, "|");
    std::vector<std::string> cells = absl::StrSplit(line, '|');
    if (cells.size() != 4) {
      return absl::InvalidArgumentError(
          absl::StrCat("deploy/README.md:", line_number,
                       ": a settings row needs four cells (setting, default, "
                       "Kubernetes, meaning), found ",
                       cells.size()));
    }
    for (std::string& cell : cells) absl::StripAsciiWhitespace(&cell);
    DocumentedSetting row;
    row.env = "JALIN_" + std::string(absl::StripSuffix(cells[0], "`"));
    row.default_cell = cells[1];
    row.where = std::string(
        absl::string_view(cells[2]).substr(0, cells[2].find_first_of(" (,")));
    row.line = line_number;
    if (!rows.emplace(row.env, row).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("deploy/README.md:", line_number, ": ", row.env,
                       " has a second row"));
    }
  }
  return rows;
}

absl::StatusOr<std::string> ReadSourceFile(absl::string_view relative_path) {
  fs::path path = fs::path(JALIN_SOURCE_DIR) / std::string(relative_path);
  std::ifstream in(path);
  if (!in)
    return absl::NotFoundError(absl::StrCat("cannot read ", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<std::string> ProjectVersion() {
  ASSIGN_OR_RETURN(std::string cmake, ReadSourceFile("CMakeLists.txt"));
  std::smatch match;
  if (!std::regex_search(
          cmake, match,
          std::regex(R"(project\(jalin[^)]*VERSION\s+([0-9.]+))"))) {
    return absl::NotFoundError(
        "no project(jalin ... VERSION x.y.z) in CMakeLists.txt");
  }
  return match[1].str();
}

}  // namespace jalin::deploy
