// The importer against an in-process registry: batching, outcomes,
// rejected rows, re-runs, and a stream that breaks midway.

#include "tools/jalinctl/import/importer.h"

#include <fstream>
#include <sstream>

#include "common/csv/csv.h"
#include "common/rpc/client.h"
#include "common/testing/in_process_server.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tools/fake_services.h"

namespace jalin::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Ten good enterprise rows UM-0 .. UM-9.
std::string GoodRows(int version = 1) {
  std::string csv = "external_id,version,display_name,region,nib\n";
  for (int i = 0; i < 10; ++i) {
    csv += "UM-" + std::to_string(i) + "," + std::to_string(version) +
           ",Usaha " + std::to_string(i) + ",33.13,912000000000" +
           std::to_string(i) + "\n";
  }
  return csv;
}

class ImporterTest : public ::testing::Test {
 protected:
  ImporterTest() : server_(&registry_) {
    stub_ = registry::v1::RegistryService::NewStub(
        rpc::MakeChannel(server_.address()));
  }

  // Imports `csv` as enterprises; the rejected rows go to dir_/rejected.csv.
  absl::Status Import(const std::string& csv, ImportCounts* counts,
                      ImportOptions options = {}) {
    if (options.token.empty()) options.token = testing::kToken;
    std::istringstream in(csv);
    auto source = OpenRowSource(&in, FileFormat::kCsv, map_);
    EXPECT_TRUE(source.ok()) << source.status();
    RejectedRows rejected(dir_.File("rejected.csv"), FileFormat::kCsv,
                          (*source)->header());
    FakeClock clock(absl::FromUnixSeconds(1000));
    Progress progress(&progress_out_, &clock, ProgressStyle::kPlain, "e.csv",
                      static_cast<int64_t>(csv.size()));
    Importer importer(stub_.get(), options);
    absl::Status s = importer.Run(RecordType::kEnterprise, source->get(),
                                  &rejected, &progress, counts);
    EXPECT_TRUE(rejected.Close().ok());
    return s;
  }

  testing::FakeRegistry registry_;
  jalin::testing::InProcessServer server_;
  std::unique_ptr<registry::v1::RegistryService::Stub> stub_;
  jalin::testing::TempDir dir_;
  ColumnMap map_;
  std::ostringstream progress_out_;
};

TEST_F(ImporterTest, StoresGoodRowsAndReportsEveryRejectedOne) {
  const std::string csv =
      "external_id,version,display_name,region,nib\n"
      "UM-1,1,Jamu Bu Sri,33.11,9120001234567\n"
      "UM-2,x,Batik Sekar,33.13,\n"        // unreadable: version
      "UM-3,1,Keripik Sari,33.13,12345\n"  // registry: nib
      "UM-4,1,,33.13,\n"                   // registry: display_name
      "UM-5,1,Mebel Jati,33.11,\n";
  ImportCounts counts;
  ImportOptions options;
  options.batch_size = 2;
  options.window = 2;
  ASSERT_TRUE(Import(csv, &counts, options).ok());
  EXPECT_EQ(counts.rows, 5);
  EXPECT_EQ(counts.created, 2);
  EXPECT_EQ(counts.rejected, 3);
  EXPECT_EQ(counts.unanswered, 0);
  EXPECT_EQ(registry_.records().size(), 2u);
  EXPECT_TRUE(registry_.records().contains("UM-1"));
  EXPECT_TRUE(registry_.records().contains("UM-5"));
  EXPECT_LE(registry_.max_batch_size(), 2);
  EXPECT_EQ(registry_.batches(), 2);  // UM-1,UM-3 | UM-4,UM-5

  std::istringstream rejected(ReadFile(dir_.File("rejected.csv")));
  csv::Reader reader(&rejected);
  std::vector<std::string> f;
  ASSERT_TRUE(*reader.Next(&f));
  EXPECT_THAT(f, ElementsAre("_line", "_error", "external_id", "version",
                             "display_name", "region", "nib"));
  std::vector<std::vector<std::string>> rows;
  while (*reader.Next(&f)) rows.push_back(f);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], "3");
  EXPECT_EQ(rows[0][1],
            "INVALID_ARGUMENT: cannot read this enterprise row: version "
            "\"x\" is not a whole number");
  EXPECT_EQ(rows[0][2], "UM-2");
  EXPECT_EQ(rows[1][0], "4");
  EXPECT_EQ(rows[1][1],
            "INVALID_ARGUMENT: invalid record: nib must be 13 digits");
  EXPECT_EQ(rows[1][6], "12345");
  EXPECT_EQ(rows[2][0], "5");
  EXPECT_EQ(rows[2][1],
            "INVALID_ARGUMENT: invalid record: display_name is required");
  EXPECT_THAT(progress_out_.str(), HasSubstr("e.csv: 100% 5 rows"));
}

TEST_F(ImporterTest, RunningAgainChangesNothingAndNewVersionsUpdate) {
  ImportCounts first, second, third;
  ASSERT_TRUE(Import(GoodRows(), &first).ok());
  EXPECT_EQ(first.created, 10);
  ASSERT_TRUE(Import(GoodRows(), &second).ok());
  EXPECT_EQ(second.created, 0);
  EXPECT_EQ(second.unchanged, 10);
  ASSERT_TRUE(Import(GoodRows(2), &third).ok());
  EXPECT_EQ(third.updated, 10);
  EXPECT_EQ(registry_.records().size(), 10u);
  EXPECT_EQ(registry_.records().at("UM-7").version, 2);
  // No rejected row: no rejected-rows file.
  EXPECT_FALSE(std::ifstream(dir_.File("rejected.csv")).good());
}

TEST_F(ImporterTest, BrokenStreamStopsAndARerunCompletesExactly) {
  registry_.set_fail_after_batches(2);
  ImportCounts broken;
  ImportOptions options;
  options.batch_size = 2;
  options.window = 1;
  absl::Status s = Import(GoodRows(), &broken, options);
  ASSERT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_EQ(broken.created, 4);
  EXPECT_GT(broken.unanswered, 0);
  EXPECT_EQ(registry_.records().size(), 4u);

  ImportCounts rerun;
  ASSERT_TRUE(Import(GoodRows(), &rerun, options).ok());
  EXPECT_EQ(rerun.unchanged, 4);
  EXPECT_EQ(rerun.created, 6);
  EXPECT_EQ(registry_.records().size(), 10u);
}

TEST_F(ImporterTest, ReferencesToEarlierBatchesResolve) {
  std::istringstream in(
      "external_id,version,kind,owner,category,title\n"
      "LS-1,1,offer,UM-1,jahe,Jahe segar\n"
      "LS-2,1,need,UM-404,jahe,Butuh jahe\n");
  ImportCounts enterprises;
  ASSERT_TRUE(Import(GoodRows(), &enterprises).ok());
  auto source = OpenRowSource(&in, FileFormat::kCsv, map_);
  ASSERT_TRUE(source.ok());
  RejectedRows rejected(dir_.File("listings.rejected.csv"), FileFormat::kCsv,
                        (*source)->header());
  ImportOptions options;
  options.token = testing::kToken;
  Importer importer(stub_.get(), options);
  ImportCounts counts;
  ASSERT_TRUE(
      importer
          .Run(RecordType::kListing, source->get(), &rejected, nullptr, &counts)
          .ok());
  ASSERT_TRUE(rejected.Close().ok());
  EXPECT_EQ(counts.created, 1);
  EXPECT_EQ(counts.rejected, 1);
  EXPECT_THAT(ReadFile(dir_.File("listings.rejected.csv")),
              HasSubstr("FAILED_PRECONDITION: owner external:UM-404 is not "
                        "known"));
}

TEST_F(ImporterTest, WrongTokenIsUnauthenticated) {
  ImportCounts counts;
  ImportOptions options;
  options.token = "not-the-token";
  absl::Status s = Import(GoodRows(), &counts, options);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  EXPECT_TRUE(registry_.records().empty());
}

TEST_F(ImporterTest, DryRunChecksRowsAndSendsNothing) {
  ImportCounts counts;
  ImportOptions options;
  options.dry_run = true;
  ASSERT_TRUE(
      Import(GoodRows() + "UM-X,zero,Bad,33.13,\n", &counts, options).ok());
  EXPECT_EQ(counts.rows, 11);
  EXPECT_EQ(counts.rejected, 1);
  EXPECT_EQ(counts.created, 0);
  EXPECT_EQ(registry_.batches(), 0);
}

}  // namespace
}  // namespace jalin::ctl
