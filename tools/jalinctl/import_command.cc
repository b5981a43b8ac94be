// jalinctl import <files...>: clusters, UMKM, partners and listings from
// CSV or JSON Lines files into the registry.

#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tools/jalinctl/command.h"
#include "tools/jalinctl/connection.h"
#include "tools/jalinctl/import/importer.h"
#include "tools/jalinctl/import/record_columns.h"
#include "tools/jalinctl/import/rejected_rows.h"
#include "tools/jalinctl/import/row_source.h"
#include "tools/jalinctl/output.h"
#include "tools/jalinctl/progress.h"
#include "tools/jalinctl/table.h"

namespace jalin::ctl {
namespace {

struct Input {
  std::string path;
  RecordType type;
  FileFormat format;
};

struct FileResult {
  std::string path;
  ImportCounts counts;
  std::string rejected_path;
};

int64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

void PrintSummary(Io& io, const std::vector<FileResult>& results,
                  OutputFormat format, bool dry_run) {
  if (format == OutputFormat::kJson) {
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const FileResult& r : results) {
      nlohmann::ordered_json f;
      f["file"] = r.path;
      f["rows"] = r.counts.rows;
      f["created"] = r.counts.created;
      f["updated"] = r.counts.updated;
      f["unchanged"] = r.counts.unchanged;
      f["rejected"] = r.counts.rejected;
      f["unanswered"] = r.counts.unanswered;
      if (r.counts.rejected > 0) f["rejected_file"] = r.rejected_path;
      files.push_back(std::move(f));
    }
    nlohmann::ordered_json out;
    out["dry_run"] = dry_run;
    out["files"] = std::move(files);
    io.out << out.dump(2) << "\n";
    return;
  }
  Table table({"file", "rows", "created", "updated", "unchanged", "rejected",
               "rejected rows in"});
  ImportCounts total;
  for (const FileResult& r : results) {
    table.AddRow(
        {r.path, WithThousands(r.counts.rows), WithThousands(r.counts.created),
         WithThousands(r.counts.updated), WithThousands(r.counts.unchanged),
         WithThousands(r.counts.rejected),
         r.counts.rejected > 0 ? r.rejected_path : ""});
    total.rows += r.counts.rows;
    total.created += r.counts.created;
    total.updated += r.counts.updated;
    total.unchanged += r.counts.unchanged;
    total.rejected += r.counts.rejected;
  }
  if (results.size() > 1) {
    table.AddRow({"total", WithThousands(total.rows),
                  WithThousands(total.created), WithThousands(total.updated),
                  WithThousands(total.unchanged), WithThousands(total.rejected),
                  ""});
  }
  table.Print(io.out, /*max_width=*/0);
  if (dry_run) {
    io.out << "(dry run: rows were read and checked, nothing was sent)\n";
  }
}

}  // namespace

int ImportCommand(const std::vector<std::string>& args, Io& io) {
  Connection conn;
  conn.timeout = absl::Hours(6);
  std::string type_name;
  std::string map_spec;
  std::string format_name = "auto";
  std::string rejected_path;
  std::string progress_name = "auto";
  std::string output = "table";
  int64_t batch_size = 200;
  int64_t window = 4;
  bool dry_run = false;
  bool columns = false;
  Config config(
      "jalinctl import <file>...",
      "imports clusters, enterprises (UMKM), partners and listings from CSV "
      "files (with a header line) or JSON Lines files (.jsonl, one flat "
      "object per line) through the registry's ImportRecords stream. Each "
      "file holds one kind of record, named by --type or by its file name "
      "(clusters.csv, 33.13-enterprises.jsonl, ...); files are imported in "
      "the order clusters, partners, enterprises, listings, so that records "
      "can refer to each other by external id. Rows that are not stored go "
      "to a rejected-rows file next to the input (clusters.rejected.csv) "
      "with the line and the reason. Running the same import again is "
      "safe: rows already imported report 'unchanged'. 'jalinctl import "
      "--columns' lists the columns of each kind.\n\n" +
          ExitCodeHelp());
  conn.AddFlags(config);
  config.AddString("type", &type_name,
                   "clusters, enterprises, partners or listings (default: "
                   "from each file's name)");
  config.AddString("map", &map_spec,
                   "rename the file's columns: "
                   "\"nama_usaha=display_name,kab=region\" (an empty target "
                   "drops a column)");
  config.AddString("format", &format_name,
                   "auto (from the file name), csv or jsonl");
  config.AddString("rejected", &rejected_path,
                   "rejected-rows file (only with one input file; default "
                   "<input>.rejected.<ext>)");
  config.AddString("progress", &progress_name,
                   "auto (a bar on a terminal, lines otherwise), bar, plain "
                   "or none");
  config.AddString("output", &output, "summary as table or json");
  config.AddInt("batch_size", &batch_size, "records per batch", 1, 5000);
  config.AddInt("window", &window, "batches in flight", 1, 64);
  config.AddBool("dry_run", &dry_run,
                 "read and check the files without sending anything");
  config.AddBool("columns", &columns, "print the columns of each kind");
  std::vector<std::string> paths;
  if (auto code = ParseFlags(config, args, io, &paths)) return *code;
  if (columns) {
    io.out << DescribeColumns();
    return kOk;
  }
  absl::StatusOr<OutputFormat> summary_format = ParseOutput(output);
  ProgressStyle progress_style;
  if (!summary_format.ok() ||
      !ParseProgressStyle(progress_name, io.err_is_terminal, &progress_style)) {
    io.err << "jalinctl import: "
           << (summary_format.ok() ? "--progress: one of auto, bar, plain, "
                                     "none"
                                   : summary_format.status().message())
           << "\n";
    return kUsage;
  }
  if (paths.empty()) {
    io.err << "jalinctl import: name at least one file (see --help)\n";
    return kUsage;
  }
  if (!rejected_path.empty() && paths.size() > 1) {
    io.err << "jalinctl import: --rejected needs exactly one input file\n";
    return kUsage;
  }
  absl::StatusOr<ColumnMap> map = ColumnMap::Parse(map_spec);
  if (!map.ok()) {
    io.err << "jalinctl import: " << map.status().message() << "\n";
    return kUsage;
  }

  std::vector<Input> inputs;
  for (const std::string& path : paths) {
    std::optional<RecordType> type = type_name.empty()
                                         ? RecordTypeFromPath(path)
                                         : ParseRecordType(type_name);
    if (!type) {
      io.err << "jalinctl import: "
             << (type_name.empty()
                     ? absl::StrCat("cannot tell what \"", path,
                                    "\" holds from its name; pass --type")
                     : absl::StrCat("--type=", type_name,
                                    ": one of clusters, enterprises, "
                                    "partners, listings"))
             << "\n";
      return kUsage;
    }
    FileFormat format = FormatFromPath(path);
    if (format_name == "csv") {
      format = FileFormat::kCsv;
    } else if (format_name == "jsonl") {
      format = FileFormat::kJsonl;
    } else if (format_name != "auto") {
      io.err << "jalinctl import: --format: one of auto, csv, jsonl\n";
      return kUsage;
    }
    inputs.push_back({path, *type, format});
  }
  std::stable_sort(inputs.begin(), inputs.end(),
                   [](const Input& a, const Input& b) {
                     return ImportOrder(a.type) < ImportOrder(b.type);
                   });

  ImportOptions options;
  options.batch_size = static_cast<int>(batch_size);
  options.window = static_cast<int>(window);
  options.timeout = conn.timeout;
  options.dry_run = dry_run;
  std::unique_ptr<registry::v1::RegistryService::Stub> stub;
  if (!dry_run) {
    absl::StatusOr<std::string> token = conn.Token();
    if (!token.ok()) return UsageError(io, token.status());
    options.token = *token;
    stub = registry::v1::RegistryService::NewStub(
        conn.Channel(conn.registry_address));
  }
  Importer importer(stub.get(), options);

  std::vector<FileResult> results;
  for (const Input& input : inputs) {
    std::ifstream in(input.path, std::ios::binary);
    if (!in) {
      io.err << "jalinctl import: cannot read " << input.path << "\n";
      PrintSummary(io, results, *summary_format, dry_run);
      return kUsage;
    }
    absl::StatusOr<std::unique_ptr<RowSource>> source =
        OpenRowSource(&in, input.format, *map);
    if (!source.ok()) {
      io.err << "jalinctl import: " << input.path << ": "
             << source.status().message() << "\n";
      PrintSummary(io, results, *summary_format, dry_run);
      return kUsage;
    }
    if (input.format == FileFormat::kCsv) {
      std::vector<std::string> unknown =
          UnknownColumns(input.type, (*source)->columns());
      if (!unknown.empty()) {
        io.err << "warning: " << input.path << ": ignoring columns "
               << absl::StrJoin(unknown, ", ")
               << " (rename them with --map; 'jalinctl import --columns' "
                  "lists the known ones)\n";
      }
    }
    FileResult result;
    result.path = input.path;
    result.rejected_path =
        rejected_path.empty() ? DefaultRejectedPath(input.path) : rejected_path;
    RejectedRows rejected(result.rejected_path, input.format,
                          (*source)->header());
    Progress progress(&io.err, io.clock, progress_style, input.path,
                      FileSize(input.path));
    absl::Status status = importer.Run(input.type, source->get(), &rejected,
                                       &progress, &result.counts);
    absl::Status closed = rejected.Close();
    results.push_back(result);
    if (!status.ok() || !closed.ok()) {
      PrintSummary(io, results, *summary_format, dry_run);
      const int code = ReportError(io, status.ok() ? closed : status);
      io.err << "the import stopped at " << input.path << " after "
             << WithThousands(result.counts.rows) << " rows; "
             << WithThousands(result.counts.created + result.counts.updated +
                              result.counts.unchanged)
             << " are stored. Run the same command again to finish: rows "
                "already imported report 'unchanged'.\n";
      return code;
    }
  }
  PrintSummary(io, results, *summary_format, dry_run);
  for (const FileResult& r : results) {
    if (r.counts.rejected > 0) return kPartial;
  }
  return kOk;
}

}  // namespace jalin::ctl
