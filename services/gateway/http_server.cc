#include "services/gateway/http_server.h"

#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <deque>
#include <map>
#include <optional>
#include <sstream>

#include "absl/base/thread_annotations.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/strand.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core.hpp"
#include "common/log/log.h"

namespace jalin::gateway {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {
class Session;
}  // namespace

struct HttpServer::State {
  HttpServerOptions options;
  HttpHandler* handler = nullptr;
  std::atomic<bool> stopping{false};
  absl::Mutex mu;
  std::map<const void*, std::weak_ptr<Session>> sessions ABSL_GUARDED_BY(mu);
};

namespace {

// One TCP connection. Every member is touched only on the connection's
// strand; the public HttpConnection methods post there. Owned by
// shared_ptrs held by pending operations and exchanges.
class Session final : public HttpConnection,
                      public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<HttpServer::State> state)
      : registration_{state, this},
        stream_(std::move(socket)),
        state_(std::move(state)) {
    beast::error_code ec;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string();
  }

  void Start() {
    {
      absl::MutexLock lock(&state_->mu);
      state_->sessions[this] = weak_from_this();
    }
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->DoRead(); });
  }

  // Called by the server at shutdown.
  void StopFromServer() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->in_exchange_ || self->streaming_) self->Close();
    });
  }

  void Send(std::string bytes, std::function<void(bool)> done) override {
    net::post(stream_.get_executor(),
              [self = shared_from_this(), bytes = std::move(bytes),
               done = std::move(done)]() mutable {
                if (self->closed_) {
                  if (done) done(false);
                  return;
                }
                self->queue_.push_back({std::move(bytes), std::move(done)});
                if (!self->writing_) self->DoWrite();
              });
  }

  void EndExchange(bool keep_alive) override {
    net::post(stream_.get_executor(), [self = shared_from_this(), keep_alive] {
      self->end_pending_ = true;
      self->keep_alive_ = keep_alive;
      if (!self->writing_ && self->queue_.empty()) self->FinishExchange();
    });
  }

  void WatchPeerClose(std::function<void()> on_close) override {
    net::post(
        stream_.get_executor(),
        [self = shared_from_this(), on_close = std::move(on_close)]() mutable {
          if (self->closed_) {
            on_close();
            return;
          }
          self->streaming_ = true;
          self->on_peer_close_ = std::move(on_close);
          if (!self->watching_) self->DoWatch();
        });
  }

  void WatchPeerGone(std::function<void()> on_gone) override {
    net::post(stream_.get_executor(), [self = shared_from_this(),
                                       on_gone = std::move(on_gone)]() mutable {
      if (self->closed_) {
        on_gone();
        return;
      }
      if (!self->in_exchange_ || self->end_pending_) return;
      self->on_peer_gone_ = std::move(on_gone);
      if (!self->peeking_) self->DoPeek();
    });
  }

  net::any_io_executor executor() override { return stream_.get_executor(); }

 private:
  struct Pending {
    std::string bytes;
    std::function<void(bool)> done;
    // Bytes of `bytes` on the wire.
    size_t written = 0;
  };

  // The most written under one timer (see DoWrite).
  static constexpr size_t kWriteSlice = 64 << 10;

  void DoRead() {
    if (closed_) return;
    if (state_->stopping) return Close();
    parser_.emplace();
    parser_->body_limit(state_->options.max_body_bytes);
    parser_->header_limit(
        static_cast<uint32_t>(state_->options.max_header_bytes));
    stream_.expires_after(
        absl::ToChronoMilliseconds(state_->options.idle_timeout));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          self->OnHeader(ec);
        });
  }

  // The header is in: refuse an announced oversize body at once, answer
  // "Expect: 100-continue" (curl sends it for larger bodies), then read the
  // body.
  void OnHeader(beast::error_code ec) {
    if (closed_) return;
    if (ec) return OnRead(ec);
    const auto length = parser_->content_length();
    if (length && *length > state_->options.max_body_bytes) {
      return OnRead(http::error::body_limit);
    }
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(
          stream_, net::buffer(kContinue, sizeof(kContinue) - 1),
          [self = shared_from_this()](beast::error_code ec, size_t) {
            if (ec) return self->Close();
            self->ReadBody();
          });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->OnRead(ec);
                     });
  }

  void OnRead(beast::error_code ec) {
    if (closed_) return;
    if (ec) {
      if (ec == http::error::body_limit) {
        return Reject(http::status::payload_too_large,
                      absl::StrCat("request body larger than ",
                                   state_->options.max_body_bytes, " bytes"));
      }
      if (ec == http::error::header_limit) {
        return Reject(http::status::request_header_fields_too_large,
                      absl::StrCat("request header larger than ",
                                   state_->options.max_header_bytes, " bytes"));
      }
      const bool peer_gone =
          ec == http::error::end_of_stream ||
          ec == http::error::partial_message || ec == beast::error::timeout ||
          ec == net::error::eof || ec == net::error::connection_reset ||
          ec == net::error::operation_aborted;
      if (!peer_gone &&
          ec.category() ==
              http::make_error_code(http::error::bad_target).category()) {
        return Reject(http::status::bad_request,
                      absl::StrCat("malformed HTTP request: ", ec.message()));
      }
      return Close();
    }
    stream_.expires_never();
    in_exchange_ = true;
    auto exchange = std::make_shared<HttpExchange>(
        shared_from_this(), parser_->release(), remote_, absl::Now());
    parser_.reset();
    state_->handler->Handle(std::move(exchange));
  }

  void Reject(http::status status, const std::string& reason) {
    in_exchange_ = true;
    stream_.expires_never();
    // The Origin header, if it was read, so that the answer can carry CORS
    // headers. The parser stores each field as it is read, so it is known
    // even when the header as a whole failed later (an announced oversize
    // body fails at the header's end; a field too many at that field).
    std::string origin;
    if (parser_) origin = std::string(parser_->get()[http::field::origin]);
    HttpResponse res = state_->handler->Rejected(status, reason, origin);
    res.keep_alive(false);
    res.prepare_payload();
    std::ostringstream os;
    os << res;
    Send(os.str(), nullptr);
    EndExchange(false);
  }

  // Writes the front of the queue a slice at a time, each under its own
  // idle_timeout: a client that stops reading is closed once the timer of a
  // slice fires, while a slow one that keeps reading gets the whole
  // response however long it takes. A pending watch read (DoWatch) keeps
  // its own timer: expires_after() leaves the timer of a pending operation
  // alone.
  void DoWrite() {
    writing_ = true;
    const Pending& front = queue_.front();
    const size_t size =
        std::min(kWriteSlice, front.bytes.size() - front.written);
    stream_.expires_after(
        absl::ToChronoMilliseconds(state_->options.idle_timeout));
    net::async_write(
        stream_, net::buffer(front.bytes.data() + front.written, size),
        [self = shared_from_this()](beast::error_code ec, size_t n) {
          self->OnWrite(ec, n);
        });
  }

  void OnWrite(beast::error_code ec, size_t n) {
    writing_ = false;
    // Close() ran while this write was in flight (the peer of a stream left,
    // or shutdown): it already failed every queued write, this one included,
    // and emptied the queue.
    if (closed_) return;
    if (!ec) {
      Pending& front = queue_.front();
      front.written += n;
      if (front.written < front.bytes.size()) return DoWrite();
    }
    Pending done = std::move(queue_.front());
    queue_.pop_front();
    if (ec) {
      if (done.done) done.done(false);
      return Close();
    }
    if (done.done) done.done(true);
    if (!queue_.empty()) return DoWrite();
    if (end_pending_) FinishExchange();
  }

  void FinishExchange() {
    end_pending_ = false;
    in_exchange_ = false;
    streaming_ = false;
    on_peer_close_ = nullptr;
    on_peer_gone_ = nullptr;
    // The next request is read only when no watch read is pending (a stream
    // that failed before it began answers like a unary call): two reads at
    // once would split the request between them, and the pending one has no
    // idle_timeout.
    if (keep_alive_ && !state_->stopping && !watching_) {
      DoRead();
    } else {
      LingerAndClose();
    }
  }

  // Closes our side, then reads and drops what the peer still sends (for
  // a short while) before closing: closing with unread data would reset
  // the connection and could destroy the response in the peer's buffers
  // (a refused oversize body, a pipelined request).
  void LingerAndClose() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    lingering_ = true;
    // A read still watching for the peer of a stream has no timer: cancel
    // it (no write is pending here), and its handler starts the drain.
    if (watching_) {
      stream_.socket().cancel(ignored);
      return;
    }
    StartDrain();
  }

  void StartDrain() {
    stream_.expires_after(std::chrono::seconds(2));
    DrainThenClose();
  }

  void DrainThenClose() {
    stream_.async_read_some(
        net::buffer(watch_buffer_),
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec || self->closed_) return self->Close();
          self->DrainThenClose();
        });
  }

  // While a response streams, a read that fails tells that the peer left.
  // The read has no timer (a stream may be quiet for long), so it must not
  // inherit the expiry a write left on the read side.
  void DoWatch() {
    watching_ = true;
    stream_.expires_never();
    stream_.async_read_some(
        net::buffer(watch_buffer_),
        [self = shared_from_this()](beast::error_code ec, size_t) {
          self->watching_ = false;
          if (self->closed_) return;
          if (ec && ec != net::error::operation_aborted) return self->Close();
          if (self->lingering_) return self->StartDrain();
          if (ec) return self->Close();
          if (self->streaming_) self->DoWatch();
        });
  }

  // While a whole response is awaited: waits until the socket is readable
  // and looks without reading. End of stream or an error means the peer
  // left; bytes mean it sent more, which the next DoRead takes.
  void DoPeek() {
    peeking_ = true;
    stream_.socket().async_wait(
        tcp::socket::wait_read,
        [self = shared_from_this()](beast::error_code ec) {
          self->peeking_ = false;
          if (ec || self->closed_ || !self->on_peer_gone_) return;
          char byte;
          const ssize_t n = ::recv(self->stream_.socket().native_handle(),
                                   &byte, 1, MSG_PEEK | MSG_DONTWAIT);
          if (n > 0) {
            self->on_peer_gone_ = nullptr;
            return;
          }
          if (n < 0 &&
              (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            return self->DoPeek();
          }
          self->Close();
        });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    std::deque<Pending> pending = std::move(queue_);
    queue_.clear();
    for (Pending& p : pending) {
      if (p.done) p.done(false);
    }
    if (auto cb = std::move(on_peer_close_); cb) cb();
    on_peer_close_ = nullptr;
    if (auto cb = std::move(on_peer_gone_); cb) cb();
    on_peer_gone_ = nullptr;
  }

  // Leaves the server's session map when destroyed. Declared first, so it
  // is destroyed last: HttpServer::Finish() waits for the map to empty
  // before it destroys the io_context, and the socket and its timer must be
  // gone by then (the last owner may be a gRPC thread finishing a call).
  struct Registration {
    std::shared_ptr<HttpServer::State> state;
    const void* key;
    ~Registration() {
      absl::MutexLock lock(&state->mu);
      state->sessions.erase(key);
    }
  };

  Registration registration_;
  beast::tcp_stream stream_;
  const std::shared_ptr<HttpServer::State> state_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::deque<Pending> queue_;
  std::array<char, 512> watch_buffer_;
  std::function<void()> on_peer_close_;
  std::function<void()> on_peer_gone_;
  bool writing_ = false;
  bool end_pending_ = false;
  bool keep_alive_ = false;
  bool in_exchange_ = false;
  bool streaming_ = false;
  bool watching_ = false;
  // A DoPeek wait is pending.
  bool peeking_ = false;
  bool lingering_ = false;
  bool closed_ = false;
};

std::string Serialize(const HttpResponse& res) {
  std::ostringstream os;
  os << res;
  return os.str();
}

}  // namespace

std::string HttpDate(absl::Time t) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", t, absl::UTCTimeZone());
}

HttpExchange::HttpExchange(std::shared_ptr<HttpConnection> connection,
                           HttpRequest request, std::string remote_address,
                           absl::Time start)
    : connection_(std::move(connection)),
      request_(std::move(request)),
      remote_address_(std::move(remote_address)),
      start_(start) {}

void HttpExchange::Reply(HttpResponse response) {
  const bool keep_alive = request_.keep_alive() && response.keep_alive();
  response.keep_alive(keep_alive);
  if (request_.method() == http::verb::head) {
    // Content-Length of the body a GET would get, without the body.
    const size_t size = response.body().size();
    response.body().clear();
    response.content_length(size);
  } else {
    response.prepare_payload();
  }
  connection_->Send(Serialize(response), nullptr);
  connection_->EndExchange(keep_alive);
}

void HttpExchange::BeginStream(http::response<http::empty_body> header,
                               std::function<void(bool)> written) {
  header.chunked(true);
  header.keep_alive(false);
  std::ostringstream os;
  os << header.base();
  connection_->Send(os.str(), std::move(written));
}

void HttpExchange::WriteChunk(absl::string_view data,
                              std::function<void(bool)> written) {
  if (data.empty()) {
    if (written)
      net::post(connection_->executor(), [w = std::move(written)] { w(true); });
    return;
  }
  connection_->Send(absl::StrCat(absl::Hex(data.size()), "\r\n", data, "\r\n"),
                    std::move(written));
}

void HttpExchange::EndStream() {
  connection_->Send("0\r\n\r\n", nullptr);
  connection_->EndExchange(false);
}

void HttpExchange::OnPeerClose(std::function<void()> on_close) {
  connection_->WatchPeerClose(std::move(on_close));
}

void HttpExchange::OnPeerGone(std::function<void()> on_gone) {
  connection_->WatchPeerGone(std::move(on_gone));
}

HttpServer::HttpServer(HttpServerOptions options, HttpHandler* handler)
    : state_(std::make_shared<State>()),
      accept_strand_(net::make_strand(ioc_)),
      acceptor_(accept_strand_),
      accept_retry_(accept_strand_) {
  state_->options = std::move(options);
  state_->handler = handler;
}

HttpServer::~HttpServer() {
  if (!threads_.empty() && !finished_) {
    BeginStop();
    Finish(absl::Now());
  }
}

absl::Status HttpServer::Start() {
  const std::string& listen = state_->options.listen;
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("http_listen \"", listen, "\": expected host:port"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(host, ec);
  int port = 0;
  if (ec || !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "http_listen \"", listen, "\": expected an IP address and a port"));
  }
  tcp::endpoint endpoint(address, static_cast<uint16_t>(port));
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", listen, ": ", ec.message()));
  }
  port_ = acceptor_.local_endpoint().port();
  // Each connection holds a descriptor: a cap above the open-file limit
  // would let accept() fail instead of turning connections away cleanly.
  rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 &&
      files.rlim_cur != RLIM_INFINITY) {
    const int64_t soft = static_cast<int64_t>(files.rlim_cur);
    const int64_t fit = std::max<int64_t>(
        1, soft - std::min<int64_t>(kReservedFiles, soft / 2));
    if (state_->options.max_connections > fit) {
      log::Info("max_connections lowered to fit the open-file limit",
                {{"max_connections", state_->options.max_connections},
                 {"open_file_limit", soft},
                 {"reserved", soft - fit},
                 {"using", fit}});
      state_->options.max_connections = static_cast<int>(fit);
    }
  }
  work_.emplace(net::make_work_guard(ioc_));
  net::dispatch(accept_strand_, [this] { Accept(); });
  for (int i = 0; i < std::max(1, state_->options.threads); ++i) {
    threads_.emplace_back([this] { ioc_.run(); });
  }
  return absl::OkStatus();
}

// Runs on accept_strand_, as do the handlers below (the acceptor's and the
// timer's executor).
void HttpServer::Accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec,
                                                        tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) {
        return;
      }
      return AcceptFailed(ec);
    }
    if (accept_failures_ > 0) {
      log::Info("http accepting again", {{"failures", accept_failures_}});
      accept_failures_ = 0;
      accept_failures_unlogged_ = 0;
      accept_logged_ = absl::InfinitePast();
      accept_delay_ = std::chrono::milliseconds(0);
    }
    if (state_->stopping || connections() >= state_->options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      // Responses and events are written whole: send them at once.
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), state_)->Start();
    }
    if (!state_->stopping) Accept();
  });
}

// A failing accept() (most often EMFILE: out of descriptors) fails again at
// once while the pending connection waits in the backlog: retrying at once
// would spin a thread and flood the log.
void HttpServer::AcceptFailed(const boost::system::error_code& ec) {
  constexpr std::chrono::milliseconds kFirstDelay(50);
  constexpr std::chrono::milliseconds kMaxDelay(1000);
  constexpr absl::Duration kLogEvery = absl::Seconds(5);
  ++accept_failures_;
  ++accept_failures_unlogged_;
  accept_delay_ = accept_delay_.count() == 0
                      ? kFirstDelay
                      : std::min(kMaxDelay, accept_delay_ * 2);
  const absl::Time now = absl::Now();
  if (accept_failures_ == 1 || now - accept_logged_ >= kLogEvery) {
    log::Warn("http accept failed", {{"error", ec.message()},
                                     {"failures", accept_failures_unlogged_},
                                     {"retry_in_ms", accept_delay_.count()}});
    accept_logged_ = now;
    accept_failures_unlogged_ = 0;
  }
  if (state_->stopping) return;
  accept_retry_.expires_after(accept_delay_);
  accept_retry_.async_wait([this](beast::error_code wait_ec) {
    if (wait_ec || state_->stopping || !acceptor_.is_open()) return;
    Accept();
  });
}

bool HttpServer::serving() const { return port_ != 0 && !state_->stopping; }

int HttpServer::connections() const {
  absl::MutexLock lock(&state_->mu);
  return static_cast<int>(state_->sessions.size());
}

int HttpServer::max_connections() const {
  return state_->options.max_connections;
}

void HttpServer::BeginStop() {
  if (state_->stopping.exchange(true)) return;
  net::post(accept_strand_, [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
  });
  std::vector<std::shared_ptr<Session>> sessions;
  {
    absl::MutexLock lock(&state_->mu);
    for (auto& [key, weak] : state_->sessions) {
      if (auto s = weak.lock()) sessions.push_back(std::move(s));
    }
  }
  for (auto& s : sessions) s->StopFromServer();
}

void HttpServer::Finish(absl::Time deadline) {
  if (finished_) return;
  finished_ = true;
  {
    absl::MutexLock lock(&state_->mu);
    state_->mu.AwaitWithDeadline(
        absl::Condition(
            +[](State* s)
                 ABSL_NO_THREAD_SAFETY_ANALYSIS { return s->sessions.empty(); },
            state_.get()),
        deadline);
  }
  work_.reset();
  ioc_.stop();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

}  // namespace jalin::gateway
