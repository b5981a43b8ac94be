#include "common/validation/validators.h"

#include "common/geo/geo.h"
#include "gtest/gtest.h"

namespace jalin::validation {
namespace {

TEST(ValidatorsTest, Nib) {
  EXPECT_TRUE(IsNib("9120001234567"));
  EXPECT_FALSE(IsNib("912000123456"));
  EXPECT_FALSE(IsNib("91200012345678"));
  EXPECT_FALSE(IsNib("91200O1234567"));
}

TEST(ValidatorsTest, Phone) {
  EXPECT_EQ(NormalizePhone("0812-3456-7890"), "+6281234567890");
  EXPECT_EQ(NormalizePhone("+62 271 495 123"), "+62271495123");
  EXPECT_EQ(NormalizePhone("(0271) 495123"), "+62271495123");
  EXPECT_TRUE(IsPhone("6281234567890"));
  EXPECT_FALSE(IsPhone("12345"));
  EXPECT_FALSE(IsPhone("+1 415 555 0100"));
  EXPECT_FALSE(IsPhone("0812abc"));
  EXPECT_FALSE(IsPhone("00812345678"));
}

TEST(ValidatorsTest, Email) {
  EXPECT_TRUE(IsEmail("klaster.jamu@karanganyarkab.go.id"));
  EXPECT_FALSE(IsEmail("no-at-sign.go.id"));
  EXPECT_FALSE(IsEmail("a@b"));
  EXPECT_FALSE(IsEmail("a b@c.id"));
  EXPECT_FALSE(IsEmail("a@@c.id"));
  EXPECT_FALSE(IsEmail("a@c..id"));
}

TEST(ValidatorsTest, HttpUri) {
  EXPECT_TRUE(IsHttpUri("https://sida.jatengprov.go.id/hooks/jalin"));
  EXPECT_TRUE(IsHttpUri("http://127.0.0.1:9000/x"));
  EXPECT_FALSE(IsHttpUri("http://127.0.0.1:9000/x", /*require_https=*/true));
  EXPECT_FALSE(IsHttpUri("ftp://x"));
  EXPECT_FALSE(IsHttpUri("https:///path"));
  EXPECT_FALSE(IsHttpUri("https://a b"));
}

TEST(ValidatorsTest, TextLengthCountsCharactersNotBytes) {
  FieldViolations v;
  EXPECT_TRUE(CheckText(v, "title", "Gula semut é", 12, true));
  EXPECT_FALSE(CheckText(v, "title", "Gula semut é!", 12, true));
  EXPECT_FALSE(CheckText(v, "name", "   ", 10, true));
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v.violations()[0].description(), "must be at most 12 characters");
  EXPECT_EQ(v.violations()[1].description(), "is required");
}

TEST(GeoTest, HaversineMatchesKnownDistances) {
  // Surakarta to Karanganyar town: about 14 km.
  double d = geo::HaversineKm(-7.5666, 110.8166, -7.5961, 110.9508);
  EXPECT_NEAR(d, 15.1, 1.0);
  // Jakarta to Surabaya: about 660 km as the crow flies.
  EXPECT_NEAR(geo::HaversineKm(-6.2, 106.8167, -7.2575, 112.7521), 664, 10);
  EXPECT_DOUBLE_EQ(geo::HaversineKm(1, 2, 1, 2), 0);
}

}  // namespace
}  // namespace jalin::validation
