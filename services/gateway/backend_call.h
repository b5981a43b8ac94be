// Forwarding one transcoded request to its backend with grpc::GenericStub
// (serialised bytes, no generated stub per service) and turning the answer
// into HTTP: a JSON body for unary calls; for streams, one Server-Sent
// Event or one NDJSON line per message, each written before the next
// message is read (so a slow client slows its stream, not the gateway).

#ifndef SERVICES_GATEWAY_BACKEND_CALL_H_
#define SERVICES_GATEWAY_BACKEND_CALL_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "services/gateway/exchange_state.h"
#include "services/gateway/route_table.h"

namespace jalin::gateway {

// One channel and generic stub per backend. Immutable after construction;
// thread-safe.
class Backends {
 public:
  // Backend name ("registry") → address ("127.0.0.1:7101").
  explicit Backends(const std::map<std::string, std::string>& addresses);

  // Null for an unknown backend.
  grpc::GenericStub* stub(const std::string& backend) const;
  std::string address(const std::string& backend) const;

 private:
  struct Backend {
    std::string address;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::GenericStub> stub;
  };
  std::map<std::string, Backend> backends_;
};

// The backend calls in flight, so that shutdown can cancel them and wait.
// Thread-safe.
class CallTracker {
 public:
  // Held by a call object for its whole life, declared before its
  // ClientContext so that it is released only after the context (and with
  // it the context's reference to the channel) is gone: the channels are
  // then destroyed by the thread that stops the gateway, never by a gRPC
  // thread finishing a call.
  class Lease {
   public:
    explicit Lease(CallTracker* tracker);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    CallTracker* tracker() const { return tracker_; }

   private:
    CallTracker* const tracker_;
  };

  // A call that can be cancelled (from start until its completion).
  void Add(grpc::ClientContext* ctx);
  void Remove(grpc::ClientContext* ctx);
  void CancelAll();
  // True when no call is left by `deadline`: none cancellable, and every
  // call object destroyed.
  bool WaitIdle(absl::Time deadline);
  int active() const;

 private:
  bool Idle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return calls_.empty() && leases_ == 0;
  }

  mutable absl::Mutex mu_;
  absl::flat_hash_set<grpc::ClientContext*> calls_ ABSL_GUARDED_BY(mu_);
  int leases_ ABSL_GUARDED_BY(mu_) = 0;
};

struct CallOptions {
  // Bearer token to pass on (empty: none) and the request id.
  std::string token;
  std::string request_id;
  // Deadline of a unary call, and of a stream.
  absl::Duration timeout = absl::Seconds(10);
  // Streams: Server-Sent Events (else NDJSON), and the interval of SSE
  // keep-alive comments (zero: none).
  bool sse = false;
  absl::Duration keepalive = absl::Seconds(15);
};

// Sends `request` to route.method; replies on `state`. `tracker` must
// outlive the call.
void StartUnaryCall(grpc::GenericStub* stub, const Route& route,
                    std::unique_ptr<google::protobuf::Message> request,
                    std::shared_ptr<ExchangeState> state, CallOptions options,
                    CallTracker* tracker, HttpObserver* observer);

// Sends `requests` (one for a server stream, any number for a client or
// bidi stream), then streams the responses on `state`. Cancelled when the
// client goes away.
void StartStreamCall(
    grpc::GenericStub* stub, const Route& route,
    std::vector<std::unique_ptr<google::protobuf::Message>> requests,
    std::shared_ptr<ExchangeState> state, CallOptions options,
    CallTracker* tracker, HttpObserver* observer);

// One stream message as sent to the client: "id: <cursor>\ndata: <json>\n\n"
// for SSE (id when the message has a non-empty string field "cursor"),
// "<json>\n" for NDJSON.
std::string FormatStreamMessage(const google::protobuf::Message& m,
                                const std::string& json, bool sse);
// A stream's error after it started: an SSE "error" event or an NDJSON line.
std::string FormatStreamError(const std::string& error_json, bool sse);

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_BACKEND_CALL_H_
