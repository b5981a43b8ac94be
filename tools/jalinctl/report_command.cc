// jalinctl report channeling --from 33.11 --to 33.13: every cooperation
// opportunity between two regions, in both directions.

#include "absl/strings/str_cat.h"
#include "common/status/grpc_status.h"
#include "jalin/matching/v1/matching_service.grpc.pb.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "tools/jalinctl/channeling_report.h"
#include "tools/jalinctl/command.h"
#include "tools/jalinctl/connection.h"
#include "tools/jalinctl/output.h"
#include "tools/jalinctl/proto_format.h"
#include "tools/jalinctl/proto_text.h"

namespace jalin::ctl {
namespace {

// The region's display name from the registry, or empty (the report still
// prints, with codes).
std::string DisplayName(const Connection& conn, const std::string& token,
                        const std::string& region) {
  auto stub = registry::v1::RegistryService::NewStub(
      conn.Channel(conn.registry_address));
  registry::v1::GetRegionRequest request;
  request.set_name(region);
  registry::v1::Region response;
  grpc::ClientContext ctx;
  conn.Prepare(&ctx, token, absl::Seconds(5));
  if (!stub->GetRegion(&ctx, request, &response).ok()) return "";
  return response.display_name();
}

}  // namespace

int ReportCommand(const std::vector<std::string>& args, Io& io) {
  Connection conn;
  std::string from;
  std::string to;
  std::string output = "table";
  std::string lang = "id";
  int64_t max_per_pair = 0;
  Config config(
      "jalinctl report channeling",
      "the channeling report between two regions: every opportunity in both "
      "directions (offers that meet needs, and clusters whose sectors "
      "complement each other), grouped by cluster pair. Example: jalinctl "
      "report channeling --from 33.11 --to 33.13 --output markdown");
  conn.AddFlags(config);
  config.AddString("from", &from, "the first region, a kabupaten: 33.11");
  config.AddString("to", &to,
                   "the second region: a kabupaten (33.13) or a province (33)");
  config.AddString("output", &output,
                   "table, json, or markdown (minutes of the meeting)");
  config.AddString("lang", &lang, "language of the texts: id or en");
  config.AddInt("max_per_pair", &max_per_pair,
                "most opportunities per cluster pair; 0: the service's "
                "default",
                0, 1000);
  std::vector<std::string> positional;
  if (auto code = ParseFlags(config, args, io, &positional)) return *code;
  if (positional.size() != 1 || positional[0] != "channeling") {
    io.err << "usage: jalinctl report channeling --from <region> --to "
              "<region> (see --help)\n";
    return kUsage;
  }
  absl::StatusOr<OutputFormat> format = ParseOutput(output, true);
  Language language;
  if (!format.ok() || !ParseLanguage(lang, &language)) {
    io.err << "jalinctl report: "
           << (format.ok() ? "--lang: id or en" : format.status().message())
           << "\n";
    return kUsage;
  }
  if (from.empty() || to.empty()) {
    io.err << "jalinctl report: --from and --to are required\n";
    return kUsage;
  }
  absl::StatusOr<std::string> token = conn.Token();
  if (!token.ok()) return UsageError(io, token.status());

  matching::v1::GenerateChannelingReportRequest request;
  request.set_region_a(RegionName(from));
  request.set_region_b(RegionName(to));
  request.set_max_per_pair(static_cast<int32_t>(max_per_pair));
  matching::v1::ChannelingReport report;
  auto stub = matching::v1::MatchingService::NewStub(
      conn.Channel(conn.matching_address));
  grpc::ClientContext ctx;
  conn.Prepare(&ctx, *token);
  grpc::Status status = stub->GenerateChannelingReport(&ctx, request, &report);
  if (!status.ok()) return ReportError(io, FromGrpcStatus(status));

  if (*format == OutputFormat::kJson) {
    io.out << ToJson(report, /*pretty=*/true) << "\n";
    return kOk;
  }
  RegionNames names{DisplayName(conn, *token, report.region_a()),
                    DisplayName(conn, *token, report.region_b())};
  if (*format == OutputFormat::kMarkdown) {
    PrintReportMarkdown(io.out, report, names, language);
  } else {
    PrintReportTable(io.out, report, names, language);
  }
  return kOk;
}

}  // namespace jalin::ctl
