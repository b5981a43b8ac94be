// A fake gRPC backend for the gateway's tests: accepts any method of any
// service (grpc::CallbackGenericService), records what arrived (method,
// metadata, request messages as bytes) and answers as the test scripts it:
// a status, response messages, or a stream held open that the test feeds.

#ifndef TESTS_SERVICES_GATEWAY_FAKE_BACKEND_H_
#define TESTS_SERVICES_GATEWAY_FAKE_BACKEND_H_

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/server.h"

namespace jalin::gateway::testing {

struct Received {
  // "/jalin.registry.v1.RegistryService/GetRegion".
  std::string method;
  std::multimap<std::string, std::string> metadata;
  // Serialised request messages, in order.
  std::vector<std::string> messages;
  // The call's deadline as the backend saw it.
  absl::Time deadline = absl::InfiniteFuture();
};

struct Answer {
  grpc::Status status = grpc::Status::OK;
  // Serialised response messages sent before the status.
  std::vector<std::string> messages;
  // Keep the call open after the messages: the test feeds it with Push()
  // and ends it with Close().
  bool hold = false;
};

// Thread-safe.
class FakeBackend {
 public:
  // Starts on a free loopback port.
  FakeBackend();
  ~FakeBackend();

  std::string address() const;

  // Decides the answer to each call; the default answers OK with one empty
  // message.
  void SetAnswer(std::function<Answer(const Received&)> answer);

  std::vector<Received> received() const;
  size_t received_count() const;
  void Clear();
  // Waits until `n` calls arrived (all their messages read).
  bool WaitForCalls(size_t n, absl::Duration timeout) const;

  // Held streams (Answer::hold): how many are open now.
  size_t open_streams() const;
  bool WaitForOpenStreams(size_t n, absl::Duration timeout) const;
  // Sends a message on every held stream / ends them.
  void Push(const std::string& message);
  void CloseAll(const grpc::Status& status);

  class Reactor;

 private:
  class Service;
  friend class Reactor;

  void Record(const Received& r);
  void Opened(Reactor* r);
  void Closed(Reactor* r);
  Answer Decide(const Received& r);

  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;

  mutable absl::Mutex mu_;
  std::function<Answer(const Received&)> answer_ ABSL_GUARDED_BY(mu_);
  std::vector<Received> received_ ABSL_GUARDED_BY(mu_);
  std::vector<Reactor*> open_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jalin::gateway::testing

#endif  // TESTS_SERVICES_GATEWAY_FAKE_BACKEND_H_
