// Scenario "import": what jalinctl's import adds on top of the registry's
// ImportRecords stream, and how fast the generator writes data.
//
// Data: jalin-datagen's records for ten kabupaten of Jawa Tengah at scale
// 1 x --scale (about 3,000 records at --scale 1), written to CSV files
// (timed: generator throughput).
//
// Measured: `jalinctl import` of those files (the command's own code,
// in-process: CSV reading, column mapping, batching, answers, rejected-row
// handling) into a fresh registry.
//
// Baseline, same run: the same records, read into memory beforehand, sent
// as ImportRecords batches of the same size with the same window into
// another fresh registry.
//
// Goal: jalinctl's throughput is at least 0.8 of the raw stream's.

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/regions/region_table.h"
#include "common/rpc/client.h"
#include "common/testing/suite.h"
#include "common/testing/temp_dir.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "tools/bench/bench.h"
#include "tools/datagen/generator.h"
#include "tools/datagen/record_sink.h"
#include "tools/jalinctl/command.h"

namespace jalin::bench {
namespace {

constexpr int kBatch = 200;
constexpr int kWindow = 4;

// Keeps the records for the baseline, in import order.
class MemorySink final : public datagen::RecordSink {
 public:
  absl::Status Write(ctl::RecordType type,
                     const registry::v1::ImportRecord& record) override {
    records[ctl::ImportOrder(type)].push_back(record);
    return absl::OkStatus();
  }
  std::vector<registry::v1::ImportRecord> records[4];
};

// Writes to both sinks.
class TeeSink final : public datagen::RecordSink {
 public:
  TeeSink(datagen::RecordSink* a, datagen::RecordSink* b) : a_(a), b_(b) {}
  absl::Status Write(ctl::RecordType type,
                     const registry::v1::ImportRecord& record) override {
    absl::Status s = a_->Write(type, record);
    return s.ok() ? b_->Write(type, record) : s;
  }

 private:
  datagen::RecordSink* const a_;
  datagen::RecordSink* const b_;
};

// The build directory, from this binary's path
// (<build>/tools/bench/jalin-bench).
std::string BinaryDir() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  std::string path(buf, n > 0 ? n : 0);
  for (int i = 0; i < 3; ++i) path = path.substr(0, path.rfind('/'));
  return path;
}

// Streams every record with a window of batches in flight.
absl::Status RawImport(const std::string& address, const std::string& token,
                       const MemorySink& data, int64_t* stored) {
  auto stub = registry::v1::RegistryService::NewStub(rpc::MakeChannel(address));
  for (const auto& records : data.records) {
    grpc::ClientContext ctx;
    rpc::PrepareContext(&ctx, absl::Hours(1), token);
    auto stream = stub->ImportRecords(&ctx);
    int in_flight = 0;
    registry::v1::ImportRecordsResponse response;
    auto read_one = [&]() -> bool {
      if (!stream->Read(&response)) return false;
      --in_flight;
      *stored += response.created() + response.updated() + response.unchanged();
      return true;
    };
    registry::v1::ImportRecordsRequest request;
    int batch = 0;
    for (size_t i = 0; i < records.size(); ++i) {
      *request.add_records() = records[i];
      if (request.records_size() == kBatch || i + 1 == records.size()) {
        request.set_batch_id(absl::StrCat("b", ++batch));
        if (!stream->Write(request)) break;
        request.Clear();
        if (++in_flight >= kWindow && !read_one()) break;
      }
    }
    stream->WritesDone();
    while (in_flight > 0 && read_one()) {
    }
    grpc::Status s = stream->Finish();
    if (!s.ok()) return absl::UnavailableError(s.error_message());
  }
  return absl::OkStatus();
}

// An admin token that names a source system, as imports need.
std::string ImportToken(const testing::Suite& suite) {
  auth::Principal p;
  p.subject = "systems/bench";
  p.role = auth::Role::kAdmin;
  p.source_system = "bench";
  return suite.Token(p);
}

int Run(const Args& args) {
  const char* env_data = std::getenv("JALIN_DATA_DIR");
  const std::string data_dir = env_data != nullptr ? env_data : "data";
  auto taxonomy = datagen::Taxonomy::Load(data_dir + "/taxonomy");
  auto regions = regions::RegionTable::Load(data_dir + "/regions.csv");
  if (!taxonomy.ok() || !regions.ok()) {
    std::cerr << "import: run from the repository root or set "
                 "JALIN_DATA_DIR: "
              << (taxonomy.ok() ? regions.status() : taxonomy.status()) << "\n";
    return 2;
  }
  testing::TempDir dir;
  datagen::GeneratorOptions options;
  options.scale = args.scale;
  // Certificates valid by the registry's clock: no row is refused.
  options.as_of = datagen::DefaultAsOf(absl::Now());
  for (int i = 1; i <= 10; ++i) {
    options.regions.push_back(absl::StrFormat("33.%02d", i));
  }
  auto files = datagen::FileSink::Open(dir.File("data"), ctl::FileFormat::kCsv);
  if (!files.ok()) {
    std::cerr << files.status() << "\n";
    return 2;
  }
  MemorySink memory;
  datagen::GeneratorCounts counts;
  {
    // Generator throughput to disk alone.
    auto timed =
        datagen::FileSink::Open(dir.File("timed"), ctl::FileFormat::kCsv);
    if (!timed.ok()) return 2;
    const absl::Time start = absl::Now();
    datagen::GeneratorCounts c;
    if (!datagen::Generator(&*taxonomy, &*regions, options)
             .Run(timed->get(), &c)
             .ok() ||
        !(*timed)->Close().ok()) {
      return 2;
    }
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    Print("datagen_records_per_second",
          (c.clusters + c.partners + c.enterprises + c.listings) / seconds,
          "records/s");
  }
  TeeSink tee(files->get(), &memory);
  if (!datagen::Generator(&*taxonomy, &*regions, options)
           .Run(&tee, &counts)
           .ok() ||
      !(*files)->Close().ok()) {
    return 2;
  }
  const int64_t total =
      counts.clusters + counts.partners + counts.enterprises + counts.listings;
  Print("records", total, "records");

  const std::string bin = BinaryDir();
  const std::vector<std::string> env = {"JALIN_DATA_DIR=" + data_dir,
                                        "JALIN_STORE_SYNC=full"};
  testing::Suite raw_suite(bin), cli_suite(bin);
  for (testing::Suite* s : {&raw_suite, &cli_suite}) {
    absl::Status started = s->Start({"registry"}, {{"registry", env}});
    if (!started.ok()) {
      std::cerr << started << "\n";
      return 2;
    }
  }

  // Baseline: the raw stream.
  int64_t stored = 0;
  absl::Time start = absl::Now();
  absl::Status raw = RawImport(raw_suite.address("registry"),
                               ImportToken(raw_suite), memory, &stored);
  const double raw_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (!raw.ok()) {
    std::cerr << "raw import: " << raw << "\n";
    return 2;
  }
  const double raw_rate = total / raw_seconds;
  Print("raw_stream_records_per_second", raw_rate, "records/s");
  Print("raw_stream_stored", stored, "records");

  // jalinctl import, in-process.
  std::ostringstream out, err;
  ctl::Io io{out, err};
  const std::vector<std::string> cli = {
      "import",
      dir.File("data/clusters.csv"),
      dir.File("data/partners.csv"),
      dir.File("data/enterprises.csv"),
      dir.File("data/listings.csv"),
      absl::StrCat("--batch_size=", kBatch),
      absl::StrCat("--window=", kWindow),
      "--progress=none",
      "--output=json",
      "--registry_address=" + cli_suite.address("registry"),
      "--token=" + ImportToken(cli_suite)};
  start = absl::Now();
  const int code = ctl::RunJalinctl(cli, io);
  const double cli_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (code != 0 && code != ctl::kPartial) {
    std::cerr << "jalinctl import exited " << code << ": " << err.str() << "\n";
    return 2;
  }
  const double cli_rate = total / cli_seconds;
  Print("jalinctl_import_records_per_second", cli_rate, "records/s");
  Print("jalinctl_import_exit_code", code, "");
  return PrintRatio(cli_rate / raw_rate, 0.8);
}

JALIN_BENCH_SCENARIO(kImport, "import",
                     "jalinctl import vs the raw ImportRecords stream "
                     "(~3,000 records x scale of jalin-datagen)",
                     Run);

}  // namespace
}  // namespace jalin::bench
