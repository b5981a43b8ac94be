#include "services/gateway/testing/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace jalin::gateway::testing {

absl::StatusOr<int> ConnectLoopback(int port, int receive_buffer) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::UnavailableError("socket() failed");
  if (receive_buffer > 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer,
               sizeof(receive_buffer));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return absl::UnavailableError(
        absl::StrCat("cannot connect to port ", port));
  }
  return fd;
}

namespace {

absl::StatusOr<int> Connect(int port) {
  absl::StatusOr<int> fd = ConnectLoopback(port);
  if (!fd.ok()) return fd;
  int one = 1;
  setsockopt(*fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

absl::Status SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n =
        send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return absl::UnavailableError("send failed");
    sent += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// Appends what arrives before `deadline`. 1 = data, 0 = EOF, -1 = timeout
// or error.
int ReadSome(int fd, std::string* out, absl::Time deadline) {
  const absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) return -1;
  pollfd p{fd, POLLIN, 0};
  const int r =
      poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
  if (r <= 0) return -1;
  char buf[16384];
  const ssize_t n = recv(fd, buf, sizeof(buf), 0);
  if (n < 0) return -1;
  if (n == 0) return 0;
  out->append(buf, static_cast<size_t>(n));
  return 1;
}

std::string RequestText(const std::string& method, const std::string& target,
                        const Headers& headers, const std::string& body,
                        bool close) {
  std::string req =
      absl::StrCat(method, " ", target, " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (const auto& [k, v] : headers) absl::StrAppend(&req, k, ": ", v, "\r\n");
  if (!body.empty() || method == "POST" || method == "PATCH" ||
      method == "PUT") {
    absl::StrAppend(&req, "Content-Length: ", body.size(), "\r\n");
  }
  if (close) absl::StrAppend(&req, "Connection: close\r\n");
  absl::StrAppend(&req, "\r\n", body);
  return req;
}

// Parses "HTTP/1.1 200 OK\r\nName: value\r\n..." (without the blank line).
absl::Status ParseHead(absl::string_view head, int* status,
                       std::map<std::string, std::string>* headers) {
  std::vector<absl::string_view> lines = absl::StrSplit(head, "\r\n");
  std::vector<absl::string_view> first = absl::StrSplit(lines[0], ' ');
  if (first.size() < 2 || !absl::SimpleAtoi(first[1], status)) {
    return absl::InternalError(absl::StrCat("bad status line: ", lines[0]));
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == absl::string_view::npos) continue;
    std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
    std::string value(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
    auto [it, inserted] = headers->emplace(name, value);
    if (!inserted) absl::StrAppend(&it->second, ", ", value);
  }
  return absl::OkStatus();
}

// Decodes the complete chunks at the front of `raw` into `out`; sets
// *last at the terminating chunk.
void DecodeChunks(std::string* raw, std::string* out, bool* last) {
  while (true) {
    const size_t eol = raw->find("\r\n");
    if (eol == std::string::npos) return;
    uint64_t size = 0;
    std::string hex = raw->substr(0, eol);
    hex = hex.substr(0, hex.find(';'));
    if (!absl::SimpleHexAtoi(hex, &size)) return;
    if (size == 0) {
      *last = true;
      raw->clear();
      return;
    }
    if (raw->size() < eol + 2 + size + 2) return;
    out->append(*raw, eol + 2, size);
    raw->erase(0, eol + 2 + size + 2);
  }
}

// Reads one whole response from `fd` using `buffer` for what was read
// past it.
absl::StatusOr<HttpResult> ReadResponse(int fd, std::string& buffer,
                                        absl::Time deadline, bool head_only) {
  HttpResult result;
  size_t end;
  while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (ReadSome(fd, &buffer, deadline) <= 0) {
      return absl::DeadlineExceededError("no response header");
    }
  }
  if (absl::Status s = ParseHead(absl::string_view(buffer).substr(0, end),
                                 &result.status, &result.headers);
      !s.ok()) {
    return s;
  }
  buffer.erase(0, end + 4);
  if (head_only || result.status == 204 || result.status == 304) {
    return result;
  }
  if (result.header("transfer-encoding") == "chunked") {
    bool last = false;
    std::string raw = std::move(buffer);
    buffer.clear();
    DecodeChunks(&raw, &result.body, &last);
    while (!last) {
      const int r = ReadSome(fd, &raw, deadline);
      if (r <= 0) return absl::DeadlineExceededError("chunked body cut short");
      DecodeChunks(&raw, &result.body, &last);
    }
    return result;
  }
  size_t length = 0;
  if (!absl::SimpleAtoi(result.header("content-length"), &length)) {
    // Until the connection closes.
    while (ReadSome(fd, &buffer, deadline) > 0) {
    }
    result.body = std::move(buffer);
    buffer.clear();
    return result;
  }
  while (buffer.size() < length) {
    if (ReadSome(fd, &buffer, deadline) <= 0) {
      return absl::DeadlineExceededError("body cut short");
    }
  }
  result.body = buffer.substr(0, length);
  buffer.erase(0, length);
  return result;
}

}  // namespace

std::string HttpResult::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

absl::StatusOr<HttpResult> HttpCall(int port, const std::string& method,
                                    const std::string& target,
                                    const Headers& headers,
                                    const std::string& body,
                                    absl::Duration timeout) {
  absl::StatusOr<int> fd = Connect(port);
  if (!fd.ok()) return fd.status();
  absl::Status sent =
      SendAll(*fd, RequestText(method, target, headers, body, true));
  std::string buffer;
  absl::StatusOr<HttpResult> r =
      sent.ok()
          ? ReadResponse(*fd, buffer, absl::Now() + timeout, method == "HEAD")
          : absl::StatusOr<HttpResult>(sent);
  close(*fd);
  return r;
}

absl::StatusOr<std::unique_ptr<HttpConnection>> HttpConnection::Open(int port) {
  absl::StatusOr<int> fd = Connect(port);
  if (!fd.ok()) return fd.status();
  return std::unique_ptr<HttpConnection>(new HttpConnection(*fd));
}

HttpConnection::~HttpConnection() { close(fd_); }

absl::StatusOr<HttpResult> HttpConnection::Call(const std::string& method,
                                                const std::string& target,
                                                const Headers& headers,
                                                const std::string& body,
                                                absl::Duration timeout) {
  if (absl::Status s =
          SendAll(fd_, RequestText(method, target, headers, body, false));
      !s.ok()) {
    return s;
  }
  return ReadResponse(fd_, buffer_, absl::Now() + timeout, method == "HEAD");
}

absl::StatusOr<std::unique_ptr<StreamReader>> StreamReader::Open(
    int port, const std::string& method, const std::string& target,
    const Headers& headers, const std::string& body, absl::Duration timeout) {
  absl::StatusOr<int> fd = Connect(port);
  if (!fd.ok()) return fd.status();
  std::unique_ptr<StreamReader> r(new StreamReader(*fd));
  if (absl::Status s =
          SendAll(*fd, RequestText(method, target, headers, body, false));
      !s.ok()) {
    return s;
  }
  const absl::Time deadline = absl::Now() + timeout;
  size_t end;
  while ((end = r->raw_.find("\r\n\r\n")) == std::string::npos) {
    if (ReadSome(*fd, &r->raw_, deadline) <= 0) {
      return absl::DeadlineExceededError("no response header");
    }
  }
  if (absl::Status s = ParseHead(absl::string_view(r->raw_).substr(0, end),
                                 &r->status_, &r->headers_);
      !s.ok()) {
    return s;
  }
  r->raw_.erase(0, end + 4);
  r->chunked_ = r->header("transfer-encoding") == "chunked";
  bool ended = false;
  if (r->chunked_) {
    DecodeChunks(&r->raw_, &r->decoded_, &ended);
  } else {
    r->decoded_ = std::move(r->raw_);
    r->raw_.clear();
  }
  r->ended_ = ended;
  return r;
}

StreamReader::~StreamReader() { close(fd_); }

std::string StreamReader::header(const std::string& lower_name) const {
  auto it = headers_.find(lower_name);
  return it == headers_.end() ? "" : it->second;
}

bool StreamReader::Fill(absl::Time deadline, bool* ended) {
  *ended = ended_;
  if (ended_) return false;
  std::string* into = chunked_ ? &raw_ : &decoded_;
  const int r = ReadSome(fd_, into, deadline);
  if (r == 0) {
    ended_ = true;
    *ended = true;
    return false;
  }
  if (r < 0) return false;
  if (chunked_) {
    bool last = false;
    DecodeChunks(&raw_, &decoded_, &last);
    if (last) ended_ = true;
  }
  return true;
}

absl::StatusOr<SseEvent> StreamReader::NextEvent(absl::Duration timeout,
                                                 bool return_comments) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    size_t end;
    while ((end = decoded_.find("\n\n")) != std::string::npos) {
      const std::string block = decoded_.substr(0, end);
      decoded_.erase(0, end + 2);
      SseEvent e;
      bool any_field = false;
      for (absl::string_view line : absl::StrSplit(block, '\n')) {
        if (absl::StartsWith(line, ":")) continue;
        const size_t colon = line.find(':');
        absl::string_view name = line.substr(0, colon);
        absl::string_view value =
            colon == absl::string_view::npos ? "" : line.substr(colon + 1);
        absl::ConsumePrefix(&value, " ");
        any_field = true;
        if (name == "id") e.id = std::string(value);
        if (name == "event") e.event = std::string(value);
        if (name == "data") {
          if (!e.data.empty()) e.data.push_back('\n');
          e.data.append(value.data(), value.size());
        }
      }
      if (any_field) return e;
      if (return_comments) {
        e.comment_only = true;
        return e;
      }
    }
    bool ended = false;
    if (!Fill(deadline, &ended)) {
      if (ended) return absl::OutOfRangeError("stream ended");
      if (absl::Now() >= deadline) {
        return absl::DeadlineExceededError("no event in time");
      }
    }
  }
}

absl::StatusOr<std::string> StreamReader::NextLine(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    const size_t end = decoded_.find('\n');
    if (end != std::string::npos) {
      std::string line = decoded_.substr(0, end);
      decoded_.erase(0, end + 1);
      return line;
    }
    bool ended = false;
    if (!Fill(deadline, &ended)) {
      if (ended) return absl::OutOfRangeError("stream ended");
      if (absl::Now() >= deadline) {
        return absl::DeadlineExceededError("no line in time");
      }
    }
  }
}

bool StreamReader::WaitEnd(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    bool ended = false;
    if (!Fill(deadline, &ended)) {
      if (ended) return true;
      if (absl::Now() >= deadline) return false;
    }
  }
}

}  // namespace jalin::gateway::testing
