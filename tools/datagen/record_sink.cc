#include "tools/datagen/record_sink.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/csv/csv.h"
#include "nlohmann/json.hpp"

namespace jalin::datagen {
namespace {

constexpr std::array<ctl::RecordType, 4> kTypes = {
    ctl::RecordType::kCluster, ctl::RecordType::kPartner,
    ctl::RecordType::kEnterprise, ctl::RecordType::kListing};

size_t Slot(ctl::RecordType type) {
  for (size_t i = 0; i < kTypes.size(); ++i) {
    if (kTypes[i] == type) return i;
  }
  return 0;
}

// Creates `dir` and its parents.
absl::Status MakeDirs(const std::string& dir) {
  for (size_t i = 1; i <= dir.size(); ++i) {
    if (i < dir.size() && dir[i] != '/') continue;
    const std::string part = dir.substr(0, i);
    if (mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot create ", part, ": ", std::strerror(errno)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string FileSink::FileName(ctl::RecordType type, ctl::FileFormat format) {
  return absl::StrCat(ctl::RecordTypeName(type),
                      format == ctl::FileFormat::kJsonl ? ".jsonl" : ".csv");
}

absl::StatusOr<std::unique_ptr<FileSink>> FileSink::Open(
    const std::string& dir, ctl::FileFormat format) {
  if (absl::Status s = MakeDirs(dir); !s.ok()) return s;
  std::unique_ptr<FileSink> sink(new FileSink(format));
  for (ctl::RecordType type : kTypes) {
    const size_t i = Slot(type);
    sink->paths_[i] = absl::StrCat(dir, "/", FileName(type, format));
    sink->files_[i].open(sink->paths_[i],
                         std::ios::out | std::ios::trunc | std::ios::binary);
    if (!sink->files_[i]) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot write ", sink->paths_[i]));
    }
    if (format == ctl::FileFormat::kCsv) {
      csv::Writer(&sink->files_[i]).Write(ctl::HeaderOf(type));
    }
  }
  return sink;
}

absl::Status FileSink::Write(ctl::RecordType type,
                             const registry::v1::ImportRecord& record) {
  std::ofstream& out = files_[Slot(type)];
  const std::vector<std::string> row = ctl::ToRow(type, record);
  if (format_ == ctl::FileFormat::kCsv) {
    csv::Writer(&out).Write(row);
  } else {
    nlohmann::ordered_json object;
    const std::vector<std::string> header = ctl::HeaderOf(type);
    for (size_t i = 0; i < row.size(); ++i) {
      if (!row[i].empty()) object[header[i]] = row[i];
    }
    out << object.dump() << '\n';
  }
  if (!out) {
    return absl::DataLossError(
        absl::StrCat("error writing ", paths_[Slot(type)]));
  }
  return absl::OkStatus();
}

absl::Status FileSink::Close() {
  for (size_t i = 0; i < files_.size(); ++i) {
    files_[i].flush();
    if (!files_[i]) {
      return absl::DataLossError(absl::StrCat("error writing ", paths_[i]));
    }
    files_[i].close();
  }
  return absl::OkStatus();
}

}  // namespace jalin::datagen
