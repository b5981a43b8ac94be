#include "tools/jalinctl/error_text.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace jalin::ctl {

std::vector<std::string> ErrorLines(const absl::Status& status) {
  std::vector<std::string> lines = {
      absl::StrCat(StatusCodeName(status.code()), ": ", status.message())};
  if (auto bad = GetBadRequest(status)) {
    for (const auto& v : bad->field_violations()) {
      lines.push_back(absl::StrCat(v.field(), ": ", v.description()));
    }
  }
  return lines;
}

std::string OneLineError(const absl::Status& status) {
  std::string out =
      absl::StrCat(StatusCodeName(status.code()), ": ", status.message());
  // Violations the message does not already state (services often repeat
  // the first one in the message).
  std::vector<std::string> more;
  if (auto bad = GetBadRequest(status)) {
    for (const auto& v : bad->field_violations()) {
      if (!absl::StrContains(status.message(), v.description())) {
        more.push_back(absl::StrCat(v.field(), ": ", v.description()));
      }
    }
  }
  if (!more.empty())
    absl::StrAppend(&out, " (", absl::StrJoin(more, "; "), ")");
  return out;
}

}  // namespace jalin::ctl
