// A small synchronous Redis client on hiredis: binary-safe argument vectors,
// timeouts on every command, reconnection after errors, pipelining.

#ifndef COMMON_REDIS_REDIS_CLIENT_H_
#define COMMON_REDIS_REDIS_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct redisContext;

namespace jalin::redis {

// A reply, copied out of hiredis.
struct Reply {
  enum class Type { kNil, kString, kStatus, kError, kInteger, kArray };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError
  int64_t integer = 0;
  std::vector<Reply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
};

struct Options {
  // "unix:/path/to/redis.sock", "host:port" or "redis://host:port".
  std::string address = "127.0.0.1:6379";
  absl::Duration connect_timeout = absl::Seconds(1);
  absl::Duration command_timeout = absl::Seconds(2);
  // Idle connections kept for reuse.
  int max_idle_connections = 8;
};

// Thread-safe: each command borrows a connection (a hiredis context) from a
// pool, so one context serves one thread at a time. A connection that saw
// an I/O error is discarded; the next command connects afresh.
class Client {
 public:
  explicit Client(Options options);
  ~Client();

  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Runs one command. UNAVAILABLE when Redis cannot be reached or the
  // command times out; an error reply (e.g. "NOGROUP ...") comes back as
  // FAILED_PRECONDITION with Redis's message. `timeout` replaces the command
  // timeout for this call (blocking reads need more than their BLOCK time).
  absl::StatusOr<Reply> Command(const std::vector<std::string>& argv,
                                absl::Duration timeout = absl::ZeroDuration());

  // Sends all commands, then reads all replies: one round trip. Error replies
  // are returned in place (Reply::Type::kError); a connection failure fails
  // the whole call. `timeout` as for Command: a pipeline that ends in a
  // blocking read needs more than its BLOCK time.
  absl::StatusOr<std::vector<Reply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands,
      absl::Duration timeout = absl::ZeroDuration());

  // PING; for readiness.
  absl::Status Ping();

  const Options& options() const { return options_; }

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const;
  };
  using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;
  // A connection and the socket timeout last set on it: a command sets the
  // timeout only when it needs another one (two system calls each time).
  struct Connection {
    ContextPtr ctx;
    absl::Duration timeout;
  };

  absl::StatusOr<Connection> Acquire();
  void Release(Connection conn);
  // Sets `timeout` (zero: the command timeout) on `conn` unless already set.
  void UseTimeout(Connection& conn, absl::Duration timeout) const;

  const Options options_;
  absl::Mutex mu_;
  std::vector<Connection> idle_ ABSL_GUARDED_BY(mu_);
};

// Helpers for reading replies.
// An error reply as FAILED_PRECONDITION with Redis's message (what Command
// returns for one; Pipeline leaves them in place); any other reply as is.
absl::StatusOr<Reply> CheckReply(Reply reply);
// The string of a kString/kStatus reply; error otherwise.
absl::StatusOr<std::string> AsString(const Reply& reply);
absl::StatusOr<int64_t> AsInteger(const Reply& reply);

}  // namespace jalin::redis

#endif  // COMMON_REDIS_REDIS_CLIENT_H_
