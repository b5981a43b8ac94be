// Pagination tokens, field masks and resource names.

#include "common/api/field_mask.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/strings/abbreviate.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/registry/v1/cluster.pb.h"

namespace jalin::api {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::vector<std::pair<std::string, std::string>> Violations(
    const FieldViolations& v) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& fv : v.violations())
    out.emplace_back(fv.field(), fv.description());
  return out;
}

TEST(PageSizeTest, DefaultsClampsAndRefusesNegative) {
  FieldViolations v;
  EXPECT_EQ(PageSize(0, v), kDefaultPageSize);
  EXPECT_EQ(PageSize(10, v), 10);
  EXPECT_EQ(PageSize(5000, v), kMaxPageSize);
  EXPECT_TRUE(v.empty());
  PageSize(-1, v);
  EXPECT_THAT(Violations(v),
              ElementsAre(Pair("page_size", "must not be negative")));
}

TEST(PageTokenTest, RoundTripsAndIsBoundToItsQuery) {
  std::string token = EncodePageToken("region=33.13", "clusters/abc");
  auto key = DecodePageToken(token, "region=33.13");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, "clusters/abc");
  EXPECT_EQ(*DecodePageToken("", "region=33.13"), "");
  auto other = DecodePageToken(token, "region=33.11");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(other.status().message(), HasSubstr("other filters"));
  auto junk = DecodePageToken("!!!", "region=33.13");
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(GetBadRequest(junk.status())->field_violations(0).field(),
            "page_token");
}

registry::v1::Cluster Stored() {
  registry::v1::Cluster c;
  c.set_name("clusters/jamu");
  c.set_display_name("Klaster Jamu");
  c.set_member_count(40);
  c.set_description("lama");
  c.add_roles(registry::v1::PRODUCER);
  c.mutable_meta()->set_etag("e1");
  return c;
}

TEST(FieldMaskTest, NamedPathsAreCopiedAndUnsetOnesCleared) {
  registry::v1::Cluster target = Stored();
  registry::v1::Cluster patch;
  patch.set_display_name("Klaster Jamu Gendong");
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  mask.add_paths("description");  // unset in the patch: cleared
  mask.add_paths("roles");
  FieldViolations v;
  ApplyFieldMask(patch, mask, {"name", "meta"}, &target, v);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(target.display_name(), "Klaster Jamu Gendong");
  EXPECT_EQ(target.description(), "");
  EXPECT_EQ(target.roles_size(), 0);
  EXPECT_EQ(target.member_count(), 40);  // not named: kept
}

TEST(FieldMaskTest, EmptyMaskUpdatesWhatIsSetAndKeepsImmutable) {
  registry::v1::Cluster target = Stored();
  registry::v1::Cluster patch;
  patch.set_member_count(55);
  patch.set_name("clusters/other");  // immutable: ignored
  FieldViolations v;
  ApplyFieldMask(patch, {}, {"name", "meta"}, &target, v);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(target.member_count(), 55);
  EXPECT_EQ(target.name(), "clusters/jamu");
  EXPECT_EQ(target.display_name(), "Klaster Jamu");
}

TEST(FieldMaskTest, StarReplacesEverythingButImmutable) {
  registry::v1::Cluster target = Stored();
  registry::v1::Cluster patch;
  patch.set_display_name("Baru");
  google::protobuf::FieldMask mask;
  mask.add_paths("*");
  FieldViolations v;
  ApplyFieldMask(patch, mask, {"name", "meta"}, &target, v);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(target.display_name(), "Baru");
  EXPECT_EQ(target.member_count(), 0);
  EXPECT_EQ(target.meta().etag(), "e1");
}

TEST(FieldMaskTest, UnknownAndImmutablePathsAreViolationsAndNothingApplies) {
  registry::v1::Cluster target = Stored();
  registry::v1::Cluster patch;
  patch.set_display_name("X");
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  mask.add_paths("colour");
  mask.add_paths("meta.etag");
  mask.add_paths("leader.phone");  // nested path: fine
  FieldViolations v;
  ApplyFieldMask(patch, mask, {"name", "meta"}, &target, v);
  EXPECT_THAT(
      Violations(v),
      ElementsAre(
          Pair("update_mask.paths[1]", "'colour' is not a field"),
          Pair("update_mask.paths[2]", "'meta.etag' cannot be changed")));
  EXPECT_EQ(target.display_name(), "Klaster Jamu");
}

TEST(ResourceNameTest, ParsesAndRefusesWithTheField) {
  EXPECT_EQ(*ParseName("clusters/jamu-1", "clusters", "name"), "jamu-1");
  auto bad = ParseName("listings/x", "clusters", "cluster.name");
  ASSERT_FALSE(bad.ok());
  auto bad_request = GetBadRequest(bad.status());
  ASSERT_TRUE(bad_request.has_value());
  EXPECT_EQ(bad_request->field_violations(0).field(), "cluster.name");
  EXPECT_THAT(bad_request->field_violations(0).description(),
              HasSubstr("clusters/{id}"));
  EXPECT_FALSE(ParseName("clusters/UPPER", "clusters", "n").ok());
  EXPECT_FALSE(ParseName("clusters/", "clusters", "n").ok());
  EXPECT_FALSE(ParseName("clusters/a/b", "clusters", "n").ok());
  auto ids = ParseNestedName("campaigns/c1/submissions/s9",
                             {"campaigns", "submissions"}, "name");
  ASSERT_TRUE(ids.ok());
  EXPECT_THAT(*ids, ElementsAre("c1", "s9"));
  EXPECT_EQ(CollectionOf("enterprises/x"), "enterprises");
}

TEST(ResourceNameTest, IdRules) {
  EXPECT_TRUE(IsValidId("01j8k2m3n4p5q6r7s8t9v0w1x2"));
  EXPECT_TRUE(IsValidId("batik-tulis"));
  EXPECT_FALSE(IsValidId("-batik"));
  EXPECT_FALSE(IsValidId("batik-"));
  EXPECT_FALSE(IsValidId("batik tulis"));
  EXPECT_FALSE(IsValidId(std::string(64, 'a')));
}

TEST(ResourceNameTest, LongValuesAreAbbreviatedInMessages) {
  EXPECT_EQ(Abbreviate("regions/33.98"), "regions/33.98");
  EXPECT_EQ(Abbreviate(std::string(64, 'a')), std::string(64, 'a'));
  EXPECT_EQ(Abbreviate(std::string(65, 'a')), std::string(64, 'a') + "...");
  // Cut between code points, never inside one.
  EXPECT_EQ(Abbreviate("\xC3\xA9\xC3\xA9\xC3\xA9", 2), "\xC3\xA9\xC3\xA9...");

  const std::string name = "clusters/" + std::string(10000, 'x');
  auto bad = ParseName(name, "clusters", "name");
  ASSERT_FALSE(bad.ok());
  EXPECT_LT(bad.status().message().size(), 200u);
  auto bad_request = GetBadRequest(bad.status());
  ASSERT_TRUE(bad_request.has_value());
  EXPECT_EQ(bad_request->field_violations(0).field(), "name");
  EXPECT_LT(bad_request->field_violations(0).description().size(), 200u);

  jalin::registry::v1::Cluster stored, patch;
  google::protobuf::FieldMask mask;
  mask.add_paths(std::string(10000, 'p'));
  FieldViolations v;
  ApplyFieldMask(patch, mask, {}, &stored, v);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_LT(v.violations()[0].description().size(), 200u);
}

// The one cutting helper behind Abbreviate and the bounds in common/status:
// by code points, by bytes, or both, never inside a multi-byte character.
TEST(ResourceNameTest, AbbreviationNeverSplitsACharacter) {
  const std::string e = "\xC3\xA9";              // 2 bytes
  const std::string euro = "\xE2\x82\xAC";       // 3 bytes
  const std::string smile = "\xF0\x9F\x98\x80";  // 4 bytes
  EXPECT_EQ(Abbreviate(smile + smile + smile, 2), smile + smile + "...");
  EXPECT_EQ(Abbreviate(smile + smile, 2), smile + smile);

  using strings::AbbreviateUtf8;
  using strings::BoundUtf8Bytes;
  using strings::kNoLimit;
  const std::string mixed = "a" + e + euro + smile + "z";  // 1+2+3+4+1 bytes
  // Every byte bound keeps the longest whole-character prefix.
  const std::vector<std::string> prefixes = {"",
                                             "a",
                                             "a",
                                             "a" + e,
                                             "a" + e,
                                             "a" + e,
                                             "a" + e + euro,
                                             "a" + e + euro,
                                             "a" + e + euro,
                                             "a" + e + euro,
                                             "a" + e + euro + smile};
  for (size_t bytes = 0; bytes < prefixes.size(); ++bytes) {
    EXPECT_EQ(AbbreviateUtf8(mixed, kNoLimit, bytes, "~"),
              prefixes[bytes] + "~")
        << bytes;
  }
  EXPECT_EQ(AbbreviateUtf8(mixed, kNoLimit, mixed.size(), "~"), mixed);
  // Both limits: the tighter one wins.
  EXPECT_EQ(AbbreviateUtf8(mixed, 2, kNoLimit, "~"), "a" + e + "~");
  EXPECT_EQ(AbbreviateUtf8(mixed, 4, 5, "~"), "a" + e + "~");
  // A bound on the result, marker included.
  EXPECT_EQ(BoundUtf8Bytes(mixed, mixed.size()), mixed);
  EXPECT_EQ(BoundUtf8Bytes(mixed, 8), "a" + e + "...");
  EXPECT_EQ(BoundUtf8Bytes(mixed, 9), "a" + e + euro + "...");
  const std::string huge(100'000, 'x');
  EXPECT_EQ(BoundUtf8Bytes(huge, 256).size(), 256u);
}

}  // namespace
}  // namespace jalin::api
