// Tokens, principals and the per-method policy, including over a real gRPC
// connection: no token, an expired token, a wrong signature and a token for
// another region each get their own code.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <fstream>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/auth/authenticator.h"
#include "common/auth/jwt.h"
#include "common/auth/policy.h"
#include "common/rpc/client.h"
#include "common/rpc/unary.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "common/testing/in_process_server.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"

namespace jalin::auth {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1'795'000'000);

JwtKeys HsKeys(const std::string& secret = std::string(40, 's')) {
  JwtKeys k;
  k.hs256_secret = secret;
  return k;
}

Principal Integrator(std::vector<std::string> regions) {
  Principal p;
  p.subject = "systems/sida-karanganyar";
  p.role = Role::kIntegrator;
  p.regions = std::move(regions);
  p.source_system = "sida-karanganyar";
  return p;
}

std::pair<std::string, std::string> RsaKeyPair() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  BIO* pub = BIO_new(BIO_s_mem());
  BIO* priv = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(pub, key);
  PEM_write_bio_PrivateKey(priv, key, nullptr, nullptr, 0, nullptr, nullptr);
  auto read = [](BIO* b) {
    char* data = nullptr;
    long n = BIO_get_mem_data(b, &data);
    return std::string(data, n);
  };
  std::pair<std::string, std::string> out = {read(pub), read(priv)};
  BIO_free(pub);
  BIO_free(priv);
  EVP_PKEY_free(key);
  return out;
}

TEST(JwtTest, Hs256RoundTripKeepsEveryClaim) {
  Principal p = Integrator({"33.13", "33.11"});
  auto token = MintToken(p, HsKeys(), kNow, absl::Hours(1));
  ASSERT_TRUE(token.ok()) << token.status();
  auto back = VerifyToken(*token, HsKeys(), kNow + absl::Minutes(5));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->subject, p.subject);
  EXPECT_EQ(back->role, Role::kIntegrator);
  EXPECT_EQ(back->regions, p.regions);
  EXPECT_EQ(back->source_system, "sida-karanganyar");
  EXPECT_EQ(back->expire_time, kNow + absl::Hours(1));
}

TEST(JwtTest, ExpiredTokenIsUnauthenticated) {
  auto token = MintToken(Integrator({"33.13"}), HsKeys(), kNow, absl::Hours(1));
  ASSERT_TRUE(token.ok());
  auto back = VerifyToken(*token, HsKeys(), kNow + absl::Hours(2));
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(back.status().message(), HasSubstr("expired"));
}

TEST(JwtTest, WrongSecretIsUnauthenticated) {
  auto token = MintToken(Integrator({"33.13"}), HsKeys(std::string(40, 'a')),
                         kNow, absl::Hours(1));
  ASSERT_TRUE(token.ok());
  auto back = VerifyToken(*token, HsKeys(std::string(40, 'b')), kNow);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(JwtTest, TamperedClaimsAreUnauthenticated) {
  auto token = MintToken(Integrator({"33.13"}), HsKeys(), kNow, absl::Hours(1));
  ASSERT_TRUE(token.ok());
  std::vector<std::string> parts = absl::StrSplit(*token, '.');
  std::string claims;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &claims));
  absl::StrReplaceAll({{"integrator", "admin"}}, &claims);
  std::string forged =
      parts[0] + "." + absl::WebSafeBase64Escape(claims) + "." + parts[2];
  auto back = VerifyToken(forged, HsKeys(), kNow);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(JwtTest, AlgNoneAndGarbageAreUnauthenticated) {
  std::string header =
      absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})");
  std::string body = absl::WebSafeBase64Escape(
      R"({"iss":"jalin","sub":"x","role":"admin","exp":9999999999})");
  EXPECT_EQ(
      VerifyToken(header + "." + body + ".", HsKeys(), kNow).status().code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyToken("not-a-token", HsKeys(), kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(JwtTest, Rs256RoundTripAndNoKeyConfusion) {
  auto [pub, priv] = RsaKeyPair();
  JwtKeys signer;
  signer.rs256_private_pem = priv;
  JwtKeys verifier;
  verifier.rs256_public_pem = pub;
  auto token = MintToken(Integrator({"33"}), signer, kNow, absl::Hours(1));
  ASSERT_TRUE(token.ok()) << token.status();
  auto back = VerifyToken(*token, verifier, kNow);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->regions, std::vector<std::string>{"33"});

  // An attacker signs HS256 with the public key as the secret: a verifier
  // that only holds the RS256 public key must not accept it.
  JwtKeys attacker;
  attacker.hs256_secret = pub;
  Principal admin;
  admin.subject = "users/mallory";
  admin.role = Role::kAdmin;
  auto forged = MintToken(admin, attacker, kNow, absl::Hours(1));
  ASSERT_TRUE(forged.ok());
  auto r = VerifyToken(*forged, verifier, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(PrincipalTest, RegionScope) {
  Principal p = Integrator({"33.13"});
  EXPECT_TRUE(p.CoversRegion("regions/33.13"));
  EXPECT_TRUE(p.CoversRegion("33.13"));
  EXPECT_TRUE(p.CoversRegion("33.13.05"));  // a kecamatan inside it
  EXPECT_FALSE(p.CoversRegion("regions/33.11"));
  EXPECT_FALSE(p.CoversRegion("regions/33.1"));
  EXPECT_FALSE(p.CoversRegion("regions/33"));  // not the whole province
  EXPECT_FALSE(p.CoversRegion("regions/33.130"));
  Principal province = Integrator({"33"});
  EXPECT_TRUE(province.CoversRegion("regions/33.13"));
  EXPECT_TRUE(province.CoversRegion("regions/33"));
  EXPECT_FALSE(province.CoversRegion("regions/34.01"));
  EXPECT_FALSE(province.CoversRegion("regions/330.01"));
  Principal admin;
  admin.role = Role::kAdmin;
  EXPECT_TRUE(admin.CoversRegion("regions/91.01"));
  EXPECT_EQ(ProvinceCode("regions/33.13"), "33");
  EXPECT_EQ(RegionCode("regions/33.13"), "33.13");
  EXPECT_EQ(RegionCode("clusters/x"), "");
}

// A fake registry whose CreateEnterprise follows the real rules: role from
// the policy table, then region scope, before anything else.
class ScopedRegistry final
    : public registry::v1::RegistryService::CallbackService {
 public:
  explicit ScopedRegistry(const Authenticator* authn) : policy_(authn) {
    policy_.Allow("CreateEnterprise", {Role::kAdmin, Role::kIntegrator});
  }
  grpc::ServerUnaryReactor* CreateEnterprise(
      grpc::CallbackServerContext* ctx,
      const registry::v1::CreateEnterpriseRequest* req,
      registry::v1::Enterprise* resp) override {
    return rpc::Unary(ctx, [&]() -> absl::Status {
      ASSIGN_OR_RETURN(Principal p,
                       policy_.Authorize(*ctx, "CreateEnterprise"));
      if (!p.CoversRegion(req->enterprise().location().region())) {
        return PermissionDenied("region outside the caller's scope");
      }
      *resp = req->enterprise();
      return absl::OkStatus();
    });
  }

 private:
  MethodPolicy policy_;
};

class PolicyOverTheWireTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<testing::InProcessServer>(&service_);
    ASSERT_TRUE(server_->ok());
    stub_ = registry::v1::RegistryService::NewStub(
        rpc::MakeChannel(server_->address()));
  }

  grpc::Status Create(const std::string& token, const std::string& region) {
    registry::v1::CreateEnterpriseRequest req;
    req.mutable_enterprise()->set_display_name("Batik Tulis");
    req.mutable_enterprise()->mutable_location()->set_region(region);
    registry::v1::Enterprise resp;
    grpc::ClientContext ctx;
    rpc::PrepareContext(&ctx, absl::Seconds(5), token);
    return stub_->CreateEnterprise(&ctx, req, &resp);
  }

  std::string Token(Principal p, absl::Time now, const JwtKeys& keys) {
    auto t = MintToken(p, keys, now, absl::Hours(1));
    EXPECT_TRUE(t.ok());
    return *t;
  }

  Authenticator authn_{HsKeys(), SystemClock::Get()};
  ScopedRegistry service_{&authn_};
  std::unique_ptr<testing::InProcessServer> server_;
  std::unique_ptr<registry::v1::RegistryService::Stub> stub_;
};

TEST_F(PolicyOverTheWireTest, OwnRegionIsAllowed) {
  EXPECT_TRUE(Create(Token(Integrator({"33.11"}), absl::Now(), HsKeys()),
                     "regions/33.11")
                  .ok());
}

TEST_F(PolicyOverTheWireTest, NoTokenIsUnauthenticated) {
  EXPECT_EQ(Create("", "regions/33.11").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(PolicyOverTheWireTest, ExpiredTokenIsUnauthenticated) {
  std::string expired =
      Token(Integrator({"33.11"}), absl::Now() - absl::Hours(2), HsKeys());
  grpc::Status s = Create(expired, "regions/33.11");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("expired"));
}

TEST_F(PolicyOverTheWireTest, WrongSignatureIsUnauthenticated) {
  std::string forged =
      Token(Integrator({"33.11"}), absl::Now(), HsKeys(std::string(40, 'x')));
  EXPECT_EQ(Create(forged, "regions/33.11").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(PolicyOverTheWireTest, OtherRegionIsPermissionDenied) {
  grpc::Status s = Create(Token(Integrator({"33.11"}), absl::Now(), HsKeys()),
                          "regions/33.13");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  auto info = GetErrorInfo(FromGrpcStatus(s));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "PERMISSION_DENIED");
}

TEST_F(PolicyOverTheWireTest, RoleNotInTableIsPermissionDenied) {
  Principal viewer;
  viewer.subject = "users/v";
  viewer.role = Role::kViewer;
  viewer.regions = {"33"};
  grpc::Status s =
      Create(Token(viewer, absl::Now(), HsKeys()), "regions/33.11");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(GetErrorInfo(FromGrpcStatus(s))->reason(), "ROLE_NOT_ALLOWED");
}

TEST(MethodPolicyTest, ReportsMethodsMissingFromTheTable) {
  Authenticator authn(HsKeys(), SystemClock::Get());
  MethodPolicy policy(&authn);
  policy.AllowAuthenticated("GetRegion");
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          registry::v1::RegistryService::service_full_name());
  ASSERT_NE(service, nullptr);
  auto missing = policy.MissingMethods(*service);
  EXPECT_THAT(missing, ::testing::Contains("CreateEnterprise"));
  EXPECT_THAT(missing, ::testing::Not(::testing::Contains("GetRegion")));
}

TEST(LoadJwtKeysTest, ShortSecretIsRefusedWithTheFileName) {
  testing::TempDir dir;
  const std::string path = dir.File("secret");
  std::ofstream(path) << "short\n";
  auto keys = LoadJwtKeys(path, "", "");
  ASSERT_FALSE(keys.ok());
  EXPECT_THAT(keys.status().message(), HasSubstr(path));
  EXPECT_FALSE(LoadJwtKeys("/nonexistent/secret", "", "").ok());
}

}  // namespace
}  // namespace jalin::auth
