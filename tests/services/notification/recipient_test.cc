// Recipient names in resource names, who a principal reads as, and who may
// open an inbox.

#include "services/notification/recipient.h"

#include "common/status/errors.h"
#include "gtest/gtest.h"

namespace jalin::notification {
namespace {

auth::Principal Member(const std::string& org) {
  auth::Principal p;
  p.subject = "users/ani";
  p.role = auth::Role::kMember;
  p.organization = org;
  return p;
}

TEST(RecipientTest, ParentRoundTripsThroughTilde) {
  EXPECT_EQ(RecipientParent("enterprises/01j9x"),
            "recipients/enterprises~01j9x");
  auto r = ParseRecipientParent("recipients/users~facilitator-33.13", "parent");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, "users/facilitator-33.13");
  EXPECT_EQ(NotificationName("clusters/k1", "n1"),
            "recipients/clusters~k1/notifications/n1");
}

TEST(RecipientTest, MalformedParentsNameTheField) {
  for (const char* bad :
       {"", "recipients/", "recipients/enterprises", "enterprises/x",
        "recipients/~x", "recipients/Enterprises~x", "recipients/a~b~c",
        "recipients/users~ani/extra"}) {
    auto r = ParseRecipientParent(bad, "parent");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    auto details = GetBadRequest(r.status());
    ASSERT_TRUE(details.has_value()) << bad;
    EXPECT_EQ(details->field_violations(0).field(), "parent") << bad;
  }
}

TEST(RecipientTest, NotificationNames) {
  auto ref = ParseNotificationName(
      "recipients/enterprises~e1/notifications/01j9abc", "name", false);
  ASSERT_TRUE(ref.ok()) << ref.status();
  EXPECT_EQ(ref->recipient, "enterprises/e1");
  EXPECT_EQ(ref->id, "01j9abc");
  EXPECT_FALSE(ParseNotificationName(
                   "recipients/enterprises~e1/notifications/-", "name", false)
                   .ok());
  auto all = ParseNotificationName("recipients/enterprises~e1/notifications/-",
                                   "name", true);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->id, "-");
  EXPECT_FALSE(
      ParseNotificationName("recipients/enterprises~e1/other/x", "name", false)
          .ok());
}

TEST(RecipientTest, MembersReadAsTheirOrganisationOthersAsThemselves) {
  EXPECT_EQ(RecipientOf(Member("enterprises/e1")), "enterprises/e1");
  auth::Principal f;
  f.subject = "users/budi";
  f.role = auth::Role::kFacilitator;
  EXPECT_EQ(RecipientOf(f), "users/budi");
  auth::Principal s;
  s.subject = "systems/sida-karanganyar";
  s.role = auth::Role::kIntegrator;
  EXPECT_EQ(RecipientOf(s), "systems/sida-karanganyar");
}

TEST(RecipientTest, OnlyTheRecipientOrAnAdminOpensAnInbox) {
  EXPECT_TRUE(CheckInboxAccess(Member("enterprises/a"), "enterprises/a").ok());
  absl::Status other =
      CheckInboxAccess(Member("enterprises/a"), "enterprises/b");
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
  // A member of B's cluster is still not B.
  EXPECT_EQ(CheckInboxAccess(Member("clusters/k"), "enterprises/b").code(),
            absl::StatusCode::kPermissionDenied);
  auth::Principal admin;
  admin.subject = "users/root";
  admin.role = auth::Role::kAdmin;
  EXPECT_TRUE(CheckInboxAccess(admin, "enterprises/b").ok());
  // Services act for users through the gateway with the user's token; a
  // service token alone does not open inboxes.
  auth::Principal service;
  service.subject = "services/gateway";
  service.role = auth::Role::kService;
  EXPECT_EQ(CheckInboxAccess(service, "enterprises/b").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(RecipientTest, Organisations) {
  EXPECT_TRUE(IsOrganization("enterprises/e1"));
  EXPECT_TRUE(IsOrganization("clusters/k1"));
  EXPECT_TRUE(IsOrganization("partners/p1"));
  EXPECT_FALSE(IsOrganization("users/ani"));
  EXPECT_FALSE(IsOrganization("regions/33.13"));
  EXPECT_FALSE(IsOrganization("enterprises/"));
}

}  // namespace
}  // namespace jalin::notification
