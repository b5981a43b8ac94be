// jalinctl get <name>: one resource of any service, by resource name.

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/jalinctl/command.h"
#include "tools/jalinctl/connection.h"
#include "tools/jalinctl/generic_call.h"
#include "tools/jalinctl/output.h"
#include "tools/jalinctl/resources.h"

namespace jalin::ctl {

int GetCommand(const std::vector<std::string>& args, Io& io) {
  Connection conn;
  std::string output = "table";
  std::vector<std::string> getters;
  for (const Resource& r : Resources()) {
    if (r.get != nullptr) getters.push_back(r.collection);
  }
  Config config(
      "jalinctl get <name>",
      absl::StrCat("shows one resource, e.g. 'jalinctl get clusters/01j...' "
                   "or 'jalinctl get regions/33.13'. Collections: ",
                   absl::StrJoin(getters, ", ")));
  conn.AddFlags(config);
  config.AddString("output", &output, "table or json");
  std::vector<std::string> names;
  if (auto code = ParseFlags(config, args, io, &names)) return *code;
  absl::StatusOr<OutputFormat> format = ParseOutput(output);
  if (!format.ok()) {
    io.err << "jalinctl get: " << format.status().message() << "\n";
    return kUsage;
  }
  if (names.empty()) {
    io.err << "jalinctl get: name the resource, e.g. clusters/01j... (see "
              "--help)\n";
    return kUsage;
  }
  absl::StatusOr<std::string> token = conn.Token();
  if (!token.ok()) return UsageError(io, token.status());

  int exit_code = kOk;
  for (const std::string& name : names) {
    const Resource* r = FindResource(name);
    if (r == nullptr || r->get == nullptr ||
        name.find('/') == std::string::npos) {
      io.err << "jalinctl get: \"" << name
             << "\" is not the name of a resource jalinctl can get; "
                "collections: "
             << absl::StrJoin(getters, ", ") << "\n";
      return kUsage;
    }
    std::unique_ptr<google::protobuf::Message> request =
        NewMessage(r->get->input_type());
    const google::protobuf::FieldDescriptor* field =
        request->GetDescriptor()->FindFieldByName("name");
    if (field == nullptr) {
      io.err << "jalinctl get: " << r->get->full_name() << " takes no name\n";
      return kUsage;
    }
    request->GetReflection()->SetString(request.get(), field, name);
    grpc::ClientContext ctx;
    conn.Prepare(&ctx, *token);
    auto response =
        CallUnary(conn.Channel(AddressOf(conn, *r)), r->get, *request, &ctx);
    if (!response.ok()) {
      exit_code = ReportError(io, response.status());
      continue;
    }
    PrintMessage(io.out, **response, *format);
    if (names.size() > 1 && *format == OutputFormat::kTable) io.out << "\n";
  }
  return exit_code;
}

}  // namespace jalin::ctl
