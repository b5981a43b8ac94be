// Webhook signatures: "v1=" + lower-case hex HMAC-SHA256 over
// "{timestamp}.{body}" with the endpoint's secret, sent in the
// X-Jalin-Signature header next to X-Jalin-Timestamp.

#ifndef SERVICES_NOTIFICATION_WEBHOOK_SIGNER_H_
#define SERVICES_NOTIFICATION_WEBHOOK_SIGNER_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace jalin::notification {

inline constexpr absl::string_view kEventIdHeader = "X-Jalin-Event-Id";
inline constexpr absl::string_view kTimestampHeader = "X-Jalin-Timestamp";
inline constexpr absl::string_view kSignatureHeader = "X-Jalin-Signature";
inline constexpr absl::string_view kWebhookHeader = "X-Jalin-Webhook";
inline constexpr absl::string_view kAttemptHeader = "X-Jalin-Attempt";

// Lower-case hex HMAC-SHA256 of `message` under `key`.
std::string HmacSha256Hex(absl::string_view key, absl::string_view message);

// The X-Jalin-Signature value for a body sent at `unix_seconds`.
std::string SignWebhook(absl::string_view secret, int64_t unix_seconds,
                        absl::string_view body);

// What a receiver does: true when `signature` is the v1 signature of
// `body` at `timestamp` (compared in constant time).
bool VerifyWebhookSignature(absl::string_view secret,
                            absl::string_view timestamp, absl::string_view body,
                            absl::string_view signature);

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_WEBHOOK_SIGNER_H_
