// Outgoing HTTP for webhook deliveries, behind an interface so that the
// dispatcher can be tested without the network.

#ifndef SERVICES_NOTIFICATION_HTTP_CLIENT_H_
#define SERVICES_NOTIFICATION_HTTP_CLIENT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jalin::notification {

struct HttpResponse {
  int status = 0;
  // The start of the response body (never shown to integrators).
  std::string body;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // POSTs `body`; any HTTP answer is a response (whatever its status).
  // UNAVAILABLE when no answer came (connection refused, timeout, ...);
  // PERMISSION_DENIED when the endpoint's address is not allowed (nothing
  // was sent). Error messages never contain the URL. Thread-safe.
  virtual absl::StatusOr<HttpResponse> Post(
      const std::string& url,
      const std::vector<std::pair<std::string, std::string>>& headers,
      absl::string_view body, absl::Duration timeout) = 0;
  // Makes calls in progress and later ones fail at once (at shutdown).
  virtual void CancelAll() {}
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_HTTP_CLIENT_H_
