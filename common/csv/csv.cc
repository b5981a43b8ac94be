#include "common/csv/csv.h"

#include "absl/strings/str_cat.h"

namespace jalin::csv {
namespace {

// Incremental RFC 4180 field splitter: fed one physical line at a time, it
// keeps a quoted field open across line ends.
class Splitter {
 public:
  explicit Splitter(char delimiter) : delimiter_(delimiter) {}

  // Consumes `line`. Returns true when the record is complete (the line did
  // not end inside quotes); false when the next line continues it.
  bool Feed(absl::string_view line) {
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (in_quotes_) {
        if (c != '"') {
          field_.push_back(c);
        } else if (i + 1 < line.size() && line[i + 1] == '"') {
          field_.push_back('"');
          ++i;
        } else {
          in_quotes_ = false;
        }
        continue;
      }
      if (c == delimiter_) {
        fields_.push_back(std::move(field_));
        field_.clear();
        at_field_start_ = true;
        continue;
      }
      if (c == '"' && at_field_start_) {
        in_quotes_ = true;
        at_field_start_ = false;
        continue;
      }
      // Characters after a closing quote, or a quote inside an unquoted
      // field, are kept as they are.
      at_field_start_ = false;
      field_.push_back(c);
    }
    if (in_quotes_) {
      field_.push_back('\n');
      return false;
    }
    fields_.push_back(std::move(field_));
    field_.clear();
    return true;
  }

  bool in_quotes() const { return in_quotes_; }
  std::vector<std::string> Take() {
    std::vector<std::string> out = std::move(fields_);
    fields_.clear();
    field_.clear();
    in_quotes_ = false;
    at_field_start_ = true;
    return out;
  }

 private:
  const char delimiter_;
  std::vector<std::string> fields_;
  std::string field_;
  bool in_quotes_ = false;
  bool at_field_start_ = true;
};

bool NeedsQuotes(absl::string_view f, char delimiter) {
  if (f.empty()) return false;
  if (f.front() == ' ' || f.back() == ' ') return true;
  for (char c : f) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') return true;
  }
  return false;
}

}  // namespace

Reader::Reader(std::istream* in, char delimiter)
    : in_(in), delimiter_(delimiter) {}

bool Reader::ReadLine(std::string* line) {
  if (!std::getline(*in_, *line)) return false;
  ++line_;
  bytes_read_ += static_cast<int64_t>(line->size());
  if (!in_->eof()) ++bytes_read_;  // the '\n'
  if (line_ == 1 && absl::string_view(*line).substr(0, 3) == "\xEF\xBB\xBF") {
    line->erase(0, 3);
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

absl::StatusOr<bool> Reader::Next(std::vector<std::string>* fields) {
  std::string line;
  // Skip empty lines between records.
  do {
    if (!ReadLine(&line)) return false;
  } while (line.empty());
  record_line_ = line_;
  Splitter splitter(delimiter_);
  while (!splitter.Feed(line)) {
    if (!ReadLine(&line)) {
      splitter.Take();
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", record_line_, ": a quoted field is never closed"));
    }
  }
  *fields = splitter.Take();
  return true;
}

absl::StatusOr<std::vector<std::string>> SplitRecord(absl::string_view text,
                                                     char delimiter) {
  Splitter splitter(delimiter);
  // Feed line by line so that quoted line breaks survive as '\n'.
  size_t start = 0;
  while (true) {
    size_t end = text.find('\n', start);
    absl::string_view line = text.substr(start, end == absl::string_view::npos
                                                    ? absl::string_view::npos
                                                    : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool done = splitter.Feed(line);
    if (end == absl::string_view::npos) {
      if (!done) {
        return absl::InvalidArgumentError("a quoted field is never closed");
      }
      break;
    }
    if (done) {
      if (end + 1 == text.size()) break;  // a trailing line break
      return absl::InvalidArgumentError("the text holds more than one record");
    }
    start = end + 1;
  }
  return splitter.Take();
}

std::string FormatRecord(const std::vector<std::string>& fields,
                         char delimiter) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(delimiter);
    const std::string& f = fields[i];
    if (!NeedsQuotes(f, delimiter)) {
      out += f;
      continue;
    }
    out.push_back('"');
    for (char c : f) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  return out;
}

void Writer::Write(const std::vector<std::string>& fields) {
  *out_ << FormatRecord(fields, delimiter_) << '\n';
}

Header::Header(std::vector<std::string> names) : names_(std::move(names)) {}

int Header::Find(absl::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

absl::string_view Header::Get(const std::vector<std::string>& record,
                              absl::string_view name) const {
  const int i = Find(name);
  if (i < 0 || static_cast<size_t>(i) >= record.size()) return "";
  return record[i];
}

}  // namespace jalin::csv
