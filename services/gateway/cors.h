// Cross-origin resource sharing for browsers on other origins (a dashboard
// served elsewhere, an integrator's web app): which origins may call the
// API, and the headers of preflight and actual responses. Credentials are
// bearer tokens, never cookies, so Access-Control-Allow-Credentials is not
// sent. Immutable; thread-safe.

#ifndef SERVICES_GATEWAY_CORS_H_
#define SERVICES_GATEWAY_CORS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace jalin::gateway {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class CorsPolicy {
 public:
  // Origins as "https://sida.jatengprov.go.id"; "*" allows every origin.
  // Empty: no cross-origin access.
  explicit CorsPolicy(std::vector<std::string> origins);

  bool Allows(absl::string_view origin) const;

  // Headers for the response to a request carrying `origin` (none when the
  // origin is absent or not allowed).
  HeaderList ResponseHeaders(absl::string_view origin) const;

  // Headers answering a preflight from an allowed origin for a path that
  // accepts `methods`.
  HeaderList PreflightHeaders(absl::string_view origin,
                              const std::vector<std::string>& methods) const;

  static constexpr absl::string_view kAllowedHeaders =
      "authorization, content-type, accept, x-request-id, last-event-id";
  static constexpr absl::string_view kExposedHeaders =
      "x-request-id, retry-after";

 private:
  bool any_ = false;
  std::vector<std::string> origins_;
};

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_CORS_H_
