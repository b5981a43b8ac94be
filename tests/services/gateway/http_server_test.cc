// The HTTP server alone, in front of a scripted handler: a client that stops
// reading is closed after idle_timeout while a slow one gets everything; a
// quiet stream is not closed by the timers of its writes; keep-alive
// connections still idle out; a failing accept() backs off instead of
// spinning; the connection cap fits the open-file limit.

#include "services/gateway/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/gateway/testing/http_client.h"

namespace jalin::gateway::testing {
namespace {

constexpr size_t kBigBody = 16 << 20;
constexpr absl::Duration kIdle = absl::Seconds(1);

// The byte at `i` of the big body: a pattern, so that a lost or repeated
// slice shows.
char BodyByte(size_t i) { return static_cast<char>('a' + (i / 4093) % 26); }

// Answers by target:
//   /big         kBigBody bytes
//   /small       "ok"
//   /quiet       a stream whose peer watch starts after its header was
//                written; the test writes to it with Push() and End()
//   /short       a stream of one chunk that ends at once
//   /await       "awaited", once the test calls Answer(); counts the times
//                the peer was gone meanwhile (OnPeerGone)
// Thread-safe.
class ScriptedHandler final : public HttpHandler {
 public:
  void Handle(std::shared_ptr<HttpExchange> exchange) override {
    const std::string target(exchange->request().target());
    if (target == "/big") {
      HttpResponse res(http::status::ok, 11);
      res.body().resize(kBigBody);
      for (size_t i = 0; i < kBigBody; ++i) res.body()[i] = BodyByte(i);
      exchange->Reply(std::move(res));
    } else if (target == "/quiet") {
      http::response<http::empty_body> header(http::status::ok, 11);
      header.set(http::field::content_type, "text/event-stream");
      exchange->BeginStream(std::move(header), nullptr);
      exchange->OnPeerClose([] {});
      absl::MutexLock lock(&mu_);
      quiet_ = std::move(exchange);
    } else if (target == "/await") {
      exchange->OnPeerGone([this] {
        absl::MutexLock lock(&mu_);
        ++gone_;
      });
      absl::MutexLock lock(&mu_);
      awaited_ = std::move(exchange);
    } else if (target == "/short") {
      exchange->OnPeerClose([] {});
      http::response<http::empty_body> header(http::status::ok, 11);
      exchange->BeginStream(std::move(header), nullptr);
      exchange->WriteChunk("data: bye\n\n", nullptr);
      exchange->EndStream();
    } else {
      HttpResponse res(http::status::ok, 11);
      res.body() = "ok";
      exchange->Reply(std::move(res));
    }
  }

  HttpResponse Rejected(http::status status, absl::string_view reason,
                        absl::string_view origin) override {
    HttpResponse res(status, 11);
    res.body() = absl::StrCat(reason, " ", origin);
    return res;
  }

  void Push(absl::string_view data) {
    absl::MutexLock lock(&mu_);
    if (quiet_ != nullptr) quiet_->WriteChunk(data, nullptr);
  }
  void End() {
    absl::MutexLock lock(&mu_);
    if (quiet_ != nullptr) quiet_->EndStream();
    quiet_.reset();
    AnswerLocked();
  }

  bool awaiting() {
    absl::MutexLock lock(&mu_);
    return awaited_ != nullptr;
  }
  int gone() {
    absl::MutexLock lock(&mu_);
    return gone_;
  }
  void Answer() {
    absl::MutexLock lock(&mu_);
    AnswerLocked();
  }

 private:
  void AnswerLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (awaited_ == nullptr) return;
    HttpResponse res(http::status::ok, 11);
    res.body() = "awaited";
    awaited_->Reply(std::move(res));
    awaited_.reset();
  }

  absl::Mutex mu_;
  std::shared_ptr<HttpExchange> quiet_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<HttpExchange> awaited_ ABSL_GUARDED_BY(mu_);
  int gone_ ABSL_GUARDED_BY(mu_) = 0;
};

// A loopback socket connected to `port`, with a receive buffer of
// `rcvbuf` bytes when non-zero (set before connecting, so that the window
// stays small). -1 on failure.
int RawConnect(int port, int rcvbuf = 0) {
  absl::StatusOr<int> fd = ConnectLoopback(port, rcvbuf);
  return fd.ok() ? *fd : -1;
}

bool SendText(int fd, const std::string& text) {
  return send(fd, text.data(), text.size(), MSG_NOSIGNAL) ==
         static_cast<ssize_t>(text.size());
}

// Reads one response with a Content-Length body from `fd`, at most
// `bytes_per_second` when non-zero. Empty on timeout, error or EOF. Bytes
// read past the response (the next one) are kept in `*rest`, and read
// from there first.
std::string ReadResponse(int fd, absl::Duration timeout,
                         double bytes_per_second = 0,
                         std::string* rest = nullptr) {
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + timeout;
  std::string in;
  if (rest != nullptr) in.swap(*rest);
  size_t header_end = std::string::npos;
  size_t total = std::string::npos;
  char buf[65536];
  while (true) {
    if (header_end == std::string::npos) {
      header_end = in.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        const size_t at = in.find("Content-Length: ");
        size_t length = 0;
        if (at == std::string::npos || at > header_end ||
            !absl::SimpleAtoi(in.substr(at + 16, in.find("\r\n", at) - at - 16),
                              &length)) {
          return "";
        }
        total = header_end + 4 + length;
      }
    }
    if (total != std::string::npos && in.size() >= total) break;
    if (bytes_per_second > 0) {
      const absl::Time due =
          start +
          absl::Seconds(static_cast<double>(in.size()) / bytes_per_second);
      if (due > absl::Now()) absl::SleepFor(due - absl::Now());
    }
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return "";
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1) <=
        0) {
      return "";
    }
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return "";
    in.append(buf, static_cast<size_t>(n));
  }
  if (rest != nullptr) *rest = in.substr(total);
  in.resize(total);
  return in;
}

// Waits until `condition` holds or `timeout` passes; true if it held.
template <typename F>
bool WaitFor(F condition, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(HttpServerOptions{}); }

  void StartServer(HttpServerOptions options) {
    options.listen = "127.0.0.1:0";
    options.idle_timeout = kIdle;
    server_ = std::make_unique<HttpServer>(options, &handler_);
    ASSERT_TRUE(server_->Start().ok());
  }

  void TearDown() override {
    handler_.End();
    server_->BeginStop();
    server_->Finish(absl::Now() + absl::Seconds(5));
  }

  ScriptedHandler handler_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, ClientThatStopsReadingIsClosedAfterIdleTimeout) {
  // A small receive window: the response stalls after a few MiB of socket
  // buffers, far short of its 16 MiB.
  const int fd = RawConnect(server_->port(), 4096);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendText(fd, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(
      WaitFor([&] { return server_->connections() == 1; }, absl::Seconds(5)));
  const absl::Time stalled = absl::Now();
  // Never read. The write stalls and its timer closes the connection.
  EXPECT_TRUE(
      WaitFor([&] { return server_->connections() == 0; }, absl::Seconds(10)))
      << "a client that reads nothing still holds its connection";
  EXPECT_LT(absl::Now() - stalled, absl::Seconds(10));
  close(fd);
}

TEST_F(HttpServerTest, SlowClientThatKeepsReadingGetsTheWholeResponse) {
  const int fd = RawConnect(server_->port(), 65536);
  ASSERT_GE(fd, 0);
  // A second request pipelined behind the first: it is answered on the
  // same connection after the long response.
  ASSERT_TRUE(SendText(fd,
                       "GET /big HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /small HTTP/1.1\r\nHost: x\r\n\r\n"));
  // 4 MiB/s: the response takes about 4 s, several times idle_timeout, but
  // it never stops moving.
  const absl::Time start = absl::Now();
  std::string rest;
  const std::string response =
      ReadResponse(fd, absl::Seconds(30), 4.0 * (1 << 20), &rest);
  ASSERT_FALSE(response.empty()) << "the connection closed mid-response";
  EXPECT_GT(absl::Now() - start, 2 * kIdle);
  const size_t body = response.find("\r\n\r\n") + 4;
  ASSERT_EQ(response.size() - body, kBigBody);
  for (size_t i = 0; i < kBigBody; i += 4093) {
    ASSERT_EQ(response[body + i], BodyByte(i)) << "at " << i;
  }
  const std::string small = ReadResponse(fd, absl::Seconds(5), 0, &rest);
  EXPECT_TRUE(absl::EndsWith(small, "\r\n\r\nok")) << small;
  close(fd);
}

TEST_F(HttpServerTest, QuietStreamOutlivesTheTimersOfItsWrites) {
  // The header of /quiet is written (under a write timer) before the
  // handler starts watching for the peer; the watch must not inherit that
  // timer, or the stream dies after idle_timeout.
  auto stream = StreamReader::Open(server_->port(), "GET", "/quiet", {});
  ASSERT_TRUE(stream.ok()) << stream.status();
  EXPECT_EQ((*stream)->status(), 200);
  absl::SleepFor(3 * kIdle);
  EXPECT_EQ(server_->connections(), 1);
  handler_.Push("data: still here\n\n");
  auto event = (*stream)->NextEvent(absl::Seconds(5));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->data, "still here");
  // Quiet again after a written chunk.
  absl::SleepFor(3 * kIdle);
  handler_.Push("data: and here\n\n");
  event = (*stream)->NextEvent(absl::Seconds(5));
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->data, "and here");
  handler_.End();
  EXPECT_TRUE((*stream)->WaitEnd(absl::Seconds(5)));
}

TEST_F(HttpServerTest, EndedStreamIsClosedWhenTheClientNeitherReadsNorCloses) {
  const int fd = RawConnect(server_->port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendText(fd, "GET /short HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(
      WaitFor([&] { return server_->connections() == 1; }, absl::Seconds(5)));
  // The server lingers a short while for the client to go, then closes.
  EXPECT_TRUE(
      WaitFor([&] { return server_->connections() == 0; }, absl::Seconds(8)));
  close(fd);
}

TEST_F(HttpServerTest, KeepAliveConnectionsStillIdleOut) {
  auto conn = HttpConnection::Open(server_->port());
  ASSERT_TRUE(conn.ok());
  for (int i = 0; i < 3; ++i) {
    auto r = (*conn)->Call("GET", "/small");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->body, "ok");
    absl::SleepFor(kIdle / 2);
  }
  EXPECT_EQ(server_->connections(), 1);
  EXPECT_TRUE(WaitFor([&] { return server_->connections() == 0; }, 4 * kIdle));
}

// A client that leaves while its answer is awaited is noticed at once, so
// that the work for it can stop: whether it closes, or only half-closes
// as most servers and proxies also take for leaving.
TEST_F(HttpServerTest, PeerThatLeavesWhileItsAnswerIsAwaitedIsNoticed) {
  int expected = 0;
  for (const bool half_close : {false, true}) {
    SCOPED_TRACE(half_close ? "half-close" : "close");
    const int fd = RawConnect(server_->port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendText(fd, "GET /await HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(WaitFor([&] { return handler_.awaiting(); }, absl::Seconds(5)));
    // Waiting is not leaving, past the idle timeout too.
    absl::SleepFor(kIdle + absl::Milliseconds(300));
    EXPECT_EQ(handler_.gone(), expected);
    EXPECT_EQ(server_->connections(), 1);
    if (half_close) {
      shutdown(fd, SHUT_WR);
    } else {
      close(fd);
    }
    ++expected;
    EXPECT_TRUE(
        WaitFor([&] { return handler_.gone() == expected; }, absl::Seconds(5)));
    // The answer that comes after all goes nowhere, and nothing breaks.
    handler_.Answer();
    if (half_close) close(fd);
    EXPECT_TRUE(
        WaitFor([&] { return server_->connections() == 0; }, absl::Seconds(5)));
  }
}

// A request that the client sends while the answer to the one before is
// awaited (pipelining) is left on the connection, not taken for leaving or
// dropped: both are answered, in order.
TEST_F(HttpServerTest, PipelinedRequestIsAnsweredAfterTheAwaitedOne) {
  const int fd = RawConnect(server_->port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendText(fd, "GET /await HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(WaitFor([&] { return handler_.awaiting(); }, absl::Seconds(5)));
  ASSERT_TRUE(SendText(fd, "GET /small HTTP/1.1\r\nHost: t\r\n\r\n"));
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(handler_.gone(), 0);
  handler_.Answer();
  std::string rest;
  const std::string first = ReadResponse(fd, absl::Seconds(5), 0, &rest);
  EXPECT_TRUE(absl::EndsWith(first, "\r\n\r\nawaited")) << first;
  const std::string second = ReadResponse(fd, absl::Seconds(5), 0, &rest);
  EXPECT_TRUE(absl::EndsWith(second, "\r\n\r\nok")) << second;
  close(fd);
  EXPECT_EQ(handler_.gone(), 0);
}

// Sends fd 2 (where the log goes) to a file while alive.
class CapturedStderr {
 public:
  explicit CapturedStderr(const std::string& path) : path_(path) {
    fflush(stderr);
    saved_ = dup(2);
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
  }
  ~CapturedStderr() { Restore(); }

  void Restore() {
    if (saved_ < 0) return;
    fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
  }

  // Lines so far that contain `text`.
  int Count(absl::string_view text) const {
    std::ifstream in(path_);
    int n = 0;
    for (std::string line; std::getline(in, line);) {
      if (absl::StrContains(line, text)) ++n;
    }
    return n;
  }

 private:
  std::string path_;
  int saved_ = -1;
};

double CpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

int HighestOpenFd() {
  int highest = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    int fd = 0;
    if (absl::SimpleAtoi(e.path().filename().string(), &fd)) {
      highest = std::max(highest, fd);
    }
  }
  return highest;
}

TEST_F(HttpServerTest, AcceptBacksOffWhileOutOfDescriptors) {
#if defined(__SANITIZE_ADDRESS__)
  // The sanitizers' runtime needs free descriptors to check a call's
  // dynamic type (it probes memory through a pipe) and reports every
  // virtual call made while none is left as a bad one; the release build
  // runs this test.
  GTEST_SKIP() << "needs a process without sanitizers";
#endif
  jalin::testing::TempDir dir;
  constexpr int kClients = 4;
  // Sockets are made now and connected once no descriptor is left: the
  // connections then wait in the backlog, and every accept() fails.
  std::vector<int> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_GE(clients.back(), 0);
  }
  CapturedStderr log(dir.File("log"));
  rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit lowered = saved;
  lowered.rlim_cur = static_cast<rlim_t>(HighestOpenFd() + 1);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
  std::vector<int> fillers;
  for (int fd; (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) {
    fillers.push_back(fd);
  }
  ASSERT_EQ(errno, EMFILE);

  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int fd : clients) {
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  }
  const double cpu_before = CpuSeconds();
  absl::SleepFor(absl::Seconds(2));
  const double cpu = CpuSeconds() - cpu_before;
  const int accepted_while_out = server_->connections();

  for (int fd : fillers) close(fd);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  // Once descriptors are free again, the waiting connections are served.
  const bool recovered = WaitFor(
      [&] { return server_->connections() == kClients; }, absl::Seconds(5));
  const int warnings = log.Count("http accept failed");
  const int recovered_lines = log.Count("http accepting again");
  log.Restore();

  EXPECT_EQ(accepted_while_out, 0);
  // Retrying at once spins a thread (about a second of CPU in two seconds)
  // and logs thousands of lines.
  EXPECT_GE(warnings, 1);
  EXPECT_LE(warnings, 3);
  EXPECT_LT(cpu, 0.5);
  EXPECT_TRUE(recovered) << server_->connections();
  EXPECT_EQ(recovered_lines, 1);
  ASSERT_TRUE(SendText(clients[0], "GET /small HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string small = ReadResponse(clients[0], absl::Seconds(5));
  EXPECT_TRUE(absl::EndsWith(small, "\r\n\r\nok")) << small;
  for (int fd : clients) close(fd);
}

TEST_F(HttpServerTest, ConnectionCapFitsTheOpenFileLimit) {
  rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit lowered = saved;
  lowered.rlim_cur = 1000;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
  HttpServerOptions big;
  big.listen = "127.0.0.1:0";
  big.max_connections = 20000;
  HttpServer capped(big, &handler_);
  ASSERT_TRUE(capped.Start().ok());
  HttpServerOptions small = big;
  small.max_connections = 10;
  HttpServer uncapped(small, &handler_);
  ASSERT_TRUE(uncapped.Start().ok());
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  EXPECT_EQ(capped.max_connections(), 1000 - HttpServer::kReservedFiles);
  EXPECT_EQ(uncapped.max_connections(), 10);
}

}  // namespace
}  // namespace jalin::gateway::testing
