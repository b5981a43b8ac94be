#include "tools/jalinctl/table.h"

#include <algorithm>

#include "common/validation/validators.h"

namespace jalin::ctl {
namespace {

size_t Width(const std::string& s) { return validation::Utf8Length(s); }

// Cells are one line: line breaks and tabs become spaces.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return s;
}

}  // namespace

std::string Truncate(const std::string& text, size_t width) {
  if (width == 0 || Width(text) <= width) return text;
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool starts_char = (c & 0xC0) != 0x80;
    if (starts_char) {
      if (chars == width - 1) break;
      ++chars;
    }
    out.push_back(text[i]);
  }
  return out + "…";
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (std::string& c : cells) c = OneLine(std::move(c));
  rows_.push_back(std::move(cells));
}

void Table::Print(std::ostream& out, size_t max_width) const {
  std::vector<size_t> widths(headers_.size());
  for (size_t i = 0; i < headers_.size(); ++i) widths[i] = Width(headers_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], Width(Truncate(row[i], max_width)));
    }
  }
  auto print_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      const std::string cell = Truncate(cells[i], max_width);
      line += cell;
      if (i + 1 < cells.size()) {
        line.append(widths[i] - Width(cell) + 2, ' ');
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print_row(headers_);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.push_back(std::string(w, '-'));
  print_row(rule);
  for (const auto& row : rows_) print_row(row);
}

}  // namespace jalin::ctl
