// The registry's method table: complete, and refusing the roles it should.

#include "services/registry/policy.h"

#include "common/auth/authenticator.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/registry/v1/registry_service.pb.h"
#include "services/registry/access.h"

namespace jalin::registry {
namespace {

TEST(RegistryPolicyTest, EveryMethodHasAnEntry) {
  auth::JwtKeys keys;
  keys.hs256_secret = std::string(32, 's');
  auth::Authenticator authn(keys, SystemClock::Get());
  auth::MethodPolicy policy = RegistryPolicy(&authn);
  const google::protobuf::ServiceDescriptor* service =
      v1::GetRegionRequest::descriptor()->file()->FindServiceByName(
          "RegistryService");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->method_count(), 36);
  EXPECT_THAT(policy.MissingMethods(*service), ::testing::IsEmpty());
}

auth::Principal Who(auth::Role role, std::vector<std::string> regions = {},
                    std::string org = "") {
  auth::Principal p;
  p.role = role;
  p.regions = std::move(regions);
  p.organization = std::move(org);
  return p;
}

TEST(RegistryAccessTest, ScopesWritesByRegionAndOrganisation) {
  using auth::Role;
  const auto facilitator = Who(Role::kFacilitator, {"33.11"});
  EXPECT_TRUE(CheckWrite(facilitator, Action::kCreate, "enterprises",
                         "regions/33.11", "")
                  .ok());
  EXPECT_EQ(CheckWrite(facilitator, Action::kCreate, "enterprises",
                       "regions/33.13", "")
                .code(),
            absl::StatusCode::kPermissionDenied);
  const auto province = Who(Role::kIntegrator, {"33"});
  EXPECT_TRUE(
      CheckWrite(province, Action::kUpdate, "clusters", "regions/33.13", "")
          .ok());
  EXPECT_FALSE(
      CheckWrite(province, Action::kUpdate, "clusters", "regions/34.71", "")
          .ok());
  const auto member = Who(Role::kMember, {}, "enterprises/e1");
  EXPECT_TRUE(CheckWrite(member, Action::kUpdate, "enterprises",
                         "regions/33.13", "enterprises/e1")
                  .ok());
  EXPECT_FALSE(CheckWrite(member, Action::kDelete, "enterprises",
                          "regions/33.13", "enterprises/e1")
                   .ok());
  EXPECT_FALSE(CheckWrite(member, Action::kUpdate, "enterprises",
                          "regions/33.13", "enterprises/e2")
                   .ok());
  EXPECT_TRUE(CheckWrite(member, Action::kCreate, "listings", "regions/33.13",
                         "enterprises/e1")
                  .ok());
  EXPECT_FALSE(CheckWrite(Who(Role::kViewer), Action::kCreate, "listings",
                          "regions/33.13", "")
                   .ok());
}

TEST(RegistryAccessTest, ContactsOnlyForRolesThatNeedThem) {
  using auth::Role;
  EXPECT_TRUE(MaySeeContacts(Who(Role::kService), "regions/33.13", "x"));
  EXPECT_TRUE(MaySeeContacts(Who(Role::kAdmin), "regions/33.13", "x"));
  EXPECT_TRUE(
      MaySeeContacts(Who(Role::kFacilitator, {"33"}), "regions/33.13", "x"));
  EXPECT_FALSE(
      MaySeeContacts(Who(Role::kFacilitator, {"34"}), "regions/33.13", "x"));
  EXPECT_TRUE(MaySeeContacts(Who(Role::kMember, {}, "enterprises/e1"),
                             "regions/33.13", "enterprises/e1"));
  EXPECT_FALSE(MaySeeContacts(Who(Role::kMember, {}, "enterprises/e2"),
                              "regions/33.13", "enterprises/e1"));
  EXPECT_FALSE(MaySeeContacts(Who(Role::kViewer), "regions/33.13", "x"));
  EXPECT_FALSE(MaySeeContacts(Who(Role::kCurator), "regions/33.13", "x"));
}

TEST(RegistryAccessTest, AgreementsNeedARegionParty) {
  v1::Agreement a;
  a.add_parties("regions/33.13");
  a.add_parties("partners/p1");
  EXPECT_TRUE(CheckWriteRecord(Who(auth::Role::kFacilitator, {"33.13"}),
                               Action::kCreate, a)
                  .ok());
  EXPECT_FALSE(CheckWriteRecord(Who(auth::Role::kFacilitator, {"33.11"}),
                                Action::kCreate, a)
                   .ok());
  EXPECT_FALSE(CheckWriteRecord(Who(auth::Role::kIntegrator, {"33.13"}),
                                Action::kCreate, a)
                   .ok());
}

}  // namespace
}  // namespace jalin::registry
