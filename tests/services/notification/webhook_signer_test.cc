// HMAC-SHA256 signatures as a receiver checks them.

#include "services/notification/webhook_signer.h"

#include "gtest/gtest.h"

namespace jalin::notification {
namespace {

TEST(WebhookSignerTest, HmacMatchesRfc4231TestCase2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookSignerTest, SignatureCoversTimestampAndBody) {
  const std::string secret = "0123456789abcdef-secret";
  const std::string body = R"({"event":{"id":"e1"}})";
  const std::string sig = SignWebhook(secret, 1767225600, body);
  EXPECT_EQ(sig.rfind("v1=", 0), 0u);
  EXPECT_EQ(sig, "v1=" + HmacSha256Hex(secret, "1767225600." + body));
  EXPECT_TRUE(VerifyWebhookSignature(secret, "1767225600", body, sig));
  // Any change is caught.
  EXPECT_FALSE(VerifyWebhookSignature(secret, "1767225601", body, sig));
  EXPECT_FALSE(VerifyWebhookSignature(secret, "1767225600", body + " ", sig));
  EXPECT_FALSE(
      VerifyWebhookSignature("another-secret-123", "1767225600", body, sig));
  EXPECT_FALSE(VerifyWebhookSignature(secret, "1767225600", body, "v1=00"));
}

}  // namespace
}  // namespace jalin::notification
