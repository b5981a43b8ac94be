// jalinctl match <listing>: the best counterparts of a listing.

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/grpc_status.h"
#include "jalin/matching/v1/matching_service.grpc.pb.h"
#include "tools/jalinctl/channeling_report.h"
#include "tools/jalinctl/command.h"
#include "tools/jalinctl/connection.h"
#include "tools/jalinctl/output.h"
#include "tools/jalinctl/proto_format.h"
#include "tools/jalinctl/proto_text.h"
#include "tools/jalinctl/table.h"

namespace jalin::ctl {

int MatchCommand(const std::vector<std::string>& args, Io& io) {
  Connection conn;
  std::string output = "table";
  std::string lang = "id";
  std::string regions;
  int64_t top_k = 10;
  double radius_km = 0;
  Config config("jalinctl match <listing>",
                "the best counterparts of a listing (offers for a need, "
                "needs for an offer), each with its score and reason. "
                "Example: jalinctl match listings/01j... --regions 33");
  conn.AddFlags(config);
  config.AddString("output", &output, "table or json");
  config.AddString("lang", &lang, "language of the reasons: id or en");
  config.AddInt("top_k", &top_k, "how many", 1, 200);
  config.AddDouble("radius_km", &radius_km,
                   "only counterparts this close; 0: the listing's own "
                   "radius",
                   0, 10000);
  config.AddString("regions", &regions,
                   "only counterparts in these regions or provinces, "
                   "comma-separated: 33,35.78");
  std::vector<std::string> positional;
  if (auto code = ParseFlags(config, args, io, &positional)) return *code;
  absl::StatusOr<OutputFormat> format = ParseOutput(output);
  Language language;
  if (!format.ok() || !ParseLanguage(lang, &language)) {
    io.err << "jalinctl match: "
           << (format.ok() ? "--lang: id or en" : format.status().message())
           << "\n";
    return kUsage;
  }
  if (positional.size() != 1) {
    io.err << "usage: jalinctl match <listing> (see --help)\n";
    return kUsage;
  }
  absl::StatusOr<std::string> token = conn.Token();
  if (!token.ok()) return UsageError(io, token.status());

  matching::v1::FindMatchesRequest request;
  request.set_listing(positional[0].find('/') == std::string::npos
                          ? absl::StrCat("listings/", positional[0])
                          : positional[0]);
  request.set_top_k(static_cast<int32_t>(top_k));
  request.set_radius_km(radius_km);
  for (absl::string_view r : absl::StrSplit(regions, ',', absl::SkipEmpty())) {
    request.add_regions(RegionName(r));
  }
  matching::v1::FindMatchesResponse response;
  auto stub = matching::v1::MatchingService::NewStub(
      conn.Channel(conn.matching_address));
  grpc::ClientContext ctx;
  conn.Prepare(&ctx, *token);
  grpc::Status status = stub->FindMatches(&ctx, request, &response);
  if (!status.ok()) return ReportError(io, FromGrpcStatus(status));

  if (*format == OutputFormat::kJson) {
    io.out << ToJson(response, /*pretty=*/true) << "\n";
    return kOk;
  }
  if (response.matches().empty()) {
    io.out << "no counterpart found for " << request.listing() << "\n";
    return kOk;
  }
  Table table({"#", "score", "listing", "kind", "title", "owner", "region",
               "km", "reason"});
  for (int i = 0; i < response.matches_size(); ++i) {
    const matching::v1::Match& m = response.matches(i);
    const std::string reason =
        language == Language::kIndonesian && !m.reason().id().empty()
            ? m.reason().id()
            : m.reason().en();
    table.AddRow({absl::StrCat(i + 1), FieldText(m, "score"),
                  m.listing().name(), FieldText(m.listing(), "kind"),
                  m.listing().title(),
                  m.listing().owner_profile().display_name().empty()
                      ? m.listing().owner()
                      : m.listing().owner_profile().display_name(),
                  ShortRegion(m.listing().region()),
                  FieldText(m, "distance_km"), reason});
  }
  table.Print(io.out, /*max_width=*/60);
  return kOk;
}

}  // namespace jalin::ctl
