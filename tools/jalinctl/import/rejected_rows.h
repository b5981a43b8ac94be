// The rejected-rows file of one import file: every row that was not stored,
// as it was read, with its line number and the reason. The file has the
// input's format, so that it can be corrected and imported again (jalinctl
// ignores the "_line" and "_error" columns it adds).

#ifndef TOOLS_JALINCTL_IMPORT_REJECTED_ROWS_H_
#define TOOLS_JALINCTL_IMPORT_REJECTED_ROWS_H_

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tools/jalinctl/import/row_source.h"

namespace jalin::ctl {

// "clusters.rejected.csv" for "clusters.csv", in the same directory.
std::string DefaultRejectedPath(absl::string_view input_path);

// Not thread-safe.
class RejectedRows {
 public:
  // `header`: the input's header line (CSV), written after "_line,_error".
  RejectedRows(std::string path, FileFormat format,
               std::vector<std::string> header);

  RejectedRows(const RejectedRows&) = delete;
  RejectedRows& operator=(const RejectedRows&) = delete;

  // Appends `row`; the file is created (replacing an older one) with the
  // first row.
  absl::Status Add(const Row& row, absl::string_view reason);
  // Flushes the file; with no rejected row, removes a file left by an
  // earlier run so that it cannot be mistaken for this run's.
  absl::Status Close();

  int64_t count() const { return count_; }
  const std::string& path() const { return path_; }

 private:
  const std::string path_;
  const FileFormat format_;
  // The input's header without our own columns, and which input fields to
  // keep.
  std::vector<std::string> header_;
  std::vector<bool> keep_;
  std::ofstream out_;
  int64_t count_ = 0;
};

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_IMPORT_REJECTED_ROWS_H_
