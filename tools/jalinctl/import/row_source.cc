#include "tools/jalinctl/import/row_source.h"

#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/csv/csv.h"
#include "nlohmann/json.hpp"
#include "tools/jalinctl/proto_text.h"

namespace jalin::ctl {
namespace {

class CsvRowSource final : public RowSource {
 public:
  CsvRowSource(std::istream* in, const ColumnMap& map)
      : reader_(in), map_(map) {}

  absl::Status ReadHeader() {
    absl::StatusOr<bool> got = reader_.Next(&header_);
    if (!got.ok()) return got.status();
    if (!*got) {
      return absl::InvalidArgumentError(
          "the file is empty: a CSV import file starts with a header line "
          "naming its columns");
    }
    absl::flat_hash_set<std::string> seen;
    for (std::string& name : header_) {
      name = std::string(absl::StripAsciiWhitespace(name));
      const std::string& mapped = map_.Apply(name);
      if (!mapped.empty() && !seen.insert(mapped).second) {
        return absl::InvalidArgumentError(absl::StrCat(
            "column \"", mapped, "\" appears twice in the header"));
      }
      mapped_.push_back(mapped);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<bool> Next(Row* row) override {
    *row = Row();
    absl::StatusOr<bool> got = reader_.Next(&row->raw);
    row->line = reader_.line();
    if (!got.ok()) {
      // An unterminated quote swallowed the rest of the file: report it on
      // this row; the reader is at the end.
      row->error = std::string(got.status().message());
      return true;
    }
    if (!*got) return false;
    if (row->raw.size() > header_.size()) {
      row->error =
          absl::StrCat("the row has ", row->raw.size(),
                       " fields but the header names ", header_.size());
      return true;
    }
    for (size_t i = 0; i < row->raw.size(); ++i) {
      if (mapped_[i].empty() || mapped_[i][0] == '_') continue;
      row->cells[mapped_[i]] = row->raw[i];
    }
    return true;
  }

  int64_t bytes_read() const override { return reader_.bytes_read(); }
  const std::vector<std::string>& header() const override { return header_; }
  std::vector<std::string> columns() const override { return mapped_; }

 private:
  csv::Reader reader_;
  const ColumnMap& map_;
  std::vector<std::string> header_;
  std::vector<std::string> mapped_;
};

// A JSON value as cell text: lists joined with ';'.
bool CellText(const nlohmann::json& v, std::string* out) {
  switch (v.type()) {
    case nlohmann::json::value_t::string:
      *out = v.get<std::string>();
      return true;
    case nlohmann::json::value_t::boolean:
      *out = v.get<bool>() ? "true" : "false";
      return true;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      *out = v.dump();
      return true;
    case nlohmann::json::value_t::number_float:
      *out = FormatNumber(v.get<double>());
      return true;
    case nlohmann::json::value_t::null:
      out->clear();
      return true;
    case nlohmann::json::value_t::array: {
      std::vector<std::string> parts;
      for (const auto& item : v) {
        std::string s;
        if (item.is_array() || item.is_object() || !CellText(item, &s)) {
          return false;
        }
        parts.push_back(std::move(s));
      }
      *out = absl::StrJoin(parts, ";");
      return true;
    }
    default:
      return false;
  }
}

class JsonlRowSource final : public RowSource {
 public:
  JsonlRowSource(std::istream* in, const ColumnMap& map) : in_(in), map_(map) {}

  absl::StatusOr<bool> Next(Row* row) override {
    *row = Row();
    std::string line;
    do {
      if (!std::getline(*in_, line)) {
        if (in_->bad()) return absl::DataLossError("error reading the file");
        return false;
      }
      ++line_;
      bytes_ += static_cast<int64_t>(line.size()) + 1;
      if (line_ == 1 && absl::StartsWith(line, "\xEF\xBB\xBF")) {
        line.erase(0, 3);
      }
    } while (absl::StripAsciiWhitespace(line).empty());
    row->line = line_;
    row->raw = {line};
    nlohmann::json object =
        nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (object.is_discarded() || !object.is_object()) {
      row->error = "the line is not a JSON object";
      return true;
    }
    for (const auto& [key, value] : object.items()) {
      const std::string& name = map_.Apply(key);
      if (name.empty() || name[0] == '_') continue;
      std::string text;
      if (!CellText(value, &text)) {
        row->error = absl::StrCat(
            "\"", key,
            "\" holds a nested object; use flat values (lists of strings or "
            "numbers are fine)");
        return true;
      }
      if (seen_.insert(name).second) columns_.push_back(name);
      row->cells[name] = std::move(text);
    }
    return true;
  }

  int64_t bytes_read() const override { return bytes_; }
  const std::vector<std::string>& header() const override { return empty_; }
  std::vector<std::string> columns() const override { return columns_; }

 private:
  std::istream* const in_;
  const ColumnMap& map_;
  int64_t line_ = 0;
  int64_t bytes_ = 0;
  const std::vector<std::string> empty_;
  absl::flat_hash_set<std::string> seen_;
  std::vector<std::string> columns_;
};

}  // namespace

FileFormat FormatFromPath(absl::string_view path) {
  const std::string lower = absl::AsciiStrToLower(path);
  if (absl::EndsWith(lower, ".jsonl") || absl::EndsWith(lower, ".ndjson")) {
    return FileFormat::kJsonl;
  }
  return FileFormat::kCsv;
}

absl::StatusOr<ColumnMap> ColumnMap::Parse(absl::string_view spec) {
  ColumnMap map;
  for (absl::string_view item : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, '=');
    if (parts.size() != 2 || absl::StripAsciiWhitespace(parts[0]).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--map: \"", item, "\" is not file_column=jalin_column"));
    }
    std::string from(absl::StripAsciiWhitespace(parts[0]));
    std::string to(absl::StripAsciiWhitespace(parts[1]));
    if (!map.renames_.emplace(from, to).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("--map: column \"", from, "\" is mapped twice"));
    }
  }
  return map;
}

const std::string& ColumnMap::Apply(const std::string& name) const {
  auto it = renames_.find(name);
  return it == renames_.end() ? name : it->second;
}

absl::StatusOr<std::unique_ptr<RowSource>> OpenRowSource(std::istream* in,
                                                         FileFormat format,
                                                         const ColumnMap& map) {
  if (format == FileFormat::kJsonl) {
    return std::make_unique<JsonlRowSource>(in, map);
  }
  auto source = std::make_unique<CsvRowSource>(in, map);
  if (absl::Status s = source->ReadHeader(); !s.ok()) return s;
  return source;
}

}  // namespace jalin::ctl
