// A real redis-server for one test or benchmark, on a unix socket in a
// private directory, with AOF on. Stop/start/kill let tests take Redis away
// and bring it back with its data.

#ifndef COMMON_TESTING_REDIS_SERVER_H_
#define COMMON_TESTING_REDIS_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/testing/process.h"

namespace jalin::testing {

// Not thread-safe.
class RedisServer {
 public:
  // Starts redis-server with its data in `dir` (which must exist and
  // outlive the server).
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(
      const std::string& dir);
  ~RedisServer();

  // "unix:<dir>/redis.sock", for redis::Options::address.
  std::string address() const { return "unix:" + socket_; }
  const std::string& socket_path() const { return socket_; }

  // Graceful stop (SIGTERM: Redis flushes the AOF).
  absl::Status Stop();
  // Starts again on the same socket and data.
  absl::Status Restart();
  bool running() const { return process_ != nullptr && process_->running(); }

 private:
  explicit RedisServer(std::string dir);
  absl::Status Launch();

  std::string dir_;
  std::string socket_;
  std::unique_ptr<Process> process_;
};

}  // namespace jalin::testing

#endif  // COMMON_TESTING_REDIS_SERVER_H_
