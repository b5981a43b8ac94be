// An HTTP/1.1 server on Boost.Beast: a few io_context threads serve every
// connection asynchronously, so thousands of idle keep-alive or streaming
// (Server-Sent Events) connections cost memory, not threads.
//
// Each request becomes an HttpExchange handed to the HttpHandler; the
// handler answers it now or later, from any thread, with one Reply() or a
// stream (BeginStream, WriteChunk..., EndStream). A connection handles one
// request at a time; after a stream it closes.

#ifndef SERVICES_GATEWAY_HTTP_SERVER_H_
#define SERVICES_GATEWAY_HTTP_SERVER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "boost/asio/any_io_executor.hpp"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/strand.hpp"
#include "boost/beast/http.hpp"

namespace jalin::gateway {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// The connection side of an exchange; implemented by the server.
class HttpConnection {
 public:
  virtual ~HttpConnection() = default;
  // Queues `bytes`; `done(ok)` runs on the connection's strand once written
  // (ok=false when the connection failed or closed first).
  virtual void Send(std::string bytes, std::function<void(bool)> done) = 0;
  // The response is complete once queued bytes are written: read the next
  // request if `keep_alive`, else close.
  virtual void EndExchange(bool keep_alive) = 0;
  // `on_close` runs once if the peer goes away before the exchange ends.
  // For a stream: reads (and drops) what the peer sends meanwhile.
  virtual void WatchPeerClose(std::function<void()> on_close) = 0;
  // `on_gone` runs once if the peer closes or resets the connection while
  // a whole response is awaited. Reads nothing: once the peer sends more
  // (a pipelined request, read after this exchange), watching stops. A
  // peer that only half-closes counts as gone, as it does for most
  // servers and proxies.
  virtual void WatchPeerGone(std::function<void()> on_gone) = 0;
  virtual boost::asio::any_io_executor executor() = 0;
};

// One request and its response. Thread-safe; holds its connection alive.
class HttpExchange {
 public:
  HttpExchange(std::shared_ptr<HttpConnection> connection, HttpRequest request,
               std::string remote_address, absl::Time start);

  const HttpRequest& request() const { return request_; }
  // The peer's IP address.
  const std::string& remote_address() const { return remote_address_; }
  absl::Time start_time() const { return start_; }

  // The whole response (Content-Length set here); call once.
  void Reply(HttpResponse response);

  // A streamed response: chunked transfer encoding, connection closed at
  // the end. `written(ok)` runs when the header (or chunk) is on the wire.
  void BeginStream(http::response<http::empty_body> header,
                   std::function<void(bool)> written);
  void WriteChunk(absl::string_view data, std::function<void(bool)> written);
  void EndStream();
  void OnPeerClose(std::function<void()> on_close);
  // For a response to come whole (Reply): see HttpConnection::WatchPeerGone.
  void OnPeerGone(std::function<void()> on_gone);
  // The connection's strand, for timers of a stream.
  boost::asio::any_io_executor executor() { return connection_->executor(); }

 private:
  const std::shared_ptr<HttpConnection> connection_;
  const HttpRequest request_;
  const std::string remote_address_;
  const absl::Time start_;
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual void Handle(std::shared_ptr<HttpExchange> exchange) = 0;
  // The response to a request that could not be read (413 too large, 431
  // header too large, 400 malformed); the connection closes after it.
  // `origin` is the request's Origin header when its header was read, else
  // empty.
  virtual HttpResponse Rejected(http::status status, absl::string_view reason,
                                absl::string_view origin) = 0;
};

struct HttpServerOptions {
  // "127.0.0.1:8080"; port 0 picks a free port (see port()).
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 << 10;
  // How long a connection may take to send a request (or stay idle between
  // requests) before it is closed; also how long a response may make no
  // progress (a client that stops reading) before the connection is closed.
  absl::Duration idle_timeout = absl::Seconds(60);
  // Connections beyond this are closed at once. Start() lowers it to fit
  // the open-file limit (see kReservedFiles).
  int max_connections = 20000;
};

// Thread-safe. The handler must outlive the server.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler* handler);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the threads. UNAVAILABLE if it cannot listen.
  absl::Status Start();
  int port() const { return port_; }
  bool serving() const;
  // Open connections.
  int connections() const;
  // The connection cap in force: after Start(), at most the open-file limit
  // less kReservedFiles (less half the limit when that is smaller).
  int max_connections() const;

  // Descriptors kept for everything but HTTP connections (gRPC channels,
  // Redis, files being served, logs) when the cap is fitted to the
  // open-file limit.
  static constexpr int kReservedFiles = 128;

  // Stops accepting; closes idle and streaming connections; connections in
  // the middle of a request close after their response.
  void BeginStop();
  // Waits until every connection closed or `deadline`, then stops the
  // threads. Exchanges still held elsewhere must be finished before the
  // server is destroyed.
  void Finish(absl::Time deadline);

  struct State;

 private:
  void Accept();
  // Waits (with backoff) before accepting again after `ec`; logs the first
  // failure of a run and then a count at most every few seconds.
  void AcceptFailed(const boost::system::error_code& ec);

  std::shared_ptr<State> state_;
  boost::asio::io_context ioc_;
  // Keeps the threads running while an exchange waits for a backend with
  // no I/O pending (after the acceptor closed, say).
  std::optional<
      boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      work_;
  // The acceptor, its retry timer and the members below them are touched
  // only on this strand (after Start()). Declared after ioc_, so they are
  // destroyed before it.
  boost::asio::strand<boost::asio::io_context::executor_type> accept_strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_retry_;
  std::chrono::milliseconds accept_delay_{0};
  // Failures since the last success, and since the last log line.
  int64_t accept_failures_ = 0;
  int64_t accept_failures_unlogged_ = 0;
  absl::Time accept_logged_ = absl::InfinitePast();
  std::vector<std::thread> threads_;
  int port_ = 0;
  bool finished_ = false;
};

// HTTP-date of `t` ("Mon, 23 Nov 2026 10:00:00 GMT").
std::string HttpDate(absl::Time t);

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_HTTP_SERVER_H_
