#include "common/config/config.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"

namespace jalin {
namespace {

std::string EnvName(absl::string_view name) {
  return absl::StrCat("JALIN_", absl::AsciiStrToUpper(name));
}

}  // namespace

std::optional<std::string> ProcessEnv(absl::string_view name) {
  const char* v = std::getenv(std::string(name).c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

Config::Config(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

void Config::Add(absl::string_view name, absl::string_view type,
                 std::string default_value, absl::string_view help,
                 std::function<std::string(absl::string_view)> set) {
  Setting s;
  s.info.name = std::string(name);
  s.info.env = EnvName(name);
  s.info.type = std::string(type);
  s.info.default_value = std::move(default_value);
  s.info.help = std::string(help);
  s.set = std::move(set);
  infos_.push_back(s.info);
  settings_.push_back(std::move(s));
}

void Config::AddString(absl::string_view name, std::string* dest,
                       absl::string_view help) {
  Add(name, "string", *dest, help, [dest](absl::string_view v) {
    *dest = std::string(v);
    return std::string();
  });
}

void Config::AddInt(absl::string_view name, int64_t* dest,
                    absl::string_view help, int64_t min, int64_t max) {
  Add(name, "int", absl::StrCat(*dest), help,
      [dest, min, max](absl::string_view v) -> std::string {
        int64_t parsed;
        if (!absl::SimpleAtoi(v, &parsed)) return "is not an integer";
        if (parsed < min || parsed > max) {
          return absl::StrCat("must be between ", min, " and ", max);
        }
        *dest = parsed;
        return "";
      });
}

void Config::AddBool(absl::string_view name, bool* dest,
                     absl::string_view help) {
  Add(name, "bool", *dest ? "true" : "false", help,
      [dest](absl::string_view v) -> std::string {
        bool parsed;
        if (!absl::SimpleAtob(v, &parsed)) return "is not true or false";
        *dest = parsed;
        return "";
      });
}

void Config::AddDouble(absl::string_view name, double* dest,
                       absl::string_view help, double min, double max) {
  Add(name, "double", absl::StrCat(*dest), help,
      [dest, min, max](absl::string_view v) -> std::string {
        double parsed;
        if (!absl::SimpleAtod(v, &parsed)) return "is not a number";
        if (!(parsed >= min && parsed <= max)) {
          return absl::StrCat("must be between ", min, " and ", max);
        }
        *dest = parsed;
        return "";
      });
}

void Config::AddDuration(absl::string_view name, absl::Duration* dest,
                         absl::string_view help) {
  Add(name, "duration", absl::FormatDuration(*dest), help,
      [dest](absl::string_view v) -> std::string {
        absl::Duration parsed;
        if (!absl::ParseDuration(v, &parsed)) {
          return "is not a duration (e.g. 250ms, 5s, 2m)";
        }
        if (parsed < absl::ZeroDuration()) return "must not be negative";
        *dest = parsed;
        return "";
      });
}

void Config::AddCheck(std::function<std::string()> check) {
  checks_.push_back(std::move(check));
}

Config::Setting* Config::Find(absl::string_view flag_name) {
  std::string normalised = absl::StrReplaceAll(flag_name, {{"-", "_"}});
  for (auto& s : settings_) {
    if (s.info.name == normalised) return &s;
  }
  return nullptr;
}

absl::StatusOr<bool> Config::Parse(const std::vector<std::string>& args,
                                   const EnvLookup& env, std::string* out) {
  for (auto& s : settings_) {
    std::optional<std::string> v = env(s.info.env);
    if (!v.has_value()) continue;
    std::string err = s.set(*v);
    if (!err.empty()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s=%s: %s %s", s.info.env, *v, s.info.env, err));
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      *out = Usage();
      return false;
    }
    if (arg == "--settings") {
      *out = SettingsTable();
      return false;
    }
    if (arg.substr(0, 2) != "--") {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument '", arg, "' (see --help)"));
    }
    arg.remove_prefix(2);
    absl::string_view name = arg;
    std::optional<std::string> value;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      name = arg.substr(0, eq);
      value = std::string(arg.substr(eq + 1));
    }
    Setting* s = Find(name);
    if (s == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", name, " (see --help)"));
    }
    if (!value.has_value()) {
      if (s->info.type == "bool") {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("--", s->info.name, " needs a value"));
      }
    }
    std::string err = s->set(*value);
    if (!err.empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "--%s=%s: %s %s", s->info.name, *value, s->info.name, err));
    }
  }
  for (const auto& check : checks_) {
    std::string err = check();
    if (!err.empty()) return absl::InvalidArgumentError(err);
  }
  return true;
}

void Config::ParseOrExit(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string out;
  absl::StatusOr<bool> go = Parse(args, ProcessEnv, &out);
  if (!go.ok()) {
    std::cerr << program_ << ": " << go.status().message() << "\n";
    std::exit(2);
  }
  if (!*go) {
    std::cout << out;
    std::exit(0);
  }
}

std::string Config::Usage() const {
  std::string text =
      absl::StrCat(program_, ": ", summary_,
                   "\n\nSettings (flag, environment variable, default):\n");
  for (const auto& s : infos_) {
    absl::StrAppend(&text, "  --", s.name, " (", s.env, ", ", s.type,
                    ", default \"", s.default_value, "\")\n      ", s.help,
                    "\n");
  }
  absl::StrAppend(&text,
                  "\nA flag wins over its environment variable, which wins "
                  "over the default.\n  --settings  prints the settings as a "
                  "table\n");
  return text;
}

std::string Config::SettingsTable() const {
  std::string text;
  for (const auto& s : infos_) {
    absl::StrAppend(&text, s.env, "\t", s.default_value, "\t", s.help, "\n");
  }
  return text;
}

}  // namespace jalin
