// HttpClient on libcurl (easy interface, one handle per call).

#ifndef SERVICES_NOTIFICATION_CURL_HTTP_CLIENT_H_
#define SERVICES_NOTIFICATION_CURL_HTTP_CLIENT_H_

#include <atomic>

#include "services/notification/address_policy.h"
#include "services/notification/http_client.h"

namespace jalin::notification {

// Thread-safe. Follows no redirects (a webhook URI is exact), bypasses any
// proxy for loopback addresses, and verifies TLS peers (curl's default).
// Before a request is sent, the address actually connected to (after DNS,
// so a name resolving inward or rebinding is caught; a proxy's address when
// one is used) must pass `policy`; otherwise the call fails with
// PERMISSION_DENIED "address <ip> is not allowed" and nothing is sent.
// Errors never carry the URL (it may hold secrets in its query).
class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(AddressPolicy policy = AddressPolicy());
  ~CurlHttpClient() override;

  absl::StatusOr<HttpResponse> Post(
      const std::string& url,
      const std::vector<std::pair<std::string, std::string>>& headers,
      absl::string_view body, absl::Duration timeout) override;
  void CancelAll() override { cancelled_ = true; }

 private:
  const AddressPolicy policy_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_CURL_HTTP_CLIENT_H_
