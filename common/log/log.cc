#include "common/log/log.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace jalin::log {
namespace {

struct State {
  std::shared_ptr<spdlog::logger> logger;
  std::string service = "jalin";
  std::atomic<int> min_level{static_cast<int>(Level::kInfo)};
};

State& GetState() {
  static State* state = [] {
    auto* s = new State;
    s->logger = spdlog::stderr_logger_mt("jalin");
    s->logger->set_pattern("%v");
    s->logger->set_level(spdlog::level::trace);
    s->logger->flush_on(spdlog::level::trace);
    return s;
  }();
  return *state;
}

std::mutex& ServiceMutex() {
  static std::mutex mu;
  return mu;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

}  // namespace

absl::Status Init(absl::string_view service, absl::string_view level) {
  State& state = GetState();
  Level parsed;
  if (level == "debug") {
    parsed = Level::kDebug;
  } else if (level == "info") {
    parsed = Level::kInfo;
  } else if (level == "warn") {
    parsed = Level::kWarn;
  } else if (level == "error") {
    parsed = Level::kError;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "log level '", level, "' is not debug, info, warn or error"));
  }
  std::lock_guard<std::mutex> lock(ServiceMutex());
  state.service = std::string(service);
  state.min_level = static_cast<int>(parsed);
  return absl::OkStatus();
}

bool Enabled(Level level) {
  return static_cast<int>(level) >= GetState().min_level.load();
}

void Write(Level level, absl::string_view msg, Fields fields) {
  if (!Enabled(level)) return;
  State& state = GetState();
  nlohmann::json line;
  line["time"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                  absl::UTCTimeZone());
  line["level"] = LevelName(level);
  {
    std::lock_guard<std::mutex> lock(ServiceMutex());
    line["service"] = state.service;
  }
  line["msg"] = msg;
  for (const auto& [key, value] : fields) line[std::string(key)] = value;
  state.logger->info(
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace jalin::log
