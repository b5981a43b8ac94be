#include "services/gateway/backend_call.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "boost/asio/post.hpp"
#include "boost/asio/steady_timer.hpp"
#include "common/rpc/byte_buffer.h"
#include "common/rpc/client.h"
#include "common/status/grpc_status.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/proto_buffer_writer.h"
#include "services/gateway/http_error.h"
#include "services/gateway/transcoder.h"

namespace jalin::gateway {
namespace {

using google::protobuf::Message;

absl::Status ToByteBuffer(const Message& m, grpc::ByteBuffer* out) {
  bool own = false;
  grpc::Status s = grpc::SerializationTraits<Message>::Serialize(m, out, &own);
  if (!s.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot serialise the request: ", s.error_message()));
  }
  return absl::OkStatus();
}

absl::Status FromByteBuffer(grpc::ByteBuffer* in, Message* m) {
  if (!rpc::ParseByteBuffer(*in, m).ok()) {
    return absl::InternalError("the backend answered an unreadable message");
  }
  return absl::OkStatus();
}

struct UnaryCall {
  explicit UnaryCall(CallTracker* t) : lease(t) {}
  // First member: released after ctx is destroyed (see CallTracker::Lease).
  CallTracker::Lease lease;
  grpc::ClientContext ctx;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  std::shared_ptr<ExchangeState> state;
  const Route* route = nullptr;
};

// A streaming call (server, client or bidi) on the callback API: no thread
// waits for it. Owns itself from Start until OnDone; timers and the
// peer-close watch hold weak references.
class StreamCall final
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>,
      public std::enable_shared_from_this<StreamCall> {
 public:
  StreamCall(const Route& route, std::shared_ptr<ExchangeState> state,
             CallOptions options, CallTracker* tracker, HttpObserver* observer)
      : lease_(tracker),
        route_(route),
        state_(std::move(state)),
        options_(std::move(options)),
        observer_(observer),
        keepalive_(std::make_shared<boost::asio::steady_timer>(
            state_->exchange().executor())) {}

  void Start(grpc::GenericStub* stub, std::vector<grpc::ByteBuffer> requests) {
    self_ = shared_from_this();
    requests_ = std::move(requests);
    rpc::PrepareContext(&ctx_, options_.timeout, options_.token,
                        options_.request_id);
    lease_.tracker()->Add(&ctx_);
    stub->PrepareBidiStreamingCall(&ctx_, route_.grpc_path, grpc::StubOptions(),
                                   this);
    std::weak_ptr<StreamCall> weak = self_;
    state_->exchange().OnPeerClose([weak] {
      if (auto c = weak.lock()) c->ctx_.TryCancel();
    });
    WriteNext();
    StartRead(&response_);
    StartCall();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return;
    ++next_write_;
    WriteNext();
  }

  void OnReadInitialMetadataDone(bool ok) override {
    if (ok) EnsureHeaders();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    std::unique_ptr<Message> m = NewMessage(route_.method->output_type());
    absl::Status s = FromByteBuffer(&response_, m.get());
    absl::StatusOr<std::string> json =
        s.ok() ? ResponseToJson(route_, *m) : absl::StatusOr<std::string>(s);
    if (!json.ok()) {
      failure_ = json.status();
      ctx_.TryCancel();
      return;
    }
    EnsureHeaders();
    AddHold();
    state_->exchange().WriteChunk(FormatStreamMessage(*m, *json, options_.sse),
                                  [this](bool written) {
                                    // The hold keeps this call alive until
                                    // RemoveHold.
                                    if (written) {
                                      StartRead(&response_);
                                    } else {
                                      ctx_.TryCancel();
                                    }
                                    RemoveHold();
                                  });
  }

  void OnDone(const grpc::Status& status) override {
    done_ = true;
    lease_.tracker()->Remove(&ctx_);
    // No local copy of the timer: it must not outlive self_.reset() below,
    // which may release the connection and let the server shut down.
    boost::asio::post(keepalive_->get_executor(),
                      [timer = keepalive_] { timer->cancel(); });
    google::rpc::Status rpc = failure_.ok()
                                  ? ToRpcStatus(status)
                                  : state_->ToRpcStatusForHttp(failure_);
    bool begun;
    {
      absl::MutexLock lock(&mu_);
      begun = headers_sent_;
      headers_sent_ = true;
    }
    if (!begun) {
      if (rpc.code() != 0) {
        state_->ReplyError(rpc);
      } else {
        state_->BeginStream(ContentType(), nullptr);
        state_->EndStream(0, "");
      }
    } else {
      if (rpc.code() != 0) {
        state_->exchange().WriteChunk(
            FormatStreamError(ErrorJson(rpc), options_.sse), nullptr);
      }
      state_->EndStream(rpc.code(), rpc.message());
      observer_->StreamClosed();
    }
    self_.reset();
  }

 private:
  std::string ContentType() const {
    return options_.sse ? "text/event-stream; charset=utf-8"
                        : "application/x-ndjson";
  }

  void WriteNext() {
    if (next_write_ > requests_.size()) return;
    if (next_write_ == requests_.size()) {
      if (requests_.empty()) StartWritesDone();
      ++next_write_;
      return;
    }
    if (next_write_ + 1 == requests_.size()) {
      StartWriteLast(&requests_[next_write_], grpc::WriteOptions());
    } else {
      StartWrite(&requests_[next_write_]);
    }
  }

  void EnsureHeaders() {
    {
      absl::MutexLock lock(&mu_);
      if (headers_sent_) return;
      headers_sent_ = true;
      // Sent under the lock so that no chunk can overtake the header.
      state_->BeginStream(ContentType(), nullptr);
    }
    observer_->StreamOpened();
    if (options_.sse && options_.keepalive > absl::ZeroDuration()) {
      boost::asio::post(
          keepalive_->get_executor(),
          [timer = keepalive_, weak = std::weak_ptr<StreamCall>(self_),
           interval = options_.keepalive] {
            ArmKeepAlive(timer, weak, interval);
          });
    }
  }

  // SSE comments keep idle proxies from closing the stream and find dead
  // clients. Runs on the connection's strand.
  static void ArmKeepAlive(std::shared_ptr<boost::asio::steady_timer> timer,
                           std::weak_ptr<StreamCall> weak,
                           absl::Duration interval) {
    timer->expires_after(absl::ToChronoMilliseconds(interval));
    timer->async_wait([timer, weak, interval](boost::system::error_code ec) {
      if (ec) return;
      std::shared_ptr<StreamCall> c = weak.lock();
      if (c == nullptr || c->done_) return;
      c->state_->exchange().WriteChunk(": keep-alive\n\n", nullptr);
      ArmKeepAlive(timer, weak, interval);
    });
  }

  // First member: released after ctx_ is destroyed (see CallTracker::Lease).
  CallTracker::Lease lease_;
  const Route& route_;
  const std::shared_ptr<ExchangeState> state_;
  const CallOptions options_;
  HttpObserver* const observer_;
  const std::shared_ptr<boost::asio::steady_timer> keepalive_;
  std::shared_ptr<StreamCall> self_;
  grpc::ClientContext ctx_;
  std::vector<grpc::ByteBuffer> requests_;
  size_t next_write_ = 0;
  grpc::ByteBuffer response_;
  std::atomic<bool> done_{false};
  // Set before cancelling when a response could not be turned into JSON.
  absl::Status failure_;
  absl::Mutex mu_;
  bool headers_sent_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

Backends::Backends(const std::map<std::string, std::string>& addresses) {
  for (const auto& [name, address] : addresses) {
    Backend b;
    b.address = address;
    b.channel = rpc::MakeChannel(address);
    b.stub = std::make_unique<grpc::GenericStub>(b.channel);
    backends_.emplace(name, std::move(b));
  }
}

grpc::GenericStub* Backends::stub(const std::string& backend) const {
  auto it = backends_.find(backend);
  return it == backends_.end() ? nullptr : it->second.stub.get();
}

std::string Backends::address(const std::string& backend) const {
  auto it = backends_.find(backend);
  return it == backends_.end() ? "" : it->second.address;
}

CallTracker::Lease::Lease(CallTracker* tracker) : tracker_(tracker) {
  absl::MutexLock lock(&tracker_->mu_);
  ++tracker_->leases_;
}

CallTracker::Lease::~Lease() {
  absl::MutexLock lock(&tracker_->mu_);
  --tracker_->leases_;
}

void CallTracker::Add(grpc::ClientContext* ctx) {
  absl::MutexLock lock(&mu_);
  calls_.insert(ctx);
}

void CallTracker::Remove(grpc::ClientContext* ctx) {
  absl::MutexLock lock(&mu_);
  calls_.erase(ctx);
}

void CallTracker::CancelAll() {
  absl::MutexLock lock(&mu_);
  for (grpc::ClientContext* ctx : calls_) ctx->TryCancel();
}

bool CallTracker::WaitIdle(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithDeadline(absl::Condition(this, &CallTracker::Idle),
                               deadline);
}

int CallTracker::active() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(calls_.size());
}

std::string FormatStreamMessage(const Message& m, const std::string& json,
                                bool sse) {
  if (!sse) return absl::StrCat(json, "\n");
  std::string cursor = StringField(m, "cursor");
  if (cursor.empty()) return absl::StrCat("data: ", json, "\n\n");
  cursor = absl::StrReplaceAll(cursor, {{"\r", ""}, {"\n", ""}});
  return absl::StrCat("id: ", cursor, "\ndata: ", json, "\n\n");
}

std::string FormatStreamError(const std::string& error_json, bool sse) {
  if (!sse) return absl::StrCat(error_json, "\n");
  return absl::StrCat("event: error\ndata: ", error_json, "\n\n");
}

void StartUnaryCall(grpc::GenericStub* stub, const Route& route,
                    std::unique_ptr<Message> request,
                    std::shared_ptr<ExchangeState> state, CallOptions options,
                    CallTracker* tracker, HttpObserver* observer) {
  (void)observer;
  auto call = std::make_shared<UnaryCall>(tracker);
  call->state = std::move(state);
  call->route = &route;
  if (absl::Status s = ToByteBuffer(*request, &call->request); !s.ok()) {
    call->state->ReplyError(s);
    return;
  }
  rpc::PrepareContext(&call->ctx, options.timeout, options.token,
                      options.request_id);
  tracker->Add(&call->ctx);
  stub->UnaryCall(&call->ctx, route.grpc_path, grpc::StubOptions(),
                  &call->request, &call->response, [call](grpc::Status status) {
                    call->lease.tracker()->Remove(&call->ctx);
                    if (!status.ok()) {
                      call->state->ReplyError(ToRpcStatus(status));
                      return;
                    }
                    std::unique_ptr<Message> m =
                        NewMessage(call->route->method->output_type());
                    absl::Status s = FromByteBuffer(&call->response, m.get());
                    absl::StatusOr<std::string> json =
                        s.ok() ? ResponseToJson(*call->route, *m)
                               : absl::StatusOr<std::string>(s);
                    if (!json.ok()) {
                      call->state->ReplyError(json.status(), {}, 502);
                      return;
                    }
                    call->state->Reply(http::status::ok, "application/json",
                                       *std::move(json));
                  });
  // A client that leaves cancels the call: it ends CANCELLED (recorded as
  // 499), and its answer (a channeling report is some 15 MiB) is neither
  // sent nor turned into JSON for nobody.
  std::weak_ptr<UnaryCall> weak = call;
  call->state->exchange().OnPeerGone([weak] {
    if (auto c = weak.lock()) c->ctx.TryCancel();
  });
}

void StartStreamCall(grpc::GenericStub* stub, const Route& route,
                     std::vector<std::unique_ptr<Message>> requests,
                     std::shared_ptr<ExchangeState> state, CallOptions options,
                     CallTracker* tracker, HttpObserver* observer) {
  std::vector<grpc::ByteBuffer> buffers(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    if (absl::Status s = ToByteBuffer(*requests[i], &buffers[i]); !s.ok()) {
      state->ReplyError(s);
      return;
    }
  }
  auto call = std::make_shared<StreamCall>(
      route, std::move(state), std::move(options), tracker, observer);
  call->Start(stub, std::move(buffers));
}

}  // namespace jalin::gateway
