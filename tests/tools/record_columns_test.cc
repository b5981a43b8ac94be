// Import rows to registry records and back (tools/jalinctl/import).

#include "tools/jalinctl/import/record_columns.h"

#include "common/testing/violations.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tools/jalinctl/proto_text.h"

namespace jalin::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

using jalin::testing::ViolatedFields;

TEST(RecordColumnsTest, EnterpriseRowBecomesARecord) {
  Cells cells = {
      {"external_id", "UM-001"},
      {"version", "3"},
      {"display_name", "Jamu Bu Sri"},
      {"nib", "9120001234567"},
      {"scale", "mikro"},
      {"region", "33.11"},
      {"address", "Desa Nguter"},
      {"latitude", "-7.7"},
      {"longitude", "110.85"},
      {"clusters", "KL-1; clusters/01abc"},
      {"categories", "jamu-serbuk"},
      {"certifications",
       "halal:ID3311000012345:2027-05-01:2023-05-01;PIRT:2063311010123-27;"
       "NIB"},
      {"employee_count", "3"},
      {"contact_name", "Sri Wahyuni"},
      {"contact_phone", "0812-3456-7890"},
      {"unknown_column", "ignored"},
  };
  auto record = ToImportRecord(RecordType::kEnterprise, cells);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->external_id(), "UM-001");
  EXPECT_EQ(record->version(), 3);
  const registry::v1::Enterprise& e = record->enterprise();
  EXPECT_EQ(e.display_name(), "Jamu Bu Sri");
  EXPECT_EQ(e.scale(), registry::v1::MIKRO);
  EXPECT_EQ(e.location().region(), "regions/33.11");
  EXPECT_DOUBLE_EQ(e.location().point().latitude(), -7.7);
  EXPECT_THAT(e.clusters(), ElementsAre("external:KL-1", "clusters/01abc"));
  EXPECT_THAT(e.categories(), ElementsAre("categories/jamu-serbuk"));
  ASSERT_EQ(e.certifications_size(), 3);
  EXPECT_EQ(e.certifications(0).kind(), type::v1::HALAL);
  EXPECT_EQ(e.certifications(0).number(), "ID3311000012345");
  EXPECT_EQ(e.certifications(0).expire_date().year(), 2027);
  EXPECT_EQ(e.certifications(0).issue_date().year(), 2023);
  EXPECT_EQ(e.certifications(1).kind(), type::v1::PIRT);
  EXPECT_FALSE(e.certifications(1).has_expire_date());
  EXPECT_EQ(e.certifications(2).kind(), type::v1::NIB);
  ASSERT_EQ(e.contacts_size(), 1);
  EXPECT_EQ(e.contacts(0).phone(), "0812-3456-7890");
}

TEST(RecordColumnsTest, EveryMalformedCellIsNamedAtOnce) {
  Cells cells = {
      {"version", "v2"},
      {"kind", "sell"},
      {"owner", "KL-1"},
      {"category", "jahe"},
      {"title", "Jahe"},
      {"quantity", "lots"},
      {"unit", "bushel"},
      {"required_certifications", "HALAL;GOLD"},
      {"valid_until", "next week"},
  };
  auto record = ToImportRecord(RecordType::kListing, cells);
  ASSERT_FALSE(record.ok());
  EXPECT_EQ(record.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      ViolatedFields(record.status()),
      UnorderedElementsAre("external_id", "version", "kind", "quantity", "unit",
                           "required_certifications", "valid_until"));
  auto bad = GetBadRequest(record.status());
  for (const auto& v : bad->field_violations()) {
    if (v.field() == "unit") {
      EXPECT_THAT(v.description(), HasSubstr("KILOGRAM"));
    }
  }
}

TEST(RecordColumnsTest, ListingUnderstandsIndonesianWords) {
  Cells cells = {{"external_id", "LS-1"},      {"version", "1"},
                 {"kind", "kebutuhan"},        {"owner", "KL-1"},
                 {"category", "jahe"},         {"title", "Butuh jahe"},
                 {"quantity", "2.5"},          {"unit", "ton"},
                 {"period", "bulan"},          {"continuity", "rutin"},
                 {"price_max", "25000"},       {"price_unit", "kg"},
                 {"valid_until", "2026-12-31"}};
  auto record = ToImportRecord(RecordType::kListing, cells);
  ASSERT_TRUE(record.ok()) << record.status();
  const registry::v1::Listing& l = record->listing();
  EXPECT_EQ(l.kind(), registry::v1::Listing::NEED);
  EXPECT_EQ(l.owner(), "external:KL-1");
  EXPECT_EQ(l.category(), "categories/jahe");
  EXPECT_EQ(l.quantity().unit(), type::v1::TON);
  EXPECT_EQ(l.quantity().period(), type::v1::MONTH);
  EXPECT_EQ(l.continuity(), registry::v1::Listing::CONTINUOUS);
  EXPECT_EQ(l.price().max().amount(), 25000);
  EXPECT_EQ(l.price().per_unit(), type::v1::KILOGRAM);
  // The end of 31 December in Western Indonesia Time.
  EXPECT_EQ(FormatTimestamp(l.valid_until()), "2026-12-31");
  EXPECT_EQ(l.valid_until().seconds(), 1798736399);
}

TEST(RecordColumnsTest, RowsRoundTripThroughTheColumns) {
  registry::v1::ImportRecord r;
  r.set_external_id("KL-33.13-001");
  r.set_version(7);
  registry::v1::Cluster* c = r.mutable_cluster();
  c->set_display_name("Klaster Jahe Sidorejo");
  c->mutable_location()->set_region("regions/33.13");
  c->mutable_location()->set_address("Desa Sidorejo, Kabupaten Karanganyar");
  c->mutable_location()->mutable_point()->set_latitude(-7.6281);
  c->mutable_location()->mutable_point()->set_longitude(111.0625);
  c->set_sector("categories/jahe");
  c->add_roles(registry::v1::RAW_MATERIAL_SUPPLIER);
  c->add_roles(registry::v1::MARKETER);
  c->set_member_count(120);
  c->mutable_leader()->set_display_name("Slamet Riyanto");
  c->mutable_leader()->set_phone("+6281234567890");
  c->set_parent_cluster("external:KL-33.13-000");
  c->set_description("Klaster jahe, \"unggulan\"; baris\nkedua");

  const std::vector<std::string> row = ToRow(RecordType::kCluster, r);
  const std::vector<std::string> header = HeaderOf(RecordType::kCluster);
  ASSERT_EQ(row.size(), header.size());
  Cells cells;
  for (size_t i = 0; i < row.size(); ++i) cells[header[i]] = row[i];
  EXPECT_EQ(cells["sector"], "jahe");
  EXPECT_EQ(cells["region"], "33.13");
  EXPECT_EQ(cells["roles"], "RAW_MATERIAL_SUPPLIER;MARKETER");
  EXPECT_EQ(cells["parent_cluster"], "KL-33.13-000");
  auto back = ToImportRecord(RecordType::kCluster, cells);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(r, *back))
      << back->DebugString();
}

TEST(RecordColumnsTest, TypesFromNamesAndImportOrder) {
  EXPECT_EQ(RecordTypeFromPath("data/33.13-enterprises.csv"),
            RecordType::kEnterprise);
  EXPECT_EQ(RecordTypeFromPath("Listings.JSONL"), RecordType::kListing);
  EXPECT_EQ(RecordTypeFromPath("clusters/umkm.csv"), std::nullopt);
  EXPECT_EQ(RecordTypeFromPath("clusters-and-partners.csv"), std::nullopt);
  EXPECT_EQ(ParseRecordType("Partner"), RecordType::kPartner);
  EXPECT_EQ(ParseRecordType("umkm"), std::nullopt);
  EXPECT_LT(ImportOrder(RecordType::kCluster),
            ImportOrder(RecordType::kEnterprise));
  EXPECT_LT(ImportOrder(RecordType::kPartner),
            ImportOrder(RecordType::kListing));
  EXPECT_LT(ImportOrder(RecordType::kEnterprise),
            ImportOrder(RecordType::kListing));
  EXPECT_THAT(UnknownColumns(RecordType::kPartner,
                             {"display_name", "kabupaten", "_error", "kind"}),
              ElementsAre("kabupaten"));
  const std::string doc = DescribeColumns();
  for (const char* c : {"external_id (required)", "certifications",
                        "required_certifications", "member_count"}) {
    EXPECT_THAT(doc, HasSubstr(c));
  }
}

TEST(ProtoTextTest, ParsesQuantitiesDatesAndShortNames) {
  type::v1::Quantity q;
  ASSERT_TRUE(ParseQuantity("2 TON/MONTH", &q));
  EXPECT_EQ(q.amount(), 2);
  EXPECT_EQ(q.unit(), type::v1::TON);
  EXPECT_EQ(q.period(), type::v1::MONTH);
  ASSERT_TRUE(ParseQuantity("2.5 kg per minggu", &q));
  EXPECT_EQ(q.unit(), type::v1::KILOGRAM);
  EXPECT_EQ(q.period(), type::v1::WEEK);
  ASSERT_TRUE(ParseQuantity("300pcs", &q));
  EXPECT_EQ(q.period(), type::v1::PERIOD_UNSPECIFIED);
  EXPECT_FALSE(ParseQuantity("ton", &q));
  EXPECT_FALSE(ParseQuantity("2 bushels", &q));
  EXPECT_FALSE(ParseQuantity("-2 kg", &q));

  EXPECT_EQ(RegionName("33.13"), "regions/33.13");
  EXPECT_EQ(RegionName("regions/33"), "regions/33");
  EXPECT_EQ(RecordRef("KL-1"), "external:KL-1");
  EXPECT_EQ(RecordRef("external:KL-1"), "external:KL-1");
  EXPECT_EQ(RecordRef("clusters/x"), "clusters/x");
  EXPECT_EQ(FormatNumber(2), "2");
  EXPECT_EQ(FormatNumber(-7.62806), "-7.62806");
  EXPECT_EQ(FormatNumber(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(ParseEnum(type::v1::Unit_descriptor(), "unspecified"),
            std::nullopt);
  EXPECT_EQ(ParseEnum(registry::v1::Partner::Kind_descriptor(), "oleh-oleh"),
            registry::v1::Partner::SOUVENIR_CENTRE);
  google::protobuf::Timestamp ts;
  ASSERT_TRUE(ParseTimestamp("2026-01-02T03:04:05Z", &ts));
  EXPECT_EQ(FormatTimestamp(ts), "2026-01-02T03:04:05Z");
  EXPECT_FALSE(ParseTimestamp("yesterday", &ts));
}

}  // namespace
}  // namespace jalin::ctl
