#include "services/notification/webhook_signer.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace jalin::notification {

std::string HmacSha256Hex(absl::string_view key, absl::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
       digest, &length);
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest), static_cast<size_t>(length)));
}

std::string SignWebhook(absl::string_view secret, int64_t unix_seconds,
                        absl::string_view body) {
  return absl::StrCat(
      "v1=", HmacSha256Hex(secret, absl::StrCat(unix_seconds, ".", body)));
}

bool VerifyWebhookSignature(absl::string_view secret,
                            absl::string_view timestamp, absl::string_view body,
                            absl::string_view signature) {
  const std::string expected = absl::StrCat(
      "v1=", HmacSha256Hex(secret, absl::StrCat(timestamp, ".", body)));
  return expected.size() == signature.size() &&
         CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) == 0;
}

}  // namespace jalin::notification
