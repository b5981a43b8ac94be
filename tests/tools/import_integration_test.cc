// jalinctl import against the real registry: a file with good and bad rows,
// and an import killed midway then run again.

#include <fstream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/csv/csv.h"
#include "common/rpc/client.h"
#include "common/testing/suite.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/tools/cli_process.h"
#include "tools/datagen/generator.h"
#include "tools/datagen/record_sink.h"

namespace jalin::ctl {
namespace {

using ::testing::HasSubstr;
using testing::RunCli;

const std::string kSource = JALIN_SOURCE_DIR;
const std::string kJalinctl =
    std::string(JALIN_BINARY_DIR) + "/tools/jalinctl/jalinctl";

class ImportIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status s = suite_.Start(
        {"registry"}, {{"registry", {"JALIN_DATA_DIR=" + kSource + "/data"}}});
    ASSERT_TRUE(s.ok()) << s;
    auth::Principal integrator;
    integrator.subject = "systems/sida-jateng";
    integrator.role = auth::Role::kIntegrator;
    integrator.regions = {"33"};
    integrator.source_system = "sida-jateng";
    integrator_token_ = suite_.Token(integrator);
    stub_ = registry::v1::RegistryService::NewStub(
        rpc::MakeChannel(suite_.address("registry")));
  }

  std::vector<std::string> Env() const {
    return {"JALIN_REGISTRY_ADDRESS=" + suite_.address("registry"),
            "JALIN_TOKEN=" + integrator_token_};
  }

  std::string File(const std::string& name) const {
    return suite_.dir().File(name);
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(File(name)) << text;
  }

  // Every resource of a collection, through all pages, as admin.
  template <typename Item, typename Req, typename Resp, typename Method,
            typename Field>
  std::vector<Item> All(Method method, Field field) {
    std::vector<Item> out;
    Req request;
    request.set_page_size(1000);
    while (true) {
      Resp response;
      grpc::ClientContext ctx;
      rpc::PrepareContext(&ctx, absl::Seconds(30), suite_.AdminToken());
      grpc::Status s = (stub_.get()->*method)(&ctx, request, &response);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      for (const auto& item : field(response)) out.push_back(item);
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return out;
  }

  std::vector<registry::v1::Enterprise> Enterprises() {
    return All<registry::v1::Enterprise, registry::v1::ListEnterprisesRequest,
               registry::v1::ListEnterprisesResponse>(
        &registry::v1::RegistryService::Stub::ListEnterprises,
        [](const registry::v1::ListEnterprisesResponse& r) -> const auto& {
          return r.enterprises();
        });
  }
  std::vector<registry::v1::Cluster> Clusters() {
    return All<registry::v1::Cluster, registry::v1::ListClustersRequest,
               registry::v1::ListClustersResponse>(
        &registry::v1::RegistryService::Stub::ListClusters,
        [](const registry::v1::ListClustersResponse& r) -> const auto& {
          return r.clusters();
        });
  }
  std::vector<registry::v1::Listing> Listings() {
    return All<registry::v1::Listing, registry::v1::ListListingsRequest,
               registry::v1::ListListingsResponse>(
        &registry::v1::RegistryService::Stub::ListListings,
        [](const registry::v1::ListListingsResponse& r) -> const auto& {
          return r.listings();
        });
  }

  jalin::testing::Suite suite_{JALIN_BINARY_DIR};
  std::string integrator_token_;
  std::unique_ptr<registry::v1::RegistryService::Stub> stub_;
};

TEST_F(ImportIntegrationTest, GoodAndBadRows) {
  Write("clusters.csv",
        "external_id,version,display_name,region,sector,roles,member_count\n"
        "KL-1,1,Klaster Jamu Nguter,33.11,jamu,PRODUCER,120\n"
        "KL-2,1,Klaster Jahe Kemuning,33.13,jahe,RAW_MATERIAL_SUPPLIER,80\n");
  Write("enterprises.csv",
        "external_id,version,display_name,scale,region,clusters,categories,"
        "nib,contact_name,contact_phone\n"
        "UM-1,1,Jamu Bu Sri,mikro,33.11,KL-1,jamu-serbuk,9120001234567,Sri "
        "Wahyuni,081234567890\n"
        "UM-2,1,Jamu Sehat,kecil,33.11,KL-1,jamu,12345,Budi,081234567891\n"
        "UM-3,1,Jahe Pak Slamet,mikro,33.13,KL-2,jahe,,Slamet,081234567892\n"
        "UM-4,abc,Batik Sekar,mikro,33.13,,batik-tulis,,Ani,081234567893\n"
        "UM-5,1,Bakpia Yogya,mikro,34.71,,oleh-oleh-khas,,Dewi,"
        "081234567894\n"
        "UM-6,1,Tani Jahe,mikro,33.13,KL-2,jahe,,Eko,081234567895\n");
  Write("listings.csv",
        "external_id,version,kind,owner,category,title,quantity,unit,period\n"
        "LS-1,1,need,KL-1,jahe,Butuh jahe,2,ton,bulan\n"
        "LS-2,1,offer,KL-2,jahe,Jahe segar,5,ton,bulan\n"
        "LS-3,1,offer,KL-404,jahe,Jahe siapa,1,ton,bulan\n");

  auto r =
      RunCli({kJalinctl, "import", File("listings.csv"),
              File("enterprises.csv"), File("clusters.csv"), "--output=json"},
             Env(), suite_.dir().path(), "import");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 4) << r->err;
  auto summary = nlohmann::json::parse(r->out);
  ASSERT_EQ(summary["files"].size(), 3u) << r->out;
  // Clusters, enterprises, listings: in dependency order.
  EXPECT_EQ(summary["files"][0]["created"], 2);
  EXPECT_EQ(summary["files"][1]["rows"], 6);
  EXPECT_EQ(summary["files"][1]["created"], 3);
  EXPECT_EQ(summary["files"][1]["rejected"], 3);
  EXPECT_EQ(summary["files"][2]["created"], 2);
  EXPECT_EQ(summary["files"][2]["rejected"], 1);

  // The rejected rows, each with its line and the registry's reason.
  std::ifstream in(File("enterprises.rejected.csv"));
  csv::Reader reader(&in);
  std::vector<std::string> f;
  ASSERT_TRUE(*reader.Next(&f));
  EXPECT_EQ(f[0], "_line");
  EXPECT_EQ(f[1], "_error");
  std::map<std::string, std::string> reasons;  // line -> reason
  while (*reader.Next(&f)) reasons[f[0]] = f[1];
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_THAT(reasons["3"], HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(reasons["3"], HasSubstr("nib"));
  EXPECT_THAT(reasons["5"], HasSubstr("version"));
  EXPECT_THAT(reasons["6"], HasSubstr("PERMISSION_DENIED"));
  std::ifstream listings_in(File("listings.rejected.csv"));
  csv::Reader listings_reader(&listings_in);
  ASSERT_TRUE(*listings_reader.Next(&f));
  ASSERT_TRUE(*listings_reader.Next(&f));
  EXPECT_EQ(f[0], "4");
  EXPECT_THAT(f[1], HasSubstr("KL-404"));

  // What the registry holds.
  std::set<std::string> stored;
  for (const auto& e : Enterprises()) stored.insert(e.source().external_id());
  EXPECT_EQ(stored, (std::set<std::string>{"UM-1", "UM-3", "UM-6"}));
  EXPECT_EQ(Clusters().size(), 2u);
  EXPECT_EQ(Listings().size(), 2u);

  // Run again: nothing new, nothing duplicated.
  auto again =
      RunCli({kJalinctl, "import", File("clusters.csv"),
              File("enterprises.csv"), File("listings.csv"), "--output=json"},
             Env(), suite_.dir().path(), "again");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->exit_code, 4);
  auto second = nlohmann::json::parse(again->out);
  for (const auto& file : second["files"]) {
    EXPECT_EQ(file["created"], 0) << file;
    EXPECT_EQ(file["updated"], 0) << file;
  }
  EXPECT_EQ(second["files"][1]["unchanged"], 3);
  EXPECT_EQ(Enterprises().size(), 3u);
  EXPECT_EQ(Clusters().size(), 2u);
  EXPECT_EQ(Listings().size(), 2u);
}

TEST_F(ImportIntegrationTest, KilledMidwayThenRunAgainEndsExact) {
  // A few thousand records of five kabupaten.
  auto taxonomy = datagen::Taxonomy::Load(kSource + "/data/taxonomy");
  ASSERT_TRUE(taxonomy.ok()) << taxonomy.status();
  auto regions = regions::RegionTable::Load(kSource + "/data/regions.csv");
  ASSERT_TRUE(regions.ok());
  datagen::GeneratorOptions options;
  options.seed = 11;
  options.scale = 2;
  options.regions = {"33.01", "33.02", "33.03", "33.04", "33.05"};
  // Certificates valid by the registry's clock, so no row is refused.
  options.as_of = datagen::DefaultAsOf(absl::Now());
  auto sink = datagen::FileSink::Open(File("data"), FileFormat::kCsv);
  ASSERT_TRUE(sink.ok());
  datagen::GeneratorCounts counts;
  ASSERT_TRUE(datagen::Generator(&*taxonomy, &*regions, options)
                  .Run(sink->get(), &counts)
                  .ok());
  ASSERT_TRUE((*sink)->Close().ok());
  ASSERT_GT(counts.enterprises, 1000);

  const std::vector<std::string> import = {kJalinctl,
                                           "import",
                                           File("data/clusters.csv"),
                                           File("data/partners.csv"),
                                           File("data/enterprises.csv"),
                                           File("data/listings.csv"),
                                           "--batch_size=25",
                                           "--window=1",
                                           "--output=json",
                                           "--progress=plain"};
  auto first =
      testing::CliProcess::Start(import, Env(), suite_.dir().path(), "first");
  ASSERT_TRUE(first.ok());
  // Kill it once the registry holds some enterprises, well before the end.
  const absl::Time deadline = absl::Now() + absl::Seconds(120);
  size_t seen = 0;
  while (absl::Now() < deadline && (*first)->running()) {
    registry::v1::ListEnterprisesRequest request;
    request.set_page_size(1);
    registry::v1::ListEnterprisesResponse response;
    grpc::ClientContext ctx;
    rpc::PrepareContext(&ctx, absl::Seconds(10), suite_.AdminToken());
    if (stub_->ListEnterprises(&ctx, request, &response).ok() &&
        response.total_size() > 0) {
      seen = response.total_size();
      break;
    }
  }
  (*first)->Kill();
  ASSERT_GT(seen, 0u) << (*first)->err();
  const size_t after_kill = Enterprises().size();
  ASSERT_LT(after_kill, static_cast<size_t>(counts.enterprises))
      << "the import finished before it could be interrupted";

  auto second = RunCli(import, Env(), suite_.dir().path(), "second");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->exit_code, 0) << second->err;
  auto summary = nlohmann::json::parse(second->out);
  int64_t created = 0, unchanged = 0, rows = 0;
  for (const auto& file : summary["files"]) {
    EXPECT_EQ(file["rejected"], 0) << file;
    EXPECT_EQ(file["updated"], 0) << file;
    created += file["created"].get<int64_t>();
    unchanged += file["unchanged"].get<int64_t>();
    rows += file["rows"].get<int64_t>();
  }
  const int64_t total =
      counts.clusters + counts.partners + counts.enterprises + counts.listings;
  EXPECT_EQ(rows, total);
  EXPECT_EQ(created + unchanged, total);
  EXPECT_GE(unchanged, static_cast<int64_t>(after_kill));

  // Exactly the generated records, each once.
  std::ifstream in(File("data/enterprises.csv"));
  csv::Reader reader(&in);
  std::vector<std::string> f;
  ASSERT_TRUE(*reader.Next(&f));
  std::set<std::string> expected;
  while (*reader.Next(&f)) expected.insert(f[0]);
  std::multiset<std::string> stored;
  for (const auto& e : Enterprises()) stored.insert(e.source().external_id());
  EXPECT_EQ(stored.size(), expected.size());
  EXPECT_EQ(std::set<std::string>(stored.begin(), stored.end()), expected);
  EXPECT_EQ(Clusters().size(), static_cast<size_t>(counts.clusters));
  EXPECT_EQ(Listings().size(), static_cast<size_t>(counts.listings));
}

}  // namespace
}  // namespace jalin::ctl
