// How jalinctl prints: tables, proto values, progress, request flags.

#include <sstream>

#include "common/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/registry/v1/registry_service.pb.h"
#include "tools/jalinctl/progress.h"
#include "tools/jalinctl/proto_format.h"
#include "tools/jalinctl/request_flags.h"
#include "tools/jalinctl/resources.h"
#include "tools/jalinctl/table.h"

namespace jalin::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(TableTest, AlignsByCharactersAndCutsLongCells) {
  Table t({"nama", "kab"});
  t.AddRow({"Klaster Gerabah Kasongan", "33.13"});
  t.AddRow({"Ékspor “Jaya”", "33.11", "dropped"});
  t.AddRow({"baris\nkedua"});
  std::ostringstream out;
  t.Print(out, /*max_width=*/16);
  EXPECT_EQ(out.str(),
            "nama              kab\n"
            "----------------  -----\n"
            "Klaster Gerabah…  33.13\n"
            "Ékspor “Jaya”     33.11\n"
            "baris kedua\n");
  EXPECT_EQ(Truncate("Sukoharjo", 4), "Suk…");
  EXPECT_EQ(Truncate("Sukoharjo", 0), "Sukoharjo");
}

TEST(ProgressTest, PlainLinesWithRateAndEta) {
  FakeClock clock(absl::FromUnixSeconds(100));
  std::ostringstream out;
  Progress p(&out, &clock, ProgressStyle::kPlain, "enterprises.csv", 1000,
             absl::Seconds(5));
  p.Update(0, 0);  // the first report comes at once
  clock.Advance(absl::Seconds(2));
  p.Update(200, 400);  // too soon for another line
  clock.Advance(absl::Seconds(3));
  p.Update(250, 500);
  clock.Advance(absl::Seconds(5));
  p.Finish(1000, 2000);
  EXPECT_EQ(out.str(),
            "enterprises.csv:   0% 0 rows\n"
            "enterprises.csv:  25% 500 rows, 100 rows/s, ETA 0:15\n"
            "enterprises.csv: 100% 2,000 rows, 200 rows/s\n");
}

TEST(ProgressTest, BarRedrawsInPlace) {
  FakeClock clock(absl::FromUnixSeconds(100));
  std::ostringstream out;
  Progress p(&out, &clock, ProgressStyle::kBar, "c.csv", 100);
  clock.Advance(absl::Seconds(1));
  p.Update(50, 10);
  p.Update(60, 12);  // within 100 ms: not drawn
  clock.Advance(absl::Seconds(1));
  p.Finish(100, 20);
  EXPECT_EQ(out.str(),
            "\rc.csv [############............]  50% 10 rows, 10 rows/s, ETA "
            "0:01"
            "\rc.csv [########################] 100% 20 rows, 10 rows/s" +
                std::string(10, ' ') + "\n");
  ProgressStyle style;
  EXPECT_TRUE(ParseProgressStyle("auto", true, &style));
  EXPECT_EQ(style, ProgressStyle::kBar);
  EXPECT_TRUE(ParseProgressStyle("auto", false, &style));
  EXPECT_EQ(style, ProgressStyle::kPlain);
  EXPECT_FALSE(ParseProgressStyle("fancy", false, &style));
  EXPECT_EQ(WithThousands(-1234567), "-1,234,567");
  EXPECT_EQ(FormatEta(absl::Seconds(3725)), "1:02:05");
}

TEST(ProtoFormatTest, FieldsReadNaturally) {
  registry::v1::Listing l;
  l.set_name("listings/1");
  l.set_kind(registry::v1::Listing::NEED);
  l.mutable_quantity()->set_amount(2.5);
  l.mutable_quantity()->set_unit(type::v1::TON);
  l.mutable_quantity()->set_period(type::v1::MONTH);
  l.mutable_price()->mutable_min()->set_amount(12000);
  l.mutable_price()->mutable_max()->set_amount(15000);
  l.mutable_price()->set_per_unit(type::v1::KILOGRAM);
  l.add_required_certifications(type::v1::HALAL);
  l.add_required_certifications(type::v1::PIRT);
  l.mutable_valid_until()->set_seconds(1798736399);
  l.mutable_owner_profile()->add_clusters("clusters/a");
  l.mutable_owner_profile()->add_clusters("clusters/b");
  EXPECT_EQ(FieldText(l, "quantity"), "2.5 TON/MONTH");
  EXPECT_EQ(FieldText(l, "price"), "Rp 12.000–15.000/KILOGRAM");
  EXPECT_EQ(FieldText(l, "required_certifications"), "HALAL, PIRT");
  EXPECT_EQ(FieldText(l, "valid_until"), "2026-12-31");
  EXPECT_EQ(FieldText(l, "owner_profile.clusters"), "clusters/a, clusters/b");
  EXPECT_EQ(FieldText(l, "title"), "");
  EXPECT_EQ(FieldText(l, "no.such.path"), "");
  EXPECT_THAT(
      FlattenFields(l),
      ElementsAre(Pair("name", "listings/1"), Pair("kind", "NEED"),
                  Pair("quantity", "2.5 TON/MONTH"),
                  Pair("price", "Rp 12.000–15.000/KILOGRAM"),
                  Pair("required_certifications", "HALAL, PIRT"),
                  Pair("valid_until", "2026-12-31"),
                  Pair("owner_profile.clusters", "clusters/a, clusters/b")));
  EXPECT_THAT(ToJson(l, false), HasSubstr("\"kind\":\"NEED\""));

  registry::v1::Enterprise e;
  e.add_certifications()->set_kind(type::v1::HALAL);
  e.add_certifications()->set_kind(type::v1::BPOM);
  EXPECT_EQ(FieldText(e, "certifications.kind"), "HALAL, BPOM");
  EXPECT_THAT(FlattenFields(e),
              ElementsAre(Pair("certifications[0].kind", "HALAL"),
                          Pair("certifications[1].kind", "BPOM")));
}

TEST(RequestFlagsTest, SetsRequestFieldsFromFlags) {
  registry::v1::ListEnterprisesRequest request;
  RequestFlags flags(request.GetDescriptor(), {"page_size", "page_token"});
  Config config("test", "test");
  flags.AddFlags(config);
  std::string out;
  auto parsed = config.Parse(
      {"--region=33.13", "--category=jamu", "--scale=kecil", "--certification",
       "halal"},
      [](absl::string_view) { return std::optional<std::string>(); }, &out);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(flags.Apply(&request).ok());
  EXPECT_EQ(request.region(), "regions/33.13");
  EXPECT_EQ(request.category(), "categories/jamu");
  EXPECT_EQ(request.scale(), registry::v1::KECIL);
  EXPECT_EQ(request.certification(), type::v1::HALAL);
  EXPECT_EQ(request.page_size(), 0);

  registry::v1::ListListingsRequest listings;
  RequestFlags lflags(listings.GetDescriptor(), {});
  Config lconfig("test", "test");
  lflags.AddFlags(lconfig);
  ASSERT_TRUE(
      lconfig
          .Parse(
              {"--verified_only=maybe"},
              [](absl::string_view) { return std::optional<std::string>(); },
              &out)
          .ok());
  absl::Status s = lflags.Apply(&listings);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("--verified_only=maybe"));
}

TEST(ResourcesTest, EveryServiceCollectionIsFound) {
  for (const char* c :
       {"regions", "categories", "supplyLinks", "clusters", "enterprises",
        "partners", "listings", "agreements", "proposals", "campaigns",
        "submissions", "notifications", "subscriptions", "webhooks"}) {
    const Resource* r = FindResource(c);
    ASSERT_NE(r, nullptr) << c;
    EXPECT_EQ(r->collection, c);
    EXPECT_NE(r->list, nullptr) << c;
    EXPECT_FALSE(r->columns.empty()) << c;
  }
  EXPECT_EQ(FindResource("category")->collection, "categories");
  EXPECT_EQ(FindResource("supply-links")->collection, "supplyLinks");
  EXPECT_EQ(FindResource("clusters/01abc")->get->name(), "GetCluster");
  EXPECT_EQ(FindResource("recipients/x/notifications/y")->collection,
            "notifications");
  EXPECT_EQ(FindResource("proposals/p")->service->name(), "MatchingService");
  EXPECT_EQ(FindResource("supplyLinks")->get, nullptr);
  EXPECT_EQ(FindResource("widgets"), nullptr);
}

}  // namespace
}  // namespace jalin::ctl
