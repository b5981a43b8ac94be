// A small blocking HTTP/1.1 client over a loopback socket, for the
// gateway's tests and benchmark only: whole responses (Content-Length or
// chunked), and streamed responses read event by event as they arrive.
// Every read has a deadline, so a broken server fails a test instead of
// hanging it.

#ifndef SERVICES_GATEWAY_TESTING_HTTP_CLIENT_H_
#define SERVICES_GATEWAY_TESTING_HTTP_CLIENT_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jalin::gateway::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResult {
  int status = 0;
  // Lower-case names.
  std::map<std::string, std::string> headers;
  std::string body;

  std::string header(const std::string& lower_name) const;
};

// A TCP connection to 127.0.0.1:`port`, its receive buffer set to
// `receive_buffer` bytes first when non-zero (a small window, for a client
// that reads slowly or not at all). The caller closes the descriptor.
absl::StatusOr<int> ConnectLoopback(int port, int receive_buffer = 0);

// One request on its own connection ("Connection: close").
absl::StatusOr<HttpResult> HttpCall(int port, const std::string& method,
                                    const std::string& target,
                                    const Headers& headers = {},
                                    const std::string& body = "",
                                    absl::Duration timeout = absl::Seconds(10));

// A connection kept open for many requests (keep-alive). Not thread-safe.
class HttpConnection {
 public:
  static absl::StatusOr<std::unique_ptr<HttpConnection>> Open(int port);
  ~HttpConnection();
  absl::StatusOr<HttpResult> Call(const std::string& method,
                                  const std::string& target,
                                  const Headers& headers = {},
                                  const std::string& body = "",
                                  absl::Duration timeout = absl::Seconds(10));

 private:
  explicit HttpConnection(int fd) : fd_(fd) {}
  int fd_;
  std::string buffer_;
};

struct SseEvent {
  std::string id;
  std::string event;
  std::string data;
  // Comment lines (": keep-alive").
  bool comment_only = false;
};

// A response read while it streams. Not thread-safe.
class StreamReader {
 public:
  // Sends the request and reads the response header.
  static absl::StatusOr<std::unique_ptr<StreamReader>> Open(
      int port, const std::string& method, const std::string& target,
      const Headers& headers, const std::string& body = "",
      absl::Duration timeout = absl::Seconds(10));
  ~StreamReader();

  int status() const { return status_; }
  std::string header(const std::string& lower_name) const;

  // The next Server-Sent Event (comments are skipped unless
  // `return_comments`); DEADLINE_EXCEEDED after `timeout`, OUT_OF_RANGE
  // when the stream ended.
  absl::StatusOr<SseEvent> NextEvent(absl::Duration timeout,
                                     bool return_comments = false);
  // The next NDJSON line.
  absl::StatusOr<std::string> NextLine(absl::Duration timeout);
  // True when the server ends the stream within `timeout`.
  bool WaitEnd(absl::Duration timeout);
  // Everything decoded and not consumed yet.
  const std::string& pending() const { return decoded_; }

 private:
  explicit StreamReader(int fd) : fd_(fd) {}
  // Reads more bytes and decodes complete chunks; false at the end or on
  // timeout (then *ended tells which).
  bool Fill(absl::Time deadline, bool* ended);

  int fd_;
  int status_ = 0;
  std::map<std::string, std::string> headers_;
  bool chunked_ = false;
  bool ended_ = false;
  std::string raw_;
  std::string decoded_;
};

}  // namespace jalin::gateway::testing

#endif  // SERVICES_GATEWAY_TESTING_HTTP_CLIENT_H_
