// A plain-text table for terminals: columns padded to their widest cell
// (counted in characters, not bytes), long cells cut with "…".

#ifndef TOOLS_JALINCTL_TABLE_H_
#define TOOLS_JALINCTL_TABLE_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace jalin::ctl {

// Not thread-safe.
class Table {
 public:
  explicit Table(std::vector<std::string> headers);

  // Cells beyond the headers are dropped; missing ones are empty.
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }

  // Writes the header, a rule and the rows; cells longer than `max_width`
  // characters are cut (0: never).
  void Print(std::ostream& out, size_t max_width = 48) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// `text` cut to `width` characters (UTF-8 aware), ending in "…" when cut.
std::string Truncate(const std::string& text, size_t width);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_TABLE_H_
