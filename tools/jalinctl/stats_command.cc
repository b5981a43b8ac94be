// jalinctl stats: what the registry holds, in total and broken down.

#include "absl/strings/str_split.h"
#include "common/status/grpc_status.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "tools/jalinctl/command.h"
#include "tools/jalinctl/connection.h"
#include "tools/jalinctl/output.h"
#include "tools/jalinctl/progress.h"
#include "tools/jalinctl/proto_format.h"
#include "tools/jalinctl/proto_text.h"
#include "tools/jalinctl/table.h"

namespace jalin::ctl {
namespace {

using registry::v1::Counts;
using registry::v1::GetStatisticsRequest;

std::vector<std::string> CountCells(const Counts& c) {
  return {WithThousands(c.enterprises()),     WithThousands(c.clusters()),
          WithThousands(c.cluster_members()), WithThousands(c.partners()),
          WithThousands(c.open_offers()),     WithThousands(c.open_needs())};
}

}  // namespace

int StatsCommand(const std::vector<std::string>& args, Io& io) {
  Connection conn;
  std::string region;
  std::string group_by;
  std::string output = "table";
  Config config("jalinctl stats",
                "counts of UMKM, clusters, partners, open offers and needs "
                "in a region, optionally broken down. Example: jalinctl stats "
                "--region 33 --group_by region");
  conn.AddFlags(config);
  config.AddString("region", &region,
                   "a province (33) or kabupaten (33.13); empty: everywhere");
  config.AddString(
      "group_by", &group_by,
      "comma-separated breakdowns: " +
          EnumChoices(GetStatisticsRequest::Dimension_descriptor()));
  config.AddString("output", &output, "table or json");
  if (auto code = ParseFlags(config, args, io)) return *code;
  absl::StatusOr<OutputFormat> format = ParseOutput(output);
  if (!format.ok()) {
    io.err << "jalinctl stats: " << format.status().message() << "\n";
    return kUsage;
  }
  GetStatisticsRequest request;
  request.set_region(RegionName(region));
  for (absl::string_view d : absl::StrSplit(group_by, ',', absl::SkipEmpty())) {
    std::optional<int> v =
        ParseEnum(GetStatisticsRequest::Dimension_descriptor(), d);
    if (!v) {
      io.err << "jalinctl stats: --group_by: \"" << d << "\" is not one of "
             << EnumChoices(GetStatisticsRequest::Dimension_descriptor())
             << "\n";
      return kUsage;
    }
    request.add_group_by(static_cast<GetStatisticsRequest::Dimension>(*v));
  }
  absl::StatusOr<std::string> token = conn.Token();
  if (!token.ok()) return UsageError(io, token.status());
  auto stub = registry::v1::RegistryService::NewStub(
      conn.Channel(conn.registry_address));
  registry::v1::Statistics stats;
  grpc::ClientContext ctx;
  conn.Prepare(&ctx, *token);
  grpc::Status status = stub->GetStatistics(&ctx, request, &stats);
  if (!status.ok()) return ReportError(io, FromGrpcStatus(status));
  if (*format == OutputFormat::kJson) {
    PrintMessage(io.out, stats, OutputFormat::kJson);
    return kOk;
  }
  const std::vector<std::string> headers = {
      "UMKM",     "clusters",    "cluster members",
      "partners", "open offers", "open needs"};
  std::vector<std::string> total_headers = {""};
  total_headers.insert(total_headers.end(), headers.begin(), headers.end());
  Table total(total_headers);
  std::vector<std::string> cells = {region.empty() ? "total" : region};
  for (std::string& c : CountCells(stats.total())) cells.push_back(c);
  total.AddRow(cells);
  total.Print(io.out);
  for (const auto& breakdown : stats.breakdowns()) {
    std::vector<std::string> h = {
        FormatEnum(GetStatisticsRequest::Dimension_descriptor(),
                   breakdown.dimension()),
        "name"};
    h.insert(h.end(), headers.begin(), headers.end());
    Table table(h);
    for (const auto& bucket : breakdown.buckets()) {
      std::vector<std::string> row = {bucket.key(), bucket.display_name()};
      for (std::string& c : CountCells(bucket.counts())) row.push_back(c);
      table.AddRow(row);
    }
    io.out << "\n";
    table.Print(io.out);
  }
  return kOk;
}

}  // namespace jalin::ctl
