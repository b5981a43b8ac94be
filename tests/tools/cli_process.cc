#include "tests/tools/cli_process.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace jalin::ctl::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

absl::StatusOr<std::unique_ptr<CliProcess>> CliProcess::Start(
    const std::vector<std::string>& argv, const std::vector<std::string>& env,
    const std::string& dir, const std::string& name) {
  std::unique_ptr<CliProcess> p(new CliProcess());
  p->out_path_ = absl::StrCat(dir, "/", name, ".out");
  p->err_path_ = absl::StrCat(dir, "/", name, ".err");
  std::ofstream(p->out_path_, std::ios::trunc);
  std::ofstream(p->err_path_, std::ios::trunc);
  // The process's stdout goes to the log; a shell sends stderr elsewhere.
  std::vector<std::string> wrapped = {"sh", "-c",
                                      "exec \"$0\" \"$@\" 2>>\"$CLI_STDERR\""};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  std::vector<std::string> full_env = env;
  full_env.push_back("CLI_STDERR=" + p->err_path_);
  auto process =
      jalin::testing::Process::Start(wrapped, full_env, p->out_path_);
  if (!process.ok()) return process.status();
  p->process_ = *std::move(process);
  return p;
}

absl::StatusOr<CliResult> CliProcess::Wait(absl::Duration timeout) {
  absl::StatusOr<int> code = process_->Wait(timeout);
  if (!code.ok()) {
    process_->Kill();
    return absl::DeadlineExceededError(
        absl::StrCat(code.status().message(), "\nstderr:\n", err()));
  }
  return CliResult{*code, out(), err()};
}

std::string CliProcess::out() const { return ReadFile(out_path_); }
std::string CliProcess::err() const { return ReadFile(err_path_); }

absl::StatusOr<CliResult> RunCli(const std::vector<std::string>& argv,
                                 const std::vector<std::string>& env,
                                 const std::string& dir,
                                 const std::string& name,
                                 absl::Duration timeout) {
  auto p = CliProcess::Start(argv, env, dir, name);
  if (!p.ok()) return p.status();
  return (*p)->Wait(timeout);
}

}  // namespace jalin::ctl::testing
