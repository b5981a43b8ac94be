// Settings from command-line flags with JALIN_* environment overrides.
//
// Each setting has a snake_case name ("grpc_listen"); it is read from the
// environment variable "JALIN_" + upper-case name (JALIN_GRPC_LISTEN) and
// from the flag "--grpc_listen=..." (or "--grpc-listen ..."). A flag given on
// the command line wins over the environment, which wins over the default.
// Invalid values fail Parse with a message that names the setting.
//
// Not thread-safe; configure once in main() before starting threads.

#ifndef COMMON_CONFIG_CONFIG_H_
#define COMMON_CONFIG_CONFIG_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jalin {

struct SettingInfo {
  std::string name;           // "grpc_listen"
  std::string env;            // "JALIN_GRPC_LISTEN"
  std::string type;           // "string", "int", "bool", "double", "duration"
  std::string default_value;  // as text
  std::string help;
};

class Config {
 public:
  using EnvLookup =
      std::function<std::optional<std::string>(absl::string_view)>;

  // `program` and `summary` head the --help text.
  Config(std::string program, std::string summary);

  Config(const Config&) = delete;
  Config& operator=(const Config&) = delete;

  // Registers a setting. The current value of *dest is its default; *dest
  // must stay live until Parse returns. Names must be unique.
  void AddString(absl::string_view name, std::string* dest,
                 absl::string_view help);
  void AddInt(absl::string_view name, int64_t* dest, absl::string_view help,
              int64_t min = INT64_MIN, int64_t max = INT64_MAX);
  void AddBool(absl::string_view name, bool* dest, absl::string_view help);
  void AddDouble(absl::string_view name, double* dest, absl::string_view help,
                 double min, double max);
  // Durations as "250ms", "5s", "2m", "1h".
  void AddDuration(absl::string_view name, absl::Duration* dest,
                   absl::string_view help);
  // A check over several settings, run after all values are read. Return a
  // message (naming the settings) to fail, or an empty string.
  void AddCheck(std::function<std::string()> check);

  // Reads the environment, then `args` (without the program name). Returns
  // true to go on, false when --help or --settings printed to `out`.
  // INVALID_ARGUMENT names the offending setting and value.
  absl::StatusOr<bool> Parse(const std::vector<std::string>& args,
                             const EnvLookup& env, std::string* out);

  // Parse for main(): uses the process environment, prints --help and
  // --settings to stdout and exits 0, prints errors to stderr and exits 2.
  void ParseOrExit(int argc, char** argv);

  // The --help text.
  std::string Usage() const;
  // One line per setting: env, default and help, tab-separated (the output
  // of --settings, which deployment docs are checked against).
  std::string SettingsTable() const;

  const std::vector<SettingInfo>& settings() const { return infos_; }

 private:
  struct Setting {
    SettingInfo info;
    // Parses the text into the destination; returns an error message.
    std::function<std::string(absl::string_view)> set;
  };

  void Add(absl::string_view name, absl::string_view type,
           std::string default_value, absl::string_view help,
           std::function<std::string(absl::string_view)> set);
  Setting* Find(absl::string_view flag_name);

  std::string program_;
  std::string summary_;
  std::vector<Setting> settings_;
  std::vector<SettingInfo> infos_;
  std::vector<std::function<std::string()>> checks_;
};

// Environment lookup backed by getenv().
std::optional<std::string> ProcessEnv(absl::string_view name);

}  // namespace jalin

#endif  // COMMON_CONFIG_CONFIG_H_
