// A webhook receiver for tests: a minimal HTTP/1.1 server on 127.0.0.1 that
// records every request and answers with a status the test chooses. It can
// be stopped (connections refused) and started again on the same port.

#ifndef TESTS_SERVICES_NOTIFICATION_HTTP_RECEIVER_H_
#define TESTS_SERVICES_NOTIFICATION_HTTP_RECEIVER_H_

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jalin::notification::test {

struct ReceivedRequest {
  std::string method;
  std::string path;
  // Header names in lower case.
  std::map<std::string, std::string> headers;
  std::string body;
  // The status answered.
  int status = 0;
};

// Thread-safe.
class HttpReceiver {
 public:
  // Listens on `port` once started (0: a free port chosen at the first
  // start and kept afterwards).
  explicit HttpReceiver(int port = 0);
  ~HttpReceiver();

  absl::Status Start();
  // Closes the listener: further connections are refused.
  void Stop();

  int port() const;
  std::string Url(const std::string& path) const;
  // Status answered from now on (default 200).
  void SetStatus(int status);

  std::vector<ReceivedRequest> requests() const;
  // Waits until at least `n` requests answered 2xx arrived; false on
  // timeout.
  bool WaitForSuccesses(size_t n, absl::Duration timeout) const;
  // Waits until at least `n` requests (any answer) arrived.
  bool WaitForRequests(size_t n, absl::Duration timeout) const;

 private:
  void Serve(int listener, int wake);
  void Handle(int connection);

  mutable absl::Mutex mu_;
  int port_ ABSL_GUARDED_BY(mu_);
  int status_ ABSL_GUARDED_BY(mu_) = 200;
  std::vector<ReceivedRequest> requests_ ABSL_GUARDED_BY(mu_);
  size_t successes_ ABSL_GUARDED_BY(mu_) = 0;
  int listener_ = -1;
  int wake_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace jalin::notification::test

#endif  // TESTS_SERVICES_NOTIFICATION_HTTP_RECEIVER_H_
