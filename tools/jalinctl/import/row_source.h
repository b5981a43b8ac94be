// Rows of an import file, CSV (with a header line) or JSON Lines (one flat
// object per line), with the file's column names translated by --map.

#ifndef TOOLS_JALINCTL_IMPORT_ROW_SOURCE_H_
#define TOOLS_JALINCTL_IMPORT_ROW_SOURCE_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/jalinctl/import/record_columns.h"

namespace jalin::ctl {

enum class FileFormat { kCsv, kJsonl };

// From a file name: ".jsonl"/".ndjson" -> JSON Lines, anything else CSV.
FileFormat FormatFromPath(absl::string_view path);

// Renames a file's columns to jalinctl's: parsed from
// "nama_usaha=display_name,kabupaten=region". Immutable after Parse.
class ColumnMap {
 public:
  // INVALID_ARGUMENT for an item without '=' or a source named twice.
  static absl::StatusOr<ColumnMap> Parse(absl::string_view spec);

  // The column name to use for the file's column `name`.
  const std::string& Apply(const std::string& name) const;

 private:
  absl::flat_hash_map<std::string, std::string> renames_;
};

struct Row {
  // Line of the file where the row starts (1-based).
  int64_t line = 0;
  // Column (after the map) -> cell text.
  Cells cells;
  // The row as read, for the rejected-rows file: the CSV fields, or the
  // JSON text of the line.
  std::vector<std::string> raw;
  // Why the row could not be read at all (malformed JSON, more fields than
  // the header); empty when it was read.
  std::string error;
};

// Not thread-safe. The stream is not owned and must outlive the source.
class RowSource {
 public:
  virtual ~RowSource() = default;

  // The next row; false at the end. Errors that end the file (an
  // unreadable header, an I/O error) are returned; errors of one row are
  // set in Row::error and reading goes on.
  virtual absl::StatusOr<bool> Next(Row* row) = 0;
  // Bytes consumed so far (for progress).
  virtual int64_t bytes_read() const = 0;
  // The file's column names as written in it (CSV: the header line; JSON
  // Lines: empty, since each line names its own).
  virtual const std::vector<std::string>& header() const = 0;
  // The mapped column names seen so far (CSV: all, after the header).
  virtual std::vector<std::string> columns() const = 0;
};

// Reads the header first for CSV. INVALID_ARGUMENT when a CSV file has no
// header line or names a column twice (after the map).
absl::StatusOr<std::unique_ptr<RowSource>> OpenRowSource(std::istream* in,
                                                         FileFormat format,
                                                         const ColumnMap& map);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_IMPORT_ROW_SOURCE_H_
