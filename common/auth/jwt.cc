#include "common/auth/jwt.h"

#include <jwt.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace jalin::auth {
namespace {

constexpr char kIssuer[] = "jalin";
constexpr size_t kMinSecretBytes = 32;

struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

absl::StatusOr<std::string> ReadFile(absl::string_view path) {
  std::ifstream in{std::string(path), std::ios::binary};
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("invalid token: ", why));
}

// The "alg" of a token's header, read before verification to pick the key.
absl::StatusOr<std::string> HeaderAlg(absl::string_view token) {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return Unauthenticated("not a JWT");
  std::string header;
  if (!absl::WebSafeBase64Unescape(parts[0], &header)) {
    return Unauthenticated("header is not base64url");
  }
  nlohmann::json json = nlohmann::json::parse(header, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("alg") ||
      !json["alg"].is_string()) {
    return Unauthenticated("header has no alg");
  }
  return json["alg"].get<std::string>();
}

}  // namespace

absl::StatusOr<JwtKeys> LoadJwtKeys(absl::string_view hs256_secret_file,
                                    absl::string_view rs256_public_key_file,
                                    absl::string_view rs256_private_key_file) {
  JwtKeys keys;
  if (!hs256_secret_file.empty()) {
    auto secret = ReadFile(hs256_secret_file);
    if (!secret.ok()) return secret.status();
    // A trailing newline from `echo` is not part of the secret.
    while (!secret->empty() &&
           (secret->back() == '\n' || secret->back() == '\r')) {
      secret->pop_back();
    }
    if (secret->size() < kMinSecretBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "HS256 secret in ", hs256_secret_file, " has ", secret->size(),
          " bytes; at least ", kMinSecretBytes, " are needed"));
    }
    keys.hs256_secret = *std::move(secret);
  }
  if (!rs256_public_key_file.empty()) {
    auto pem = ReadFile(rs256_public_key_file);
    if (!pem.ok()) return pem.status();
    keys.rs256_public_pem = *std::move(pem);
  }
  if (!rs256_private_key_file.empty()) {
    auto pem = ReadFile(rs256_private_key_file);
    if (!pem.ok()) return pem.status();
    keys.rs256_private_pem = *std::move(pem);
  }
  return keys;
}

absl::StatusOr<std::string> MintToken(const Principal& principal,
                                      const JwtKeys& keys, absl::Time now,
                                      absl::Duration ttl) {
  nlohmann::json claims = {
      {"iss", kIssuer},
      {"sub", principal.subject},
      {"role", std::string(RoleName(principal.role))},
      {"regions", principal.regions},
      {"iat", absl::ToUnixSeconds(now)},
      {"exp", absl::ToUnixSeconds(now + ttl)},
  };
  if (!principal.organization.empty()) claims["org"] = principal.organization;
  if (!principal.source_system.empty()) claims["src"] = principal.source_system;

  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt_new failed");
  JwtPtr jwt(raw);
  if (jwt_add_grants_json(jwt.get(), claims.dump().c_str()) != 0) {
    return absl::InternalError("cannot add JWT claims");
  }
  int rc;
  if (!keys.rs256_private_pem.empty()) {
    rc = jwt_set_alg(
        jwt.get(), JWT_ALG_RS256,
        reinterpret_cast<const unsigned char*>(keys.rs256_private_pem.data()),
        static_cast<int>(keys.rs256_private_pem.size()));
  } else if (!keys.hs256_secret.empty()) {
    rc = jwt_set_alg(
        jwt.get(), JWT_ALG_HS256,
        reinterpret_cast<const unsigned char*>(keys.hs256_secret.data()),
        static_cast<int>(keys.hs256_secret.size()));
  } else {
    return absl::FailedPreconditionError("no key to sign tokens with");
  }
  if (rc != 0) return absl::InternalError("cannot set JWT algorithm/key");
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) return absl::InternalError("cannot encode JWT");
  std::string token(encoded);
  std::free(encoded);
  return token;
}

absl::StatusOr<Principal> VerifyToken(absl::string_view token,
                                      const JwtKeys& keys, absl::Time now) {
  auto alg = HeaderAlg(token);
  if (!alg.ok()) return alg.status();
  const std::string* key = nullptr;
  jwt_alg_t expected;
  if (*alg == "HS256" && !keys.hs256_secret.empty()) {
    key = &keys.hs256_secret;
    expected = JWT_ALG_HS256;
  } else if (*alg == "RS256" && !keys.rs256_public_pem.empty()) {
    key = &keys.rs256_public_pem;
    expected = JWT_ALG_RS256;
  } else {
    return Unauthenticated(absl::StrCat("algorithm ", *alg, " not accepted"));
  }
  jwt_t* raw = nullptr;
  std::string token_str(token);
  int rc = jwt_decode(&raw, token_str.c_str(),
                      reinterpret_cast<const unsigned char*>(key->data()),
                      static_cast<int>(key->size()));
  JwtPtr jwt(raw);
  if (rc != 0 || jwt == nullptr) return Unauthenticated("bad signature");
  if (jwt_get_alg(jwt.get()) != expected) {
    return Unauthenticated("algorithm mismatch");
  }
  char* grants = jwt_get_grants_json(jwt.get(), nullptr);
  if (grants == nullptr) return Unauthenticated("no claims");
  nlohmann::json claims = nlohmann::json::parse(grants, nullptr, false);
  std::free(grants);
  if (!claims.is_object()) return Unauthenticated("claims are not an object");

  auto str = [&claims](const char* name) -> std::string {
    auto it = claims.find(name);
    return (it != claims.end() && it->is_string()) ? it->get<std::string>()
                                                   : std::string();
  };
  if (str("iss") != kIssuer) return Unauthenticated("wrong issuer");
  auto exp = claims.find("exp");
  if (exp == claims.end() || !exp->is_number_integer()) {
    return Unauthenticated("no expiry");
  }
  if (absl::FromUnixSeconds(exp->get<int64_t>()) <= now) {
    return Unauthenticated("expired");
  }
  Principal p;
  p.expire_time = absl::FromUnixSeconds(exp->get<int64_t>());
  p.subject = str("sub");
  if (p.subject.empty()) return Unauthenticated("no subject");
  std::optional<Role> role = ParseRole(str("role"));
  if (!role) return Unauthenticated("unknown role");
  p.role = *role;
  p.organization = str("org");
  p.source_system = str("src");
  if (auto it = claims.find("regions"); it != claims.end()) {
    if (!it->is_array()) return Unauthenticated("regions is not a list");
    for (const auto& r : *it) {
      if (!r.is_string()) return Unauthenticated("region is not a string");
      p.regions.push_back(r.get<std::string>());
    }
  }
  return p;
}

}  // namespace jalin::auth
