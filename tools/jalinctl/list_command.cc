// jalinctl list <collection>: the resources of a collection, filtered by the
// fields of its List request.

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/jalinctl/command.h"
#include "tools/jalinctl/connection.h"
#include "tools/jalinctl/generic_call.h"
#include "tools/jalinctl/output.h"
#include "tools/jalinctl/progress.h"
#include "tools/jalinctl/request_flags.h"
#include "tools/jalinctl/resources.h"

namespace jalin::ctl {
namespace {

std::string Collections() {
  std::vector<std::string> names;
  for (const Resource& r : Resources()) names.push_back(r.collection);
  return absl::StrJoin(names, ", ");
}

}  // namespace

int ListCommand(const std::vector<std::string>& args, Io& io) {
  if (args.empty() || absl::StartsWith(args[0], "-")) {
    (args.empty() ? io.err : io.out)
        << "usage: jalinctl list <collection> [filters] [flags]\n"
           "collections: "
        << Collections()
        << "\n'jalinctl list <collection> --help' shows its filters.\n";
    return args.empty() ? kUsage : kOk;
  }
  const Resource* r = FindResource(args[0]);
  if (r == nullptr || absl::StrContains(args[0], '/')) {
    io.err << "jalinctl list: unknown collection \"" << args[0] << "\"; one of "
           << Collections() << "\n";
    return kUsage;
  }

  Connection conn;
  std::string output = "table";
  int64_t limit = 50;
  Config config(
      absl::StrCat("jalinctl list ", r->collection),
      absl::StrCat("lists ", r->collection, " (", r->list->full_name(),
                   "); filters are the request's fields"));
  conn.AddFlags(config);
  config.AddString("output", &output, "table or json");
  config.AddInt("limit", &limit, "at most this many; 0 for all", 0);
  std::vector<std::string> skip = {"page_size", "page_token"};
  for (const SettingInfo& s : config.settings()) skip.push_back(s.name);
  RequestFlags filters(r->list->input_type(), skip);
  filters.AddFlags(config);
  if (auto code = ParseFlags(
          config, std::vector<std::string>(args.begin() + 1, args.end()), io)) {
    return *code;
  }
  absl::StatusOr<OutputFormat> format = ParseOutput(output);
  if (!format.ok()) {
    io.err << "jalinctl list: " << format.status().message() << "\n";
    return kUsage;
  }
  std::unique_ptr<google::protobuf::Message> request =
      NewMessage(r->list->input_type());
  if (absl::Status s = filters.Apply(request.get()); !s.ok()) {
    io.err << "jalinctl list: " << s.message() << "\n";
    return kUsage;
  }
  absl::StatusOr<std::string> token = conn.Token();
  if (!token.ok()) return UsageError(io, token.status());

  const google::protobuf::Descriptor* req_type = request->GetDescriptor();
  const google::protobuf::FieldDescriptor* page_size =
      req_type->FindFieldByName("page_size");
  const google::protobuf::FieldDescriptor* page_token =
      req_type->FindFieldByName("page_token");
  const google::protobuf::Reflection* req_ref = request->GetReflection();
  std::shared_ptr<grpc::Channel> channel = conn.Channel(AddressOf(conn, *r));

  std::vector<std::unique_ptr<google::protobuf::Message>> items;
  std::string next;
  int64_t total = -1;
  while (true) {
    if (page_size != nullptr) {
      int64_t want =
          limit == 0 ? 1000
                     : std::min<int64_t>(
                           1000, limit - static_cast<int64_t>(items.size()));
      req_ref->SetInt32(request.get(), page_size, static_cast<int32_t>(want));
    }
    if (page_token != nullptr) {
      req_ref->SetString(request.get(), page_token, next);
    }
    grpc::ClientContext ctx;
    conn.Prepare(&ctx, *token);
    auto response = CallUnary(channel, r->list, *request, &ctx);
    if (!response.ok()) return ReportError(io, response.status());
    const google::protobuf::Message& resp = **response;
    const google::protobuf::Reflection* resp_ref = resp.GetReflection();
    for (int i = 0; i < resp_ref->FieldSize(resp, r->list_field); ++i) {
      if (limit > 0 && static_cast<int64_t>(items.size()) >= limit) break;
      const google::protobuf::Message& item =
          resp_ref->GetRepeatedMessage(resp, r->list_field, i);
      items.emplace_back(item.New());
      items.back()->CopyFrom(item);
    }
    if (const auto* f = resp.GetDescriptor()->FindFieldByName("total_size")) {
      total = resp_ref->GetInt32(resp, f);
    }
    next.clear();
    if (const auto* f =
            resp.GetDescriptor()->FindFieldByName("next_page_token")) {
      next = resp_ref->GetString(resp, f);
    }
    if (next.empty() || page_token == nullptr ||
        (limit > 0 && static_cast<int64_t>(items.size()) >= limit)) {
      break;
    }
  }
  PrintMessages(io.out, items, r->columns, *format);
  if (*format == OutputFormat::kTable) {
    if (total > static_cast<int64_t>(items.size())) {
      io.err << "(" << WithThousands(static_cast<int64_t>(items.size()))
             << " of " << WithThousands(total) << "; --limit 0 lists all)\n";
    } else if (!next.empty()) {
      io.err << "(first " << WithThousands(static_cast<int64_t>(items.size()))
             << "; --limit 0 lists all)\n";
    }
  }
  return kOk;
}

}  // namespace jalin::ctl
