#include "tools/jalinctl/output.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/validation/validators.h"
#include "tools/jalinctl/proto_format.h"
#include "tools/jalinctl/table.h"

namespace jalin::ctl {

absl::StatusOr<OutputFormat> ParseOutput(const std::string& text,
                                         bool markdown_ok) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "json") return OutputFormat::kJson;
  if (text == "markdown" && markdown_ok) return OutputFormat::kMarkdown;
  return absl::InvalidArgumentError(
      absl::StrCat("--output=", text, ": one of table, json",
                   markdown_ok ? ", markdown" : ""));
}

void PrintMessage(std::ostream& out, const google::protobuf::Message& message,
                  OutputFormat format) {
  if (format == OutputFormat::kJson) {
    out << ToJson(message, /*pretty=*/true) << "\n";
    return;
  }
  std::vector<std::pair<std::string, std::string>> fields =
      FlattenFields(message);
  size_t width = 0;
  for (const auto& [path, text] : fields) {
    width = std::max(width, validation::Utf8Length(path));
  }
  for (const auto& [path, text] : fields) {
    out << path << std::string(width - validation::Utf8Length(path) + 2, ' ')
        << text << "\n";
  }
}

void PrintMessages(
    std::ostream& out,
    const std::vector<std::unique_ptr<google::protobuf::Message>>& messages,
    const std::vector<std::string>& columns, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    out << "[";
    for (size_t i = 0; i < messages.size(); ++i) {
      out << (i == 0 ? "\n" : ",\n") << ToJson(*messages[i], /*pretty=*/true);
    }
    out << (messages.empty() ? "]\n" : "\n]\n");
    return;
  }
  Table table(columns);
  for (const auto& m : messages) {
    std::vector<std::string> cells;
    for (const std::string& c : columns) cells.push_back(FieldText(*m, c));
    table.AddRow(std::move(cells));
  }
  table.Print(out);
}

}  // namespace jalin::ctl
