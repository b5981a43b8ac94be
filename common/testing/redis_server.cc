#include "common/testing/redis_server.h"

#include <signal.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/redis/redis_client.h"

namespace jalin::testing {

RedisServer::RedisServer(std::string dir)
    : dir_(std::move(dir)), socket_(dir_ + "/redis.sock") {}

RedisServer::~RedisServer() {
  if (running()) Stop().IgnoreError();
}

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(
    const std::string& dir) {
  std::unique_ptr<RedisServer> server(new RedisServer(dir));
  absl::Status s = server->Launch();
  if (!s.ok()) return s;
  return server;
}

absl::Status RedisServer::Launch() {
  absl::StatusOr<std::unique_ptr<Process>> p =
      Process::Start({"redis-server", "--port", "0", "--unixsocket", socket_,
                      "--unixsocketperm", "700", "--dir", dir_, "--appendonly",
                      "yes", "--appendfsync", "everysec", "--save", "",
                      "--daemonize", "no", "--loglevel", "warning"},
                     {}, dir_ + "/redis.log");
  if (!p.ok()) return p.status();
  process_ = *std::move(p);
  redis::Options options;
  options.address = address();
  options.connect_timeout = absl::Milliseconds(200);
  redis::Client client(options);
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  absl::Status last;
  // Redis answers LOADING while it replays the AOF; wait for a real PONG.
  while (absl::Now() < deadline) {
    last = client.Ping();
    if (last.ok()) return absl::OkStatus();
    if (!process_->running() || process_->Wait(absl::Milliseconds(20)).ok()) {
      return absl::InternalError(absl::StrCat("redis-server exited: ",
                                              TailOfFile(dir_ + "/redis.log")));
    }
  }
  return absl::DeadlineExceededError(
      absl::StrCat("redis-server did not answer: ", last.message()));
}

absl::Status RedisServer::Stop() {
  if (!running()) return absl::OkStatus();
  absl::Status s = process_->Signal(SIGTERM);
  if (!s.ok()) return s;
  absl::StatusOr<int> code = process_->Wait(absl::Seconds(15));
  if (!code.ok()) {
    process_->Kill();
    return code.status();
  }
  return absl::OkStatus();
}

absl::Status RedisServer::Restart() {
  if (running()) {
    absl::Status s = Stop();
    if (!s.ok()) return s;
  }
  return Launch();
}

}  // namespace jalin::testing
