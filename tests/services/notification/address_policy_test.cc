// Which addresses webhooks may reach: internal IPv4, IPv6 and IPv4-mapped
// ranges are refused unless allowed; webhook URIs with user information, no
// host or a refused literal IP are refused at registration.

#include "services/notification/address_policy.h"

#include "gtest/gtest.h"

namespace jalin::notification {
namespace {

bool Allowed(const AddressPolicy& p, const char* ip) {
  return p.Check(ip).ok();
}

TEST(AddressPolicyTest, RefusesInternalRangesByDefault) {
  const AddressPolicy p;
  for (const char* ip : {"127.0.0.1",
                         "127.255.0.9",
                         "10.0.0.1",
                         "172.16.0.1",
                         "172.31.255.255",
                         "192.168.1.1",
                         "169.254.169.254",
                         "0.0.0.0",
                         "224.0.0.1",
                         "255.255.255.255",
                         "::1",
                         "::",
                         "fc00::1",
                         "fd12:3456::1",
                         "fe80::1",
                         "fe80::1%eth0",
                         "ff02::1",
                         "::ffff:127.0.0.1",
                         "::ffff:10.0.0.1",
                         "::ffff:169.254.169.254",
                         "::ffff:7f00:1",
                         "not-an-address",
                         ""}) {
    EXPECT_FALSE(Allowed(p, ip)) << ip;
  }
  for (const char* ip :
       {"8.8.8.8", "172.15.255.255", "172.32.0.1", "192.169.0.1", "11.0.0.1",
        "2001:4860::8888", "::ffff:8.8.8.8", "fec0::1"}) {
    EXPECT_TRUE(Allowed(p, ip)) << ip;
  }
  EXPECT_EQ(p.Check("10.0.0.1").message(), "address 10.0.0.1 is not allowed");
  EXPECT_EQ(p.Check("10.0.0.1").code(), absl::StatusCode::kPermissionDenied);
}

TEST(AddressPolicyTest, AllowedNetworksOpenOnlyThemselves) {
  absl::StatusOr<AddressPolicy> p =
      AddressPolicy::Parse(" 10.20.0.0/16, 127.0.0.1 ,fd00:1::/32,");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(Allowed(*p, "10.20.3.4"));
  EXPECT_TRUE(Allowed(*p, "::ffff:10.20.3.4"));  // mapped form too
  EXPECT_FALSE(Allowed(*p, "10.21.0.1"));
  EXPECT_TRUE(Allowed(*p, "127.0.0.1"));
  EXPECT_FALSE(Allowed(*p, "127.0.0.2"));
  EXPECT_FALSE(Allowed(*p, "::1"));
  EXPECT_TRUE(Allowed(*p, "fd00:1:ffff::5"));
  EXPECT_FALSE(Allowed(*p, "fd00:2::5"));
  EXPECT_TRUE(Allowed(*p, "8.8.8.8"));  // public stays allowed

  absl::StatusOr<AddressPolicy> all = AddressPolicy::Parse("0.0.0.0/0");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(Allowed(*all, "10.0.0.1"));
  EXPECT_FALSE(Allowed(*all, "::1"));  // IPv4 networks cover IPv4 only

  ASSERT_TRUE(AddressPolicy::Parse("").ok());
  for (const char* bad : {"10.0.0.0/33", "10.0.0.1/8", "example.org",
                          "10.0.0.0/", "fe80::/129", "fe80::1%eth0/128"}) {
    EXPECT_FALSE(AddressPolicy::Parse(bad).ok()) << bad;
  }
}

TEST(AddressPolicyTest, WebhookUriProblems) {
  const AddressPolicy p;
  for (const char* ok :
       {"https://sida.example.go.id/hooks", "http://example.org:8080/x?a=b",
        "http://localhost:9000/x", "https://8.8.8.8/x", "http://[2001:db8::1]/",
        "http://[2001:db8::1]:443/x"}) {
    EXPECT_EQ(WebhookUriProblem(ok, p), "") << ok;
  }
  for (const char* bad :
       {"http://:0/", "http://user:pw@10.0.0.1:6379/", "http://u@example.org/",
        "http://169.254.169.254/latest/meta-data", "http://127.0.0.1:28080/x",
        "http://127.0.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]:80/",
        "http://[fe80::1%25eth0]/", "http://example.org:0/",
        "http://example.org:99999/", "http://example.org:/",
        "http://2130706433/", "http://0x7f.1/", "http://127.1/",
        "http://[example.org]/", "http://[::1/"}) {
    EXPECT_NE(WebhookUriProblem(bad, p), "") << bad;
  }
  EXPECT_EQ(WebhookUriProblem("http://:0/", p), "must name a host");
  absl::StatusOr<AddressPolicy> local = AddressPolicy::Parse("127.0.0.0/8");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(WebhookUriProblem("http://127.0.0.1:28080/x", *local), "");
  // User information stays refused whatever is allowed.
  EXPECT_NE(WebhookUriProblem("http://a:b@127.0.0.1/", *local), "");
}

}  // namespace
}  // namespace jalin::notification
