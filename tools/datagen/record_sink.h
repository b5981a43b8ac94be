// Where generated records go: the four import files jalinctl reads
// (clusters, partners, enterprises, listings), written row by row so that
// datasets of any size stream to disk.

#ifndef TOOLS_DATAGEN_RECORD_SINK_H_
#define TOOLS_DATAGEN_RECORD_SINK_H_

#include <array>
#include <fstream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "jalin/registry/v1/import.pb.h"
#include "tools/jalinctl/import/record_columns.h"
#include "tools/jalinctl/import/row_source.h"

namespace jalin::datagen {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual absl::Status Write(ctl::RecordType type,
                             const registry::v1::ImportRecord& record) = 0;
};

// Writes "<dir>/clusters.csv", "partners.csv", "enterprises.csv" and
// "listings.csv" (or .jsonl), replacing files of the same names. Not
// thread-safe.
class FileSink final : public RecordSink {
 public:
  // Creates `dir` if needed and opens the four files (CSV ones with their
  // header line).
  static absl::StatusOr<std::unique_ptr<FileSink>> Open(const std::string& dir,
                                                        ctl::FileFormat format);

  absl::Status Write(ctl::RecordType type,
                     const registry::v1::ImportRecord& record) override;
  // Flushes and closes the files; an error if a write failed.
  absl::Status Close();

  // The file a type goes to.
  static std::string FileName(ctl::RecordType type, ctl::FileFormat format);

 private:
  explicit FileSink(ctl::FileFormat format) : format_(format) {}

  const ctl::FileFormat format_;
  std::array<std::ofstream, 4> files_;
  std::array<std::string, 4> paths_;
};

}  // namespace jalin::datagen

#endif  // TOOLS_DATAGEN_RECORD_SINK_H_
