#include "tools/jalinctl/import/rejected_rows.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/csv/csv.h"
#include "nlohmann/json.hpp"

namespace jalin::ctl {

std::string DefaultRejectedPath(absl::string_view input_path) {
  const size_t slash = input_path.rfind('/');
  const size_t dot = input_path.rfind('.');
  if (dot == absl::string_view::npos ||
      (slash != absl::string_view::npos && dot < slash)) {
    return absl::StrCat(input_path, ".rejected");
  }
  return absl::StrCat(input_path.substr(0, dot), ".rejected",
                      input_path.substr(dot));
}

RejectedRows::RejectedRows(std::string path, FileFormat format,
                           std::vector<std::string> header)
    : path_(std::move(path)), format_(format) {
  // A rejected-rows file imported again carries our columns already.
  for (std::string& name : header) {
    const bool ours = name == "_line" || name == "_error";
    keep_.push_back(!ours);
    if (!ours) header_.push_back(std::move(name));
  }
}

absl::Status RejectedRows::Add(const Row& row, absl::string_view reason) {
  if (count_ == 0) {
    out_.open(path_, std::ios::out | std::ios::trunc | std::ios::binary);
    if (!out_) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot write the rejected-rows file ", path_));
    }
    if (format_ == FileFormat::kCsv) {
      std::vector<std::string> header = {"_line", "_error"};
      header.insert(header.end(), header_.begin(), header_.end());
      csv::Writer(&out_).Write(header);
    }
  }
  ++count_;
  if (format_ == FileFormat::kCsv) {
    std::vector<std::string> fields = {absl::StrCat(row.line),
                                       std::string(reason)};
    for (size_t i = 0; i < row.raw.size(); ++i) {
      if (i >= keep_.size() || keep_[i]) fields.push_back(row.raw[i]);
    }
    csv::Writer(&out_).Write(fields);
  } else {
    nlohmann::ordered_json out;
    out["_line"] = row.line;
    out["_error"] = std::string(reason);
    const std::string text = row.raw.empty() ? "" : row.raw[0];
    nlohmann::ordered_json original = nlohmann::ordered_json::parse(
        text, nullptr, /*allow_exceptions=*/false);
    if (original.is_object()) {
      for (auto& [key, value] : original.items()) {
        if (key != "_line" && key != "_error") out[key] = value;
      }
    } else {
      out["_raw"] = text;
    }
    out_ << out.dump(-1, ' ', false,
                     nlohmann::ordered_json::error_handler_t::replace)
         << '\n';
  }
  if (!out_) {
    return absl::DataLossError(absl::StrCat("error writing ", path_));
  }
  return absl::OkStatus();
}

absl::Status RejectedRows::Close() {
  if (count_ == 0) {
    std::remove(path_.c_str());
    return absl::OkStatus();
  }
  out_.flush();
  if (!out_) return absl::DataLossError(absl::StrCat("error writing ", path_));
  out_.close();
  return absl::OkStatus();
}

}  // namespace jalin::ctl
