#include "common/testing/suite.h"

#include <signal.h>

#include <fstream>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "common/rpc/health.h"
#include "common/testing/free_port.h"

namespace jalin::testing {

Suite::Suite(std::string binary_dir) : binary_dir_(std::move(binary_dir)) {
  secret_file_ = dir_.File("jwt-secret");
  std::mt19937_64 rng{std::random_device{}()};
  std::string secret;
  for (int i = 0; i < 48; ++i)
    secret.push_back("abcdefghijklmnopqrstuvwxyz0123456789"[rng() % 36]);
  std::ofstream(secret_file_) << secret << "\n";
}

Suite::~Suite() {
  for (auto& [name, s] : services_) {
    if (s.process != nullptr && s.process->running()) {
      s.process->Signal(SIGTERM).IgnoreError();
      if (!s.process->Wait(absl::Seconds(10)).ok()) s.process->Kill();
    }
  }
}

absl::Status Suite::Start(
    const std::vector<std::string>& services,
    const std::map<std::string, std::vector<std::string>>& env) {
  if (redis_ == nullptr) {
    auto r = RedisServer::Start(dir_.path());
    if (!r.ok()) return r.status();
    redis_ = *std::move(r);
  }
  // Ports first, so that services can be told where the others are.
  for (const auto& name : services) {
    Service& s = services_[name];
    s.name = name;
    if (s.port == 0) {
      s.port = FreePort();
      s.metrics_port = FreePort();
    }
    if (auto it = env.find(name); it != env.end()) s.env = it->second;
  }
  for (const auto& name : services) {
    absl::Status st = Launch(services_[name]);
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::Status Suite::Launch(Service& s) {
  std::vector<std::string> env = {
      absl::StrCat("JALIN_GRPC_LISTEN=127.0.0.1:", s.port),
      absl::StrCat("JALIN_METRICS_LISTEN=127.0.0.1:", s.metrics_port),
      "JALIN_REDIS=" + redis_->address(),
      "JALIN_STORE=" + dir_.File(s.name + ".db"),
      "JALIN_JWT_HS256_SECRET_FILE=" + secret_file_,
      "JALIN_LOG_LEVEL=info",
      // The data files that ship with jalin (regions.csv), from the source
      // tree: services start in the test's working directory.
      "JALIN_DATA_DIR=" JALIN_SOURCE_DIR "/data",
  };
  for (const auto& [other, svc] : services_) {
    env.push_back(absl::StrCat("JALIN_", absl::AsciiStrToUpper(other),
                               "_ADDRESS=127.0.0.1:", svc.port));
  }
  env.insert(env.end(), s.env.begin(), s.env.end());
  const std::string binary =
      absl::StrCat(binary_dir_, "/services/", s.name, "/jalin-", s.name);
  auto p = Process::Start({binary}, env, dir_.File(s.name + ".log"));
  if (!p.ok()) return p.status();
  s.process = *std::move(p);
  absl::Status ready = rpc::WaitForServing(absl::StrCat("127.0.0.1:", s.port),
                                           "", absl::Seconds(30));
  if (!ready.ok()) {
    return absl::UnavailableError(
        absl::StrCat(s.name, ": ", ready.message(), "\n",
                     TailOfFile(s.process->log_path())));
  }
  return absl::OkStatus();
}

absl::Status Suite::Restart(const std::string& service) {
  auto it = services_.find(service);
  if (it == services_.end()) return absl::NotFoundError(service);
  if (it->second.process != nullptr && it->second.process->running()) {
    return absl::FailedPreconditionError(service + " is running");
  }
  return Launch(it->second);
}

std::string Suite::address(const std::string& service) const {
  auto it = services_.find(service);
  return it == services_.end() ? ""
                               : absl::StrCat("127.0.0.1:", it->second.port);
}

Process& Suite::process(const std::string& service) {
  return *services_.at(service).process;
}

std::string Suite::Token(const auth::Principal& principal) const {
  auto keys = auth::LoadJwtKeys(secret_file_, "", "");
  auto token = auth::MintToken(principal, *keys, absl::Now(), absl::Hours(2));
  return token.ok() ? *token : "";
}

std::string Suite::AdminToken() const {
  auth::Principal admin;
  admin.subject = "users/test-admin";
  admin.role = auth::Role::kAdmin;
  return Token(admin);
}

absl::StatusOr<int> Suite::Stop(const std::string& service,
                                absl::Duration timeout) {
  Process& p = process(service);
  if (absl::Status s = p.Signal(SIGTERM); !s.ok()) return s;
  return p.Wait(timeout);
}

void Suite::Kill(const std::string& service) { process(service).Kill(); }

}  // namespace jalin::testing
