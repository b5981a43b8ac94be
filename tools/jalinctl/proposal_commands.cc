// jalinctl propose / accept / decline / outcome: the proposal lifecycle.

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/status/grpc_status.h"
#include "jalin/matching/v1/matching_service.grpc.pb.h"
#include "tools/jalinctl/command.h"
#include "tools/jalinctl/connection.h"
#include "tools/jalinctl/output.h"
#include "tools/jalinctl/proto_text.h"

namespace jalin::ctl {
namespace {

using matching::v1::MatchingService;
using matching::v1::Proposal;

std::string ProposalName(const std::string& text) {
  return text.find('/') == std::string::npos ? absl::StrCat("proposals/", text)
                                             : text;
}

std::string ListingName(const std::string& text) {
  return text.empty() || text.find('/') != std::string::npos
             ? text
             : absl::StrCat("listings/", text);
}

// Prints the proposal the service answered with, or the error.
int Finish(Io& io, const grpc::Status& status, const Proposal& proposal,
           OutputFormat format) {
  if (!status.ok()) return ReportError(io, FromGrpcStatus(status));
  PrintMessage(io.out, proposal, format);
  return kOk;
}

// Flags every proposal command shares.
struct Common {
  Connection conn;
  std::string output = "table";
  std::string request_id;

  void AddFlags(Config& config) {
    conn.AddFlags(config);
    config.AddString("output", &output, "table or json");
    config.AddString("request_id", &request_id,
                     "idempotency key: a retry with the same id has no "
                     "second effect (default: a new id)");
  }

  // The output format, token and a stub; an exit code on failure.
  std::optional<int> Prepare(Io& io, const char* command, OutputFormat* format,
                             std::string* token,
                             std::unique_ptr<MatchingService::Stub>* stub) {
    absl::StatusOr<OutputFormat> f = ParseOutput(output);
    if (!f.ok()) {
      io.err << "jalinctl " << command << ": " << f.status().message() << "\n";
      return kUsage;
    }
    *format = *f;
    absl::StatusOr<std::string> t = conn.Token();
    if (!t.ok()) return UsageError(io, t.status());
    *token = *t;
    if (request_id.empty()) request_id = NewUlid();
    *stub = MatchingService::NewStub(conn.Channel(conn.matching_address));
    return std::nullopt;
  }
};

int Answer(const std::vector<std::string>& args, Io& io, bool accept) {
  const char* command = accept ? "accept" : "decline";
  Common common;
  std::string party;
  std::string comment;
  std::string etag;
  Config config(
      absl::StrCat("jalinctl ", command, " <proposal>"),
      absl::StrCat(accept ? "accepts" : "declines",
                   " a proposal for one of its parties (the supplier or the "
                   "buyer); the caller's token decides which side it may "
                   "answer for"));
  common.AddFlags(config);
  config.AddString("party", &party,
                   "the side answering, when the token may answer for both: "
                   "the owner's name (clusters/..., enterprises/..., "
                   "partners/...)");
  config.AddString("comment", &comment, "a note to the other side");
  config.AddString("etag", &etag,
                   "answer only if the proposal has not changed since");
  std::vector<std::string> positional;
  if (auto code = ParseFlags(config, args, io, &positional)) return *code;
  if (positional.size() != 1) {
    io.err << "usage: jalinctl " << command << " <proposal> (see --help)\n";
    return kUsage;
  }
  OutputFormat format;
  std::string token;
  std::unique_ptr<MatchingService::Stub> stub;
  if (auto code = common.Prepare(io, command, &format, &token, &stub)) {
    return *code;
  }
  matching::v1::AnswerProposalRequest request;
  request.set_name(ProposalName(positional[0]));
  request.set_party(party);
  request.set_comment(comment);
  request.set_etag(etag);
  request.set_request_id(common.request_id);
  Proposal proposal;
  grpc::ClientContext ctx;
  common.conn.Prepare(&ctx, token);
  grpc::Status status = accept
                            ? stub->AcceptProposal(&ctx, request, &proposal)
                            : stub->DeclineProposal(&ctx, request, &proposal);
  return Finish(io, status, proposal, format);
}

}  // namespace

int ProposeCommand(const std::vector<std::string>& args, Io& io) {
  Common common;
  std::string offer;
  std::string need;
  std::string note;
  Config config("jalinctl propose",
                "proposes a cooperation between an offer and a need; both "
                "owners are asked to accept. Example: jalinctl propose "
                "--offer listings/01j... --need listings/01k...");
  common.AddFlags(config);
  config.AddString("offer", &offer, "the offer listing (required)");
  config.AddString("need", &need, "the need listing (required)");
  config.AddString("note", &note, "a note to both parties");
  if (auto code = ParseFlags(config, args, io)) return *code;
  if (offer.empty() || need.empty()) {
    io.err << "jalinctl propose: --offer and --need are required\n";
    return kUsage;
  }
  OutputFormat format;
  std::string token;
  std::unique_ptr<MatchingService::Stub> stub;
  if (auto code = common.Prepare(io, "propose", &format, &token, &stub)) {
    return *code;
  }
  matching::v1::CreateProposalRequest request;
  request.mutable_proposal()->set_offer_listing(ListingName(offer));
  request.mutable_proposal()->set_need_listing(ListingName(need));
  request.mutable_proposal()->set_note(note);
  request.set_request_id(common.request_id);
  Proposal proposal;
  grpc::ClientContext ctx;
  common.conn.Prepare(&ctx, token);
  return Finish(io, stub->CreateProposal(&ctx, request, &proposal), proposal,
                format);
}

int AcceptCommand(const std::vector<std::string>& args, Io& io) {
  return Answer(args, io, /*accept=*/true);
}

int DeclineCommand(const std::vector<std::string>& args, Io& io) {
  return Answer(args, io, /*accept=*/false);
}

int OutcomeCommand(const std::vector<std::string>& args, Io& io) {
  Common common;
  std::string volume;
  int64_t value = 0;
  std::string deal_date;
  std::string note;
  Config config("jalinctl outcome <proposal>",
                "records what came of an agreed proposal: volume traded, "
                "value and date. Example: jalinctl outcome proposals/01j... "
                "--volume \"2 ton/month\" --value 30000000 --deal_date "
                "2025-03-01");
  common.AddFlags(config);
  config.AddString("volume", &volume,
                   "amount, unit and optional period: \"2 TON/MONTH\", "
                   "\"500 kg\"");
  config.AddInt("value", &value, "value of the deal in rupiah", 0);
  config.AddString("deal_date", &deal_date, "when it was closed: YYYY-MM-DD");
  config.AddString("note", &note, "free text");
  std::vector<std::string> positional;
  if (auto code = ParseFlags(config, args, io, &positional)) return *code;
  if (positional.size() != 1) {
    io.err << "usage: jalinctl outcome <proposal> (see --help)\n";
    return kUsage;
  }
  matching::v1::RecordOutcomeRequest request;
  request.set_name(ProposalName(positional[0]));
  matching::v1::Outcome* outcome = request.mutable_outcome();
  if (!volume.empty() && !ParseQuantity(volume, outcome->mutable_volume())) {
    io.err << "jalinctl outcome: --volume=" << volume
           << ": not an amount with a unit and optional period (\"2 "
              "TON/MONTH\")\n";
    return kUsage;
  }
  if (value > 0) outcome->mutable_value()->set_amount(value);
  if (!deal_date.empty() &&
      !ParseDate(deal_date, outcome->mutable_deal_date())) {
    io.err << "jalinctl outcome: --deal_date=" << deal_date
           << ": not a date (YYYY-MM-DD)\n";
    return kUsage;
  }
  outcome->set_note(note);
  OutputFormat format;
  std::string token;
  std::unique_ptr<MatchingService::Stub> stub;
  if (auto code = common.Prepare(io, "outcome", &format, &token, &stub)) {
    return *code;
  }
  request.set_request_id(common.request_id);
  Proposal proposal;
  grpc::ClientContext ctx;
  common.conn.Prepare(&ctx, token);
  return Finish(io, stub->RecordOutcome(&ctx, request, &proposal), proposal,
                format);
}

}  // namespace jalin::ctl
