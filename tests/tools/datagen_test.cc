// The demo/benchmark generator: deterministic, plausible, and readable by
// jalinctl import. Uses the taxonomy and regions that ship in data/.

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/regions/region_table.h"
#include "common/testing/temp_dir.h"
#include "common/validation/validators.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tools/datagen/generator.h"
#include "tools/datagen/rng.h"
#include "tools/datagen/sector_knowledge.h"
#include "tools/jalinctl/import/record_columns.h"
#include "tools/jalinctl/import/row_source.h"

namespace jalin::datagen {
namespace {

using ctl::RecordType;
using registry::v1::ImportRecord;

const std::string kData = std::string(JALIN_SOURCE_DIR) + "/data";
const absl::CivilDay kAsOf(2026, 11, 1);

// Keeps every record in memory (tests only generate small datasets).
class CollectingSink final : public RecordSink {
 public:
  absl::Status Write(RecordType type, const ImportRecord& record) override {
    records[type].push_back(record);
    return absl::OkStatus();
  }
  std::map<RecordType, std::vector<ImportRecord>> records;
};

class DatagenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto t = Taxonomy::Load(kData + "/taxonomy");
    ASSERT_TRUE(t.ok()) << t.status();
    taxonomy_ = new Taxonomy(*std::move(t));
    auto r = regions::RegionTable::Load(kData + "/regions.csv");
    ASSERT_TRUE(r.ok()) << r.status();
    regions_ = new regions::RegionTable(*std::move(r));
  }

  CollectingSink Generate(const std::vector<std::string>& codes,
                          uint64_t seed = 7, double scale = 1.0,
                          GeneratorCounts* counts_out = nullptr) {
    GeneratorOptions options;
    options.seed = seed;
    options.scale = scale;
    options.regions = codes;
    options.as_of = kAsOf;
    Generator g(taxonomy_, regions_, options);
    CollectingSink sink;
    GeneratorCounts counts;
    EXPECT_TRUE(g.Run(&sink, &counts).ok());
    EXPECT_EQ(counts.clusters,
              static_cast<int64_t>(sink.records[RecordType::kCluster].size()));
    EXPECT_EQ(counts.listings,
              static_cast<int64_t>(sink.records[RecordType::kListing].size()));
    if (counts_out != nullptr) *counts_out = counts;
    return sink;
  }

  std::vector<std::string> Province(const std::string& code) {
    auto codes = SelectRegions(*regions_, code, "");
    EXPECT_TRUE(codes.ok());
    return *codes;
  }

  static Taxonomy* taxonomy_;
  static regions::RegionTable* regions_;
};

Taxonomy* DatagenTest::taxonomy_ = nullptr;
regions::RegionTable* DatagenTest::regions_ = nullptr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Same(const std::vector<ImportRecord>& a,
          const std::vector<ImportRecord>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!google::protobuf::util::MessageDifferencer::Equals(a[i], b[i])) {
      return false;
    }
  }
  return true;
}

std::string RegionOfId(const std::string& external_id) {
  // "UM-33.13-000001" -> "33.13".
  return external_id.substr(3, 5);
}

TEST_F(DatagenTest, SameSeedSameFilesOtherSeedOtherData) {
  auto write = [&](const std::string& dir, uint64_t seed) {
    GeneratorOptions options;
    options.seed = seed;
    options.scale = 0.5;
    options.regions = {"33.11", "33.13"};
    auto sink = FileSink::Open(dir, ctl::FileFormat::kCsv);
    EXPECT_TRUE(sink.ok()) << sink.status();
    Generator g(taxonomy_, regions_, options);
    GeneratorCounts counts;
    EXPECT_TRUE(g.Run(sink->get(), &counts).ok());
    EXPECT_TRUE((*sink)->Close().ok());
  };
  testing::TempDir a, b, c;
  write(a.path(), 42);
  write(b.path(), 42);
  write(c.path(), 43);
  for (const char* file :
       {"clusters.csv", "partners.csv", "enterprises.csv", "listings.csv"}) {
    const std::string first = ReadFile(a.File(file));
    EXPECT_GT(first.size(), 100u) << file;
    EXPECT_EQ(first, ReadFile(b.File(file))) << file;
  }
  EXPECT_NE(ReadFile(a.File("enterprises.csv")),
            ReadFile(c.File("enterprises.csv")));
}

TEST_F(DatagenTest, ARegionsRecordsDoNotDependOnTheOtherRegions) {
  CollectingSink both = Generate({"33.11", "33.13"});
  CollectingSink alone = Generate({"33.13"});
  for (RecordType type : {RecordType::kCluster, RecordType::kPartner,
                          RecordType::kEnterprise, RecordType::kListing}) {
    std::vector<ImportRecord> of_33_13;
    for (const ImportRecord& r : both.records[type]) {
      if (RegionOfId(r.external_id()) == "33.13") of_33_13.push_back(r);
    }
    EXPECT_FALSE(of_33_13.empty());
    EXPECT_TRUE(Same(of_33_13, alone.records[type]))
        << ctl::RecordTypeName(type);
  }
}

TEST_F(DatagenTest, JawaTengahIsPlausible) {
  GeneratorCounts counts;
  CollectingSink sink = Generate(Province("33"), 7, 1.0, &counts);
  // A demo: thousands of UMKM.
  EXPECT_GT(counts.enterprises, 3000);
  EXPECT_LT(counts.enterprises, 20000);

  std::set<std::string> ids;
  std::map<std::string, std::string> cluster_sector;
  std::map<std::string, int> clusters_per_region, partners_per_region,
      enterprises_per_cluster;
  std::map<std::string, int> member_count;
  for (RecordType type : {RecordType::kCluster, RecordType::kPartner,
                          RecordType::kEnterprise, RecordType::kListing}) {
    for (const ImportRecord& r : sink.records[type]) {
      EXPECT_TRUE(ids.insert(r.external_id()).second) << r.external_id();
      EXPECT_EQ(r.version(), 1);
      // jalinctl reads back exactly what the generator wrote.
      const std::vector<std::string> row = ctl::ToRow(type, r);
      const std::vector<std::string> header = ctl::HeaderOf(type);
      ctl::Cells cells;
      for (size_t i = 0; i < row.size(); ++i) cells[header[i]] = row[i];
      auto back = ctl::ToImportRecord(type, cells);
      ASSERT_TRUE(back.ok()) << back.status();
      ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(r, *back))
          << r.DebugString() << "\nvs\n"
          << back->DebugString();
    }
  }
  for (const ImportRecord& r : sink.records[RecordType::kCluster]) {
    const auto& c = r.cluster();
    ASSERT_NE(taxonomy_->Find(c.sector().substr(11)), nullptr) << c.sector();
    cluster_sector[r.external_id()] = c.sector().substr(11);
    member_count[r.external_id()] = c.member_count();
    ++clusters_per_region[c.location().region()];
    EXPECT_TRUE(absl::StartsWith(c.display_name(), "Klaster "));
    EXPECT_TRUE(validation::IsPhone(c.leader().phone())) << c.leader().phone();
    EXPECT_TRUE(validation::IsEmail(c.leader().email())) << c.leader().email();
    EXPECT_GT(c.roles_size(), 0);
    const regions::RegionInfo* region = regions_->Find(c.location().region());
    ASSERT_NE(region, nullptr);
    EXPECT_NEAR(c.location().point().latitude(), region->latitude, 0.1);
    EXPECT_NEAR(c.location().point().longitude(), region->longitude, 0.1);
  }
  for (const ImportRecord& r : sink.records[RecordType::kPartner]) {
    ++partners_per_region[r.partner().location().region()];
    for (const std::string& c : r.partner().categories()) {
      EXPECT_NE(taxonomy_->Find(c.substr(11)), nullptr) << c;
    }
  }
  for (const std::string& code : Province("33")) {
    EXPECT_GE(clusters_per_region["regions/" + code], 3) << code;
    EXPECT_GE(partners_per_region["regions/" + code], 1) << code;
  }

  int mikro = 0, menengah = 0;
  const auto& enterprises = sink.records[RecordType::kEnterprise];
  for (const ImportRecord& r : enterprises) {
    const auto& e = r.enterprise();
    if (!e.nib().empty()) {
      EXPECT_TRUE(validation::IsNib(e.nib())) << e.nib();
    }
    ASSERT_EQ(e.clusters_size(), 1);
    const std::string cluster = e.clusters(0).substr(9);  // "external:"
    ASSERT_TRUE(cluster_sector.contains(cluster)) << cluster;
    ++enterprises_per_cluster[cluster];
    ASSERT_EQ(e.categories_size(), 1);
    const std::string category = e.categories(0).substr(11);
    EXPECT_TRUE(taxonomy_->IsUnder(category, cluster_sector[cluster]))
        << category << " in a " << cluster_sector[cluster] << " cluster";
    ASSERT_EQ(e.contacts_size(), 1);
    EXPECT_TRUE(validation::IsPhone(e.contacts(0).phone()));
    if (!e.contacts(0).email().empty()) {
      EXPECT_TRUE(validation::IsEmail(e.contacts(0).email()));
    }
    switch (e.scale()) {
      case registry::v1::MIKRO:
        ++mikro;
        EXPECT_LE(e.employee_count(), 4);
        break;
      case registry::v1::KECIL:
        EXPECT_GE(e.employee_count(), 5);
        EXPECT_LE(e.employee_count(), 19);
        break;
      case registry::v1::MENENGAH:
        ++menengah;
        EXPECT_GE(e.employee_count(), 20);
        break;
      default:
        ADD_FAILURE() << "no scale";
    }
    // Certificates fit the sector.
    for (const auto& cert : e.certifications()) {
      switch (cert.kind()) {
        case type::v1::BATIK_MARK:
          EXPECT_TRUE(taxonomy_->IsUnder(category, "batik")) << category;
          break;
        case type::v1::SVLK:
          EXPECT_TRUE(taxonomy_->IsUnder(category, "mebel") ||
                      taxonomy_->IsUnder(category, "hasil-hutan") ||
                      taxonomy_->IsUnder(category, "ukiran-kayu"))
              << category;
          break;
        case type::v1::CBIB:
          EXPECT_TRUE(taxonomy_->IsUnder(category, "perikanan")) << category;
          break;
        case type::v1::CPOTB:
          EXPECT_TRUE(taxonomy_->IsUnder(category, "jamu")) << category;
          break;
        case type::v1::NIB:
          EXPECT_EQ(cert.number(), e.nib());
          break;
        default:
          break;
      }
      if (cert.has_expire_date()) {
        const absl::CivilDay issued(cert.issue_date().year(),
                                    cert.issue_date().month(),
                                    cert.issue_date().day());
        const absl::CivilDay expires(cert.expire_date().year(),
                                     cert.expire_date().month(),
                                     cert.expire_date().day());
        EXPECT_LT(issued, kAsOf);
        // Valid for months after the day the data is for.
        EXPECT_GT(expires - kAsOf, 100) << cert.DebugString();
        EXPECT_GT(expires.year(), issued.year());
      }
    }
  }
  EXPECT_GT(mikro, static_cast<int>(enterprises.size() * 0.75));
  EXPECT_LT(menengah, static_cast<int>(enterprises.size() * 0.08));
  for (const auto& [cluster, n] : enterprises_per_cluster) {
    EXPECT_GE(member_count[cluster], n) << cluster;
  }

  // Listings: owners exist; what a cluster needs feeds its sector.
  int needs = 0, offers = 0;
  for (const ImportRecord& r : sink.records[RecordType::kListing]) {
    const auto& l = r.listing();
    const std::string owner = l.owner().substr(9);
    EXPECT_TRUE(ids.contains(owner)) << owner;
    const std::string category = l.category().substr(11);
    const TaxonomyCategory* c = taxonomy_->Find(category);
    ASSERT_NE(c, nullptr) << category;
    EXPECT_FALSE(l.title().empty());
    EXPECT_EQ(l.status(), registry::v1::Listing::OPEN);
    (l.kind() == registry::v1::Listing::NEED ? needs : offers)++;
    if (l.has_price() && l.price().has_min()) {
      EXPECT_LE(l.price().min().amount(), l.price().max().amount());
    }
    if (!cluster_sector.contains(owner) ||
        l.kind() != registry::v1::Listing::NEED || c->kind != "GOODS") {
      continue;
    }
    const std::string& sector = cluster_sector[owner];
    bool feeds = false;
    for (const TaxonomyLink& in : taxonomy_->InputsOf(sector)) {
      if (in.input == category) feeds = true;
      for (const TaxonomyLink& in2 : taxonomy_->InputsOf(in.input)) {
        if (in2.input == category) feeds = true;
      }
    }
    EXPECT_TRUE(feeds) << "a " << sector << " cluster needs " << category;
  }
  EXPECT_GT(needs, 200);
  EXPECT_GT(offers, 200);
}

// The demo's promise: between Sukoharjo and Karanganyar there are offers
// that meet needs in both directions.
TEST_F(DatagenTest, NeighboursComplementEachOtherBothWays) {
  CollectingSink sink = Generate({"33.11", "33.13"}, kDemoSeed);
  std::map<std::string, std::set<std::string>> offers, needs;
  for (const ImportRecord& r : sink.records[RecordType::kListing]) {
    const std::string region = RegionOfId(r.listing().owner().substr(9));
    auto& target =
        r.listing().kind() == registry::v1::Listing::OFFER ? offers : needs;
    target[region].insert(r.listing().category());
  }
  auto overlap = [&](const std::string& supplier, const std::string& buyer) {
    std::vector<std::string> both;
    for (const std::string& c : offers[supplier]) {
      if (needs[buyer].contains(c)) both.push_back(c);
    }
    return both;
  };
  EXPECT_THAT(overlap("33.13", "33.11"),
              ::testing::Contains("categories/jahe"));
  EXPECT_THAT(overlap("33.11", "33.13"),
              ::testing::Contains("categories/serbuk-gergaji"));
}

TEST_F(DatagenTest, ScaleGrowsTheDataset) {
  GeneratorCounts small, big;
  Generate({"33.13", "33.14"}, 7, 1.0, &small);
  Generate({"33.13", "33.14"}, 7, 9.0, &big);
  const double ratio = static_cast<double>(big.enterprises) / small.enterprises;
  EXPECT_GT(ratio, 6.0);
  EXPECT_LT(ratio, 12.0);
  EXPECT_GT(big.clusters, small.clusters * 2);
}

TEST_F(DatagenTest, FilesImportCleanly) {
  for (ctl::FileFormat format :
       {ctl::FileFormat::kCsv, ctl::FileFormat::kJsonl}) {
    testing::TempDir dir;
    GeneratorOptions options;
    options.seed = 3;
    options.scale = 0.3;
    options.regions = {"33.72"};
    options.version = 4;
    auto sink = FileSink::Open(dir.File("out/demo"), format);
    ASSERT_TRUE(sink.ok()) << sink.status();
    Generator g(taxonomy_, regions_, options);
    GeneratorCounts counts;
    ASSERT_TRUE(g.Run(sink->get(), &counts).ok());
    ASSERT_TRUE((*sink)->Close().ok());
    int64_t rows = 0;
    for (RecordType type : {RecordType::kCluster, RecordType::kPartner,
                            RecordType::kEnterprise, RecordType::kListing}) {
      std::ifstream in(
          dir.File("out/demo/" + FileSink::FileName(type, format)));
      ASSERT_TRUE(in.good());
      ctl::ColumnMap map;
      auto source = ctl::OpenRowSource(&in, format, map);
      ASSERT_TRUE(source.ok());
      ctl::Row row;
      while (*(*source)->Next(&row)) {
        ++rows;
        ASSERT_TRUE(row.error.empty()) << row.error;
        auto record = ctl::ToImportRecord(type, row.cells);
        ASSERT_TRUE(record.ok()) << record.status();
        EXPECT_EQ(record->version(), 4);
      }
    }
    EXPECT_EQ(rows, counts.clusters + counts.partners + counts.enterprises +
                        counts.listings);
  }
}

TEST_F(DatagenTest, KnowledgeMatchesTheShippedTaxonomy) {
  for (const std::string& id : MentionedCategories()) {
    EXPECT_NE(taxonomy_->Find(id), nullptr) << id;
  }
  EXPECT_GT(SectorPool(*taxonomy_).size(), 50u);
  EXPECT_EQ(ByProductOf(*taxonomy_, "mebel-kayu"), "serbuk-gergaji");
  EXPECT_EQ(KnowHowOf(*taxonomy_, "jamur-tiram"), "budidaya-jamur");
  EXPECT_EQ(TradeOf(*taxonomy_, "batik-tulis").unit, type::v1::PIECE);
  EXPECT_EQ(TradeOf(*taxonomy_, "jahe").unit, type::v1::KILOGRAM);
  EXPECT_EQ(ShortLabel(*taxonomy_->Find("jamu")), "Jamu");
}

TEST_F(DatagenTest, SelectRegions) {
  EXPECT_EQ(Province("33").size(), 35u);
  auto some = SelectRegions(*regions_, "", "33.13, 33.11,33.13");
  ASSERT_TRUE(some.ok());
  EXPECT_THAT(*some, ::testing::ElementsAre("33.11", "33.13"));
  EXPECT_FALSE(SelectRegions(*regions_, "99", "").ok());
  EXPECT_FALSE(SelectRegions(*regions_, "33.13", "").ok());
  EXPECT_FALSE(SelectRegions(*regions_, "", "33").ok());
}

TEST(DefaultAsOfTest, FirstDayOfTheMonthInUtc) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(DefaultAsOf(absl::FromCivil(
                absl::CivilSecond(2026, 11, 23, 19, 30, 0), utc)),
            absl::CivilDay(2026, 11, 1));
  EXPECT_EQ(
      DefaultAsOf(absl::FromCivil(absl::CivilSecond(2027, 1, 1, 0, 0, 0), utc)),
      absl::CivilDay(2027, 1, 1));
  // The last second of a month still belongs to it.
  EXPECT_EQ(DefaultAsOf(absl::FromCivil(
                absl::CivilSecond(2028, 2, 29, 23, 59, 59), utc)),
            absl::CivilDay(2028, 2, 1));
}

TEST(RngTest, DeterministicAndInRange) {
  Rng a = Rng::For(5, "33.13");
  Rng b = Rng::For(5, "33.13");
  Rng c = Rng::For(5, "33.11");
  bool differs = false;
  std::set<int64_t> seen;
  for (int i = 0; i < 100; ++i) {
    const int64_t x = a.Int(-3, 3);
    EXPECT_EQ(x, b.Int(-3, 3));
    EXPECT_GE(x, -3);
    EXPECT_LE(x, 3);
    seen.insert(x);
    differs |= x != c.Int(-3, 3);
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_TRUE(differs);
  EXPECT_EQ(StableHash("jalin"), StableHash("jalin"));
  EXPECT_NE(StableHash("33.11"), StableHash("33.13"));
  Rng w(1);
  int hits[3] = {0, 0, 0};
  for (int i = 0; i < 3000; ++i) ++hits[w.Weighted({1, 0, 3})];
  EXPECT_EQ(hits[1], 0);
  EXPECT_GT(hits[2], hits[0] * 2);
  for (int i = 0; i < 1000; ++i) {
    const double u = w.Unit();
    EXPECT_GE(u, 0);
    EXPECT_LT(u, 1);
  }
}

}  // namespace
}  // namespace jalin::datagen
