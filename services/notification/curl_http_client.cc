#include "services/notification/curl_http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"

namespace jalin::notification {
namespace {

constexpr size_t kMaxKeptBody = 512;

size_t KeepBody(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  const size_t bytes = size * n;
  if (out->size() < kMaxKeptBody) {
    out->append(data, std::min(bytes, kMaxKeptBody - out->size()));
  }
  return bytes;
}

// Aborts a transfer once the client is cancelled.
int Progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<std::atomic<bool>*>(user)->load() ? 1 : 0;
}

// What the connect check saw; one per call.
struct ConnectCheck {
  const AddressPolicy* policy;
  absl::Status refused;
};

// Called once connected, before the request is sent: refuses addresses the
// policy does not allow.
int CheckConnected(void* user, char* primary_ip, char*, int, int) {
  auto* check = static_cast<ConnectCheck*>(user);
  absl::Status s =
      check->policy->Check(primary_ip == nullptr ? "" : primary_ip);
  if (s.ok()) return CURL_PREREQFUNC_OK;
  check->refused = std::move(s);
  return CURL_PREREQFUNC_ABORT;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

CurlHttpClient::CurlHttpClient(AddressPolicy policy)
    : policy_(std::move(policy)) {
  // Once per process, before any thread uses curl; never undone, as other
  // clients may still be running.
  static const bool initialised = [] {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  }();
  (void)initialised;
}

CurlHttpClient::~CurlHttpClient() = default;

absl::StatusOr<HttpResponse> CurlHttpClient::Post(
    const std::string& url,
    const std::vector<std::pair<std::string, std::string>>& headers,
    absl::string_view body, absl::Duration timeout) {
  if (cancelled_) return absl::UnavailableError("HTTP client shut down");
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  curl_slist* raw_list = nullptr;
  for (const auto& [name, value] : headers) {
    raw_list =
        curl_slist_append(raw_list, absl::StrCat(name, ": ", value).c_str());
  }
  // No "Expect: 100-continue" round trip for larger bodies.
  raw_list = curl_slist_append(raw_list, "Expect:");
  std::unique_ptr<curl_slist, SlistDeleter> list(raw_list);
  HttpResponse response;
  ConnectCheck check{&policy_, absl::OkStatus()};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
  curl_easy_setopt(c, CURLOPT_USERAGENT, "jalin-notification");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, KeepBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, Progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &cancelled_);
  curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, CheckConnected);
  curl_easy_setopt(c, CURLOPT_PREREQDATA, &check);
  const CURLcode rc = curl_easy_perform(c);
  if (!check.refused.ok()) return check.refused;
  if (rc != CURLE_OK) {
    // curl's own text only: the URL may carry secrets.
    return absl::UnavailableError(curl_easy_strerror(rc));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace jalin::notification
