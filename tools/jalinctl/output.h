// The --output flag and how resources print: a table (a list) or
// "field  value" lines (one resource), or JSON for scripts.

#ifndef TOOLS_JALINCTL_OUTPUT_H_
#define TOOLS_JALINCTL_OUTPUT_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace jalin::ctl {

enum class OutputFormat { kTable, kJson, kMarkdown };

// "table", "json" or (when `markdown_ok`) "markdown"; INVALID_ARGUMENT
// naming the choices otherwise.
absl::StatusOr<OutputFormat> ParseOutput(const std::string& text,
                                         bool markdown_ok = false);

// One resource: aligned "field  value" lines (table) or indented JSON.
void PrintMessage(std::ostream& out, const google::protobuf::Message& message,
                  OutputFormat format);

// Several resources: a table of `columns` (field paths) or a JSON array.
void PrintMessages(
    std::ostream& out,
    const std::vector<std::unique_ptr<google::protobuf::Message>>& messages,
    const std::vector<std::string>& columns, OutputFormat format);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_OUTPUT_H_
