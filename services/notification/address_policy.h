// Which network addresses webhook deliveries may go to. Internal ranges
// (loopback, private, link-local, unspecified, multicast and reserved, also
// in their IPv4-mapped IPv6 form) are refused unless the operator allows a
// network containing the address (JALIN_WEBHOOK_ALLOWED_NETWORKS), so that
// an integrator cannot make the service call into its own network.
//
// Checked twice: on a literal IP in a webhook URI when it is registered, and
// on the address the HTTP client actually connected to before each request
// is sent (which covers DNS names resolving inward and DNS rebinding).

#ifndef SERVICES_NOTIFICATION_ADDRESS_POLICY_H_
#define SERVICES_NOTIFICATION_ADDRESS_POLICY_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jalin::notification {

// An IPv4 or IPv6 address; IPv4 is held in its IPv4-mapped IPv6 form
// (::ffff:a.b.c.d), so both spellings of one address compare equal.
using IpAddress = std::array<uint8_t, 16>;

// "10.0.0.1", "::1", "::ffff:10.0.0.1", "fe80::1%eth0" (the zone is
// ignored); nullopt for anything else.
std::optional<IpAddress> ParseIpAddress(absl::string_view text);

struct IpNetwork {
  IpAddress base{};
  int prefix = 128;  // bits of `base` that must match (IPv4: 96 + n)

  bool Contains(const IpAddress& a) const;
};

// "10.20.0.0/16", "2001:db8::/32", or one address ("10.0.0.5"). The bits
// after the prefix must be zero. INVALID_ARGUMENT otherwise.
absl::StatusOr<IpNetwork> ParseIpNetwork(absl::string_view text);

// Immutable after construction; thread-safe; cheap to copy.
class AddressPolicy {
 public:
  // Refuses every internal range.
  AddressPolicy() = default;
  explicit AddressPolicy(std::vector<IpNetwork> allowed)
      : allowed_(std::move(allowed)) {}

  // From a comma-separated list of networks (the setting); blanks between
  // entries are ignored. INVALID_ARGUMENT naming the first bad entry.
  static absl::StatusOr<AddressPolicy> Parse(absl::string_view networks);

  // True when `a` is in an allowed network or in no refused range.
  bool Allows(const IpAddress& a) const;
  // OK, or PERMISSION_DENIED "address <text> is not allowed" (also for text
  // that is no address).
  absl::Status Check(absl::string_view address_text) const;

 private:
  std::vector<IpNetwork> allowed_;
};

// Why `uri` (already known to be an absolute http(s) URI) may not be a
// webhook endpoint: user information in it, no host, a bad port, or a
// literal IP host that `policy` refuses. Empty when it is fine.
std::string WebhookUriProblem(absl::string_view uri,
                              const AddressPolicy& policy);

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_ADDRESS_POLICY_H_
