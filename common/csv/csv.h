// Comma-separated values as RFC 4180 describes them: fields separated by a
// delimiter, optionally enclosed in double quotes (a quote inside a quoted
// field is written twice), records ending at LF or CRLF outside quotes. Used
// for data files (taxonomy, import files, generated datasets).

#ifndef COMMON_CSV_CSV_H_
#define COMMON_CSV_CSV_H_

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jalin::csv {

// Reads records one at a time, so that files of any size stream through in
// bounded memory. A UTF-8 byte order mark at the start is skipped, and so
// are empty lines between records.
//
// Not thread-safe. `in` is not owned and must outlive the reader.
class Reader {
 public:
  explicit Reader(std::istream* in, char delimiter = ',');

  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Reads the next record into *fields (replacing its contents). Returns
  // false at the end of the input. A quote left open at the end of the
  // input is INVALID_ARGUMENT naming the line where the record started; the
  // reader is at the end of the input afterwards.
  absl::StatusOr<bool> Next(std::vector<std::string>* fields);

  // The 1-based line on which the record last returned by Next started.
  int64_t line() const { return record_line_; }
  // Bytes consumed from `in` so far.
  int64_t bytes_read() const { return bytes_read_; }

 private:
  // Reads one physical line (without its terminator) into *line.
  bool ReadLine(std::string* line);

  std::istream* const in_;
  const char delimiter_;
  int64_t line_ = 0;
  int64_t record_line_ = 0;
  int64_t bytes_read_ = 0;
};

// Splits one record held entirely in `text` (no line terminator needed).
// INVALID_ARGUMENT if a quote is left open.
absl::StatusOr<std::vector<std::string>> SplitRecord(absl::string_view text,
                                                     char delimiter = ',');

// One record as text, without the line terminator: fields that contain the
// delimiter, a quote, CR or LF, or that start or end with a space, are
// quoted.
std::string FormatRecord(const std::vector<std::string>& fields,
                         char delimiter = ',');

// Writes records, each followed by "\n". Not thread-safe; `out` is not
// owned and must outlive the writer.
class Writer {
 public:
  explicit Writer(std::ostream* out, char delimiter = ',')
      : out_(out), delimiter_(delimiter) {}

  void Write(const std::vector<std::string>& fields);

 private:
  std::ostream* const out_;
  const char delimiter_;
};

// Column positions of a header record, for reading rows by column name.
class Header {
 public:
  Header() = default;
  explicit Header(std::vector<std::string> names);

  // The index of `name`, or -1 when the header lacks it.
  int Find(absl::string_view name) const;
  // The field of `record` under `name`; empty when the column is missing or
  // the record is shorter than the header.
  absl::string_view Get(const std::vector<std::string>& record,
                        absl::string_view name) const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
};

}  // namespace jalin::csv

#endif  // COMMON_CSV_CSV_H_
