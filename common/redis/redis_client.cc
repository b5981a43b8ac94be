#include "common/redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <csignal>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status/status_macros.h"

namespace jalin::redis {
namespace {

timeval TimevalOf(absl::Duration d) { return absl::ToTimeval(d); }

Reply Copy(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) {
        out.elements.push_back(Copy(r->element[i]));
      }
      break;
    default:
      out.type = Reply::Type::kNil;
  }
  return out;
}

absl::Status ContextError(redisContext* c, absl::string_view what) {
  return absl::UnavailableError(
      absl::StrCat("redis: ", what, ": ",
                   c != nullptr && c->err ? c->errstr : "connection failed"));
}

void ArgvOf(const std::vector<std::string>& argv,
            std::vector<const char*>* ptrs, std::vector<size_t>* lens) {
  ptrs->clear();
  lens->clear();
  for (const auto& a : argv) {
    ptrs->push_back(a.data());
    lens->push_back(a.size());
  }
}

}  // namespace

void Client::ContextDeleter::operator()(redisContext* c) const { redisFree(c); }

Client::Client(Options options) : options_(std::move(options)) {
  // hiredis writes with write(2): a connection Redis closed would raise
  // SIGPIPE and kill the process. Losing Redis must be an error, not a
  // crash, whatever the embedding program did with SIGPIPE.
  static const bool sigpipe_ignored = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)sigpipe_ignored;
}

Client::~Client() = default;

absl::StatusOr<Client::Connection> Client::Acquire() {
  while (true) {
    Connection c;
    {
      absl::MutexLock lock(&mu_);
      if (idle_.empty()) break;
      c = std::move(idle_.back());
      idle_.pop_back();
    }
    // An idle connection whose server went away (restart, timeout) has an
    // end-of-file waiting: drop it rather than fail the next command.
    char byte;
    ssize_t n = recv(c.ctx->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return c;
  }
  absl::string_view addr = options_.address;
  if (absl::StartsWith(addr, "redis://")) addr.remove_prefix(8);
  redisContext* raw = nullptr;
  timeval tv = TimevalOf(options_.connect_timeout);
  if (absl::StartsWith(addr, "unix:")) {
    std::string path(addr.substr(5));
    raw = redisConnectUnixWithTimeout(path.c_str(), tv);
  } else {
    size_t colon = addr.rfind(':');
    int port = 6379;
    std::string host(addr);
    if (colon != absl::string_view::npos) {
      host = std::string(addr.substr(0, colon));
      if (!absl::SimpleAtoi(addr.substr(colon + 1), &port)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "redis address '", options_.address, "' has a bad port"));
      }
    }
    raw = redisConnectWithTimeout(host.c_str(), port, tv);
  }
  Connection conn{ContextPtr(raw), absl::ZeroDuration()};
  if (raw == nullptr || raw->err) {
    return ContextError(raw, absl::StrCat("connect ", options_.address));
  }
  UseTimeout(conn, options_.command_timeout);
  return conn;
}

void Client::Release(Connection conn) {
  if (conn.ctx == nullptr || conn.ctx->err) return;  // broken: drop it
  absl::MutexLock lock(&mu_);
  if (static_cast<int>(idle_.size()) < options_.max_idle_connections) {
    idle_.push_back(std::move(conn));
  }
}

void Client::UseTimeout(Connection& conn, absl::Duration timeout) const {
  if (timeout <= absl::ZeroDuration()) timeout = options_.command_timeout;
  if (timeout == conn.timeout) return;
  // On failure the context records an error, and Release drops it.
  if (redisSetTimeout(conn.ctx.get(), TimevalOf(timeout)) == REDIS_OK) {
    conn.timeout = timeout;
  }
}

absl::StatusOr<Reply> Client::Command(const std::vector<std::string>& argv,
                                      absl::Duration timeout) {
  ASSIGN_OR_RETURN(Connection conn, Acquire());
  UseTimeout(conn, timeout);
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  ArgvOf(argv, &ptrs, &lens);
  auto* raw = static_cast<redisReply*>(redisCommandArgv(
      conn.ctx.get(), static_cast<int>(argv.size()), ptrs.data(), lens.data()));
  if (raw == nullptr) {
    return ContextError(conn.ctx.get(), argv.empty() ? "" : argv[0]);
  }
  Reply reply = Copy(raw);
  freeReplyObject(raw);
  Release(std::move(conn));
  return CheckReply(std::move(reply));
}

absl::StatusOr<std::vector<Reply>> Client::Pipeline(
    const std::vector<std::vector<std::string>>& commands,
    absl::Duration timeout) {
  ASSIGN_OR_RETURN(Connection conn, Acquire());
  UseTimeout(conn, timeout);
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  for (const auto& argv : commands) {
    ArgvOf(argv, &ptrs, &lens);
    if (redisAppendCommandArgv(conn.ctx.get(), static_cast<int>(argv.size()),
                               ptrs.data(), lens.data()) != REDIS_OK) {
      return ContextError(conn.ctx.get(), "pipeline");
    }
  }
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(conn.ctx.get(), &raw) != REDIS_OK || raw == nullptr) {
      return ContextError(conn.ctx.get(), "pipeline reply");
    }
    replies.push_back(Copy(static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  Release(std::move(conn));
  return replies;
}

absl::Status Client::Ping() {
  ASSIGN_OR_RETURN(Reply r, Command({"PING"}));
  if (absl::string_view(r.str) != "PONG") {
    return absl::UnavailableError(absl::StrCat("redis: PING answered ", r.str));
  }
  return absl::OkStatus();
}

absl::StatusOr<Reply> CheckReply(Reply reply) {
  if (reply.is_error()) {
    return absl::FailedPreconditionError(absl::StrCat("redis: ", reply.str));
  }
  return reply;
}

absl::StatusOr<std::string> AsString(const Reply& reply) {
  if (reply.type == Reply::Type::kString ||
      reply.type == Reply::Type::kStatus) {
    return reply.str;
  }
  return absl::InternalError("redis: expected a string reply");
}

absl::StatusOr<int64_t> AsInteger(const Reply& reply) {
  if (reply.type == Reply::Type::kInteger) return reply.integer;
  if (reply.type == Reply::Type::kString) {
    int64_t v;
    if (absl::SimpleAtoi(reply.str, &v)) return v;
  }
  return absl::InternalError("redis: expected an integer reply");
}

}  // namespace jalin::redis
