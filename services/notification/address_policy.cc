#include "services/notification/address_policy.h"

#include <arpa/inet.h>

#include <cstring>
#include <initializer_list>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace jalin::notification {
namespace {

IpAddress V4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d};
}

IpAddress V6(std::initializer_list<uint8_t> head) {
  IpAddress a{};
  size_t i = 0;
  for (uint8_t b : head) a[i++] = b;
  return a;
}

// Ranges no delivery may reach unless allowed.
const std::vector<IpNetwork>& Refused() {
  static const auto* const refused = new std::vector<IpNetwork>{
      {V4(0, 0, 0, 0), 96 + 8},       // "this network", unspecified
      {V4(10, 0, 0, 0), 96 + 8},      // private
      {V4(127, 0, 0, 0), 96 + 8},     // loopback
      {V4(169, 254, 0, 0), 96 + 16},  // link-local (cloud metadata)
      {V4(172, 16, 0, 0), 96 + 12},   // private
      {V4(192, 168, 0, 0), 96 + 16},  // private
      {V4(224, 0, 0, 0), 96 + 4},     // multicast
      {V4(240, 0, 0, 0), 96 + 4},     // reserved, broadcast
      {V6({}), 128},                  // ::, unspecified
      {V6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), 128},  // ::1
      {V6({0xfc}), 7},         // unique local
      {V6({0xfe, 0x80}), 10},  // link-local
      {V6({0xff}), 8},         // multicast
  };
  return *refused;
}

bool IsNumericHost(absl::string_view host) {
  if (absl::StartsWithIgnoreCase(host, "0x")) return true;
  for (char c : host) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '.') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<IpAddress> ParseIpAddress(absl::string_view text) {
  const size_t zone = text.find('%');
  if (zone != absl::string_view::npos) text = text.substr(0, zone);
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string s(text);
  IpAddress a{};
  in_addr v4;
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    a[10] = a[11] = 0xff;
    std::memcpy(&a[12], &v4, 4);
    return a;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(a.data(), &v6, 16);
    return a;
  }
  return std::nullopt;
}

bool IpNetwork::Contains(const IpAddress& a) const {
  const int whole = prefix / 8;
  for (int i = 0; i < whole; ++i) {
    if (a[i] != base[i]) return false;
  }
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (base[whole] & mask);
}

absl::StatusOr<IpNetwork> ParseIpNetwork(absl::string_view text) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\": ", why,
                     " (expected an address or address/prefix, such as "
                     "10.20.0.0/16 or 2001:db8::/32)"));
  };
  const size_t slash = text.find('/');
  const absl::string_view address = text.substr(0, slash);
  if (address.find('%') != absl::string_view::npos) {
    return bad("zones are not allowed");
  }
  std::optional<IpAddress> base = ParseIpAddress(address);
  if (!base.has_value()) return bad("not an IP address");
  const bool v4 = address.find(':') == absl::string_view::npos;
  IpNetwork n{*base, 128};
  if (slash != absl::string_view::npos) {
    int bits = -1;
    const int max = v4 ? 32 : 128;
    if (!absl::SimpleAtoi(text.substr(slash + 1), &bits) || bits < 0 ||
        bits > max) {
      return bad(absl::StrCat("the prefix must be 0 to ", max));
    }
    n.prefix = v4 ? 96 + bits : bits;
  }
  for (int i = n.prefix; i < 128; ++i) {
    if (n.base[i / 8] & (0x80 >> (i % 8))) {
      return bad("bits are set after the prefix");
    }
  }
  return n;
}

absl::StatusOr<AddressPolicy> AddressPolicy::Parse(absl::string_view networks) {
  std::vector<IpNetwork> allowed;
  for (absl::string_view entry : absl::StrSplit(networks, ',')) {
    entry = absl::StripAsciiWhitespace(entry);
    if (entry.empty()) continue;
    absl::StatusOr<IpNetwork> n = ParseIpNetwork(entry);
    if (!n.ok()) return n.status();
    allowed.push_back(*n);
  }
  return AddressPolicy(std::move(allowed));
}

bool AddressPolicy::Allows(const IpAddress& a) const {
  for (const IpNetwork& n : allowed_) {
    if (n.Contains(a)) return true;
  }
  for (const IpNetwork& n : Refused()) {
    if (n.Contains(a)) return false;
  }
  return true;
}

absl::Status AddressPolicy::Check(absl::string_view address_text) const {
  std::optional<IpAddress> a = ParseIpAddress(address_text);
  if (a.has_value() && Allows(*a)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("address ", address_text, " is not allowed"));
}

std::string WebhookUriProblem(absl::string_view uri,
                              const AddressPolicy& policy) {
  const size_t scheme = uri.find("://");
  if (scheme == absl::string_view::npos) return "must be an absolute URI";
  absl::string_view authority = uri.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#\\"));
  if (authority.find('@') != absl::string_view::npos) {
    return "must not contain user information (user:password@)";
  }
  absl::string_view host = authority;
  absl::string_view port;
  bool has_port = false;
  bool bracketed = false;
  if (absl::ConsumePrefix(&host, "[")) {
    const size_t close = host.find(']');
    if (close == absl::string_view::npos)
      return "has an unclosed [ in its host";
    absl::string_view after = host.substr(close + 1);
    host = host.substr(0, close);
    bracketed = true;
    if (!after.empty()) {
      if (!absl::ConsumePrefix(&after, ":")) return "has a malformed host";
      port = after;
      has_port = true;
    }
  } else {
    const size_t colon = host.find(':');
    if (colon != absl::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
      has_port = true;
    }
  }
  if (host.empty()) return "must name a host";
  if (has_port) {
    int p = 0;
    if (port.empty() || port.size() > 5 || !absl::SimpleAtoi(port, &p) ||
        p < 1 || p > 65535 || !absl::ascii_isdigit(port[0])) {
      return "must have a port from 1 to 65535";
    }
  }
  std::optional<IpAddress> ip = ParseIpAddress(host);
  if (bracketed && (!ip.has_value() || host.find(':') == host.npos)) {
    return "must have a valid IPv6 address in [ ]";
  }
  if (!ip.has_value()) {
    if (IsNumericHost(host)) {
      return "must name a host or a dotted IPv4 address";
    }
    return std::string();
  }
  if (!policy.Allows(*ip)) {
    return absl::StrCat("must not name an internal address (", host,
                        " is not allowed)");
  }
  return std::string();
}

}  // namespace jalin::notification
