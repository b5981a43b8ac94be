#include "tests/services/notification/http_receiver.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace jalin::notification::test {
namespace {

constexpr size_t kMaxRequest = 4 << 20;

bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n =
        ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Reads one request; false if the peer closed early or sent garbage.
bool ReadRequest(int fd, ReceivedRequest* out) {
  std::string buf;
  char chunk[8192];
  size_t header_end = std::string::npos;
  while (header_end == std::string::npos) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<size_t>(n));
    if (buf.size() > kMaxRequest) return false;
    header_end = buf.find("\r\n\r\n");
  }
  std::vector<std::string> lines =
      absl::StrSplit(buf.substr(0, header_end), "\r\n");
  if (lines.empty()) return false;
  std::vector<std::string> start = absl::StrSplit(lines[0], ' ');
  if (start.size() < 2) return false;
  out->method = start[0];
  out->path = start[1];
  size_t length = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
    std::string value(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
    if (name == "content-length" && !absl::SimpleAtoi(value, &length)) {
      return false;
    }
    out->headers[name] = value;
  }
  out->body = buf.substr(header_end + 4);
  while (out->body.size() < length) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    out->body.append(chunk, static_cast<size_t>(n));
    if (out->body.size() > kMaxRequest) return false;
  }
  out->body.resize(length);
  return true;
}

}  // namespace

HttpReceiver::HttpReceiver(int port) : port_(port) {}

HttpReceiver::~HttpReceiver() { Stop(); }

absl::Status HttpReceiver::Start() {
  if (thread_.joinable()) return absl::OkStatus();
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError("socket");
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port()));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 64) != 0) {
    ::close(fd);
    return absl::UnavailableError(absl::StrCat("cannot listen on port ", port(),
                                               ": ", std::strerror(errno)));
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  {
    absl::MutexLock lock(&mu_);
    port_ = ntohs(addr.sin_port);
  }
  if (::pipe2(wake_, O_CLOEXEC) != 0) {
    ::close(fd);
    return absl::InternalError("pipe");
  }
  listener_ = fd;
  thread_ = std::thread([this, fd, wake = wake_[0]] { Serve(fd, wake); });
  return absl::OkStatus();
}

void HttpReceiver::Stop() {
  if (!thread_.joinable()) return;
  const char x = 'x';
  (void)!::write(wake_[1], &x, 1);
  thread_.join();
  ::close(listener_);
  ::close(wake_[0]);
  ::close(wake_[1]);
  listener_ = -1;
  wake_[0] = wake_[1] = -1;
}

int HttpReceiver::port() const {
  absl::MutexLock lock(&mu_);
  return port_;
}

std::string HttpReceiver::Url(const std::string& path) const {
  return absl::StrCat("http://127.0.0.1:", port(), path);
}

void HttpReceiver::SetStatus(int status) {
  absl::MutexLock lock(&mu_);
  status_ = status;
}

std::vector<ReceivedRequest> HttpReceiver::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

bool HttpReceiver::WaitForSuccesses(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return successes_ >= n;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

bool HttpReceiver::WaitForRequests(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return requests_.size() >= n;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

void HttpReceiver::Serve(int listener, int wake) {
  while (true) {
    pollfd fds[2] = {{listener, POLLIN, 0}, {wake, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int conn = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) continue;
    Handle(conn);
    ::close(conn);
  }
}

void HttpReceiver::Handle(int connection) {
  ReceivedRequest request;
  if (!ReadRequest(connection, &request)) return;
  {
    absl::MutexLock lock(&mu_);
    request.status = status_;
  }
  const std::string reply = absl::StrCat(
      "HTTP/1.1 ", request.status, " ", request.status < 300 ? "OK" : "Error",
      "\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
      "Connection: close\r\n\r\nok");
  SendAll(connection, reply);
  absl::MutexLock lock(&mu_);
  if (request.status >= 200 && request.status < 300) ++successes_;
  requests_.push_back(std::move(request));
}

}  // namespace jalin::notification::test
