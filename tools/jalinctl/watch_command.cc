// jalinctl watch <recipient>: follow a recipient's live notifications,
// reconnecting with the last cursor so that nothing is missed.

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/status/grpc_status.h"
#include "jalin/notification/v1/notification_service.grpc.pb.h"
#include "tools/jalinctl/channeling_report.h"
#include "tools/jalinctl/command.h"
#include "tools/jalinctl/connection.h"
#include "tools/jalinctl/output.h"
#include "tools/jalinctl/proto_format.h"
#include "tools/jalinctl/proto_text.h"

namespace jalin::ctl {
namespace {

// "recipients/enterprises~x" for "enterprises/x"; a "recipients/..." name
// stays as it is.
std::string RecipientParent(const std::string& recipient) {
  if (absl::StartsWith(recipient, "recipients/")) return recipient;
  return absl::StrCat("recipients/",
                      absl::StrReplaceAll(recipient, {{"/", "~"}}));
}

void PrintNotification(Io& io, const notification::v1::Notification& n,
                       OutputFormat format, Language language) {
  if (format == OutputFormat::kJson) {
    io.out << ToJson(n, /*pretty=*/false) << std::endl;
    return;
  }
  const bool id = language == Language::kIndonesian;
  const std::string& title =
      id && !n.title_id().empty() ? n.title_id() : n.title_en();
  const std::string& body =
      id && !n.body_id().empty() ? n.body_id() : n.body_en();
  io.out << FieldText(n, "create_time") << "  " << n.event_type() << "  "
         << title << "\n";
  if (!body.empty()) io.out << "    " << body << "\n";
  io.out << std::flush;
}

}  // namespace

int WatchCommand(const std::vector<std::string>& args, Io& io) {
  Connection conn;
  std::string cursor;
  std::string output = "table";
  std::string lang = "id";
  int64_t count = 0;
  absl::Duration duration = absl::ZeroDuration();
  bool reconnect = true;
  Config config(
      "jalinctl watch <recipient>",
      "prints a recipient's notifications as they arrive (an owner such as "
      "enterprises/01j... or clusters/01j..., or a user such as "
      "users/ani). With --cursor, first replays what came after it. When "
      "the connection drops it reconnects from the last notification seen. "
      "Stops after --count notifications or --duration, or with Ctrl-C.");
  conn.AddFlags(config);
  config.AddString("cursor", &cursor,
                   "resume after this cursor (printed with --output json)");
  config.AddString("output", &output, "table, or json (one object per line)");
  config.AddString("lang", &lang, "language of titles and bodies: id or en");
  config.AddInt("count", &count, "stop after this many; 0: never", 0);
  config.AddDuration("duration", &duration, "stop after this long; 0: never");
  config.AddBool("reconnect", &reconnect,
                 "reconnect when the stream breaks (false: exit 3)");
  std::vector<std::string> positional;
  if (auto code = ParseFlags(config, args, io, &positional)) return *code;
  absl::StatusOr<OutputFormat> format = ParseOutput(output);
  Language language;
  if (!format.ok() || !ParseLanguage(lang, &language)) {
    io.err << "jalinctl watch: "
           << (format.ok() ? "--lang: id or en" : format.status().message())
           << "\n";
    return kUsage;
  }
  if (positional.size() != 1) {
    io.err << "usage: jalinctl watch <recipient> (see --help)\n";
    return kUsage;
  }
  absl::StatusOr<std::string> token = conn.Token();
  if (!token.ok()) return UsageError(io, token.status());

  const absl::Time end = duration > absl::ZeroDuration()
                             ? io.clock->Now() + duration
                             : absl::InfiniteFuture();
  auto stub = notification::v1::NotificationService::NewStub(
      conn.Channel(conn.notification_address));
  notification::v1::SubscribeRequest request;
  request.set_parent(RecipientParent(positional[0]));
  int64_t seen = 0;
  absl::Duration backoff = absl::Milliseconds(250);
  while (true) {
    request.set_cursor(cursor);
    grpc::ClientContext ctx;
    // A long stream still has a deadline: the end of --duration, or a day,
    // after which it reconnects.
    const absl::Duration left =
        std::min(end - io.clock->Now(), absl::Hours(24));
    if (left <= absl::ZeroDuration()) return kOk;
    conn.Prepare(&ctx, *token, left);
    auto reader = stub->Subscribe(&ctx, request);
    notification::v1::Notification n;
    bool done = false;
    while (reader->Read(&n)) {
      backoff = absl::Milliseconds(250);
      if (!n.cursor().empty()) cursor = n.cursor();
      PrintNotification(io, n, *format, language);
      if (count > 0 && ++seen >= count) {
        done = true;
        ctx.TryCancel();
        break;
      }
    }
    absl::Status status = FromGrpcStatus(reader->Finish());
    if (done) return kOk;
    if (status.code() == absl::StatusCode::kDeadlineExceeded &&
        io.clock->Now() >= end) {
      return kOk;
    }
    const bool retry = status.ok() ||
                       status.code() == absl::StatusCode::kUnavailable ||
                       status.code() == absl::StatusCode::kDeadlineExceeded;
    if (!reconnect) return status.ok() ? kOk : ReportError(io, status);
    if (!retry) return ReportError(io, status);
    io.err << "stream ended (" << (status.ok() ? "closed" : status.message())
           << "); reconnecting from the last notification seen\n";
    absl::SleepFor(std::min(backoff, end - io.clock->Now()));
    backoff = std::min(backoff * 2, absl::Seconds(15));
  }
}

}  // namespace jalin::ctl
