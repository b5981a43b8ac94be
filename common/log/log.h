// Structured logs: one JSON object per line on stderr, e.g.
//   {"time":"2026-11-23T10:00:00.123Z","level":"info","service":"registry",
//    "msg":"rpc","method":"/jalin.registry.v1.RegistryService/GetRegion",...}
//
// Thread-safe after Init(); before Init() lines go out with service "jalin".

#ifndef COMMON_LOG_LOG_H_
#define COMMON_LOG_LOG_H_

#include <initializer_list>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace jalin::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Sets the service name stamped on every line and the lowest level written
// ("debug", "info", "warn", "error").
absl::Status Init(absl::string_view service, absl::string_view level);

using Fields =
    std::initializer_list<std::pair<absl::string_view, nlohmann::json>>;

void Write(Level level, absl::string_view msg, Fields fields);
bool Enabled(Level level);

inline void Debug(absl::string_view msg, Fields fields = {}) {
  Write(Level::kDebug, msg, fields);
}
inline void Info(absl::string_view msg, Fields fields = {}) {
  Write(Level::kInfo, msg, fields);
}
inline void Warn(absl::string_view msg, Fields fields = {}) {
  Write(Level::kWarn, msg, fields);
}
inline void Error(absl::string_view msg, Fields fields = {}) {
  Write(Level::kError, msg, fields);
}

}  // namespace jalin::log

#endif  // COMMON_LOG_LOG_H_
