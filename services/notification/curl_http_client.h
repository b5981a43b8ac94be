// HttpClient on libcurl (easy interface, one handle per call).

#ifndef SERVICES_NOTIFICATION_CURL_HTTP_CLIENT_H_
#define SERVICES_NOTIFICATION_CURL_HTTP_CLIENT_H_

#include <atomic>

#include "services/notification/http_client.h"

namespace jalin::notification {

// Thread-safe. Follows no redirects (a webhook URI is exact), bypasses any
// proxy for loopback addresses, and verifies TLS peers (curl's default).
class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient();
  ~CurlHttpClient() override;

  absl::StatusOr<HttpResponse> Post(
      const std::string& url,
      const std::vector<std::pair<std::string, std::string>>& headers,
      absl::string_view body, absl::Duration timeout) override;
  void CancelAll() override { cancelled_ = true; }

 private:
  std::atomic<bool> cancelled_{false};
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_CURL_HTTP_CLIENT_H_
