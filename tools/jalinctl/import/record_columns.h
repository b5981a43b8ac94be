// The columns of jalinctl's import files, for each kind of record: how a
// row of text becomes an ImportRecord for the registry, and back (the
// demo-data generator writes its files through the same table, so the two
// can never disagree).
//
// Cells are plain text. Lists use ';' ("PRODUCER;MARKETER"), enum values
// are accepted in any case, region and category columns take short forms
// ("33.13", "jamu"), and a reference to another record in the same import
// is its external id ("KL-0001" means "external:KL-0001"; resource names
// such as "clusters/01j..." are taken as they are).

#ifndef TOOLS_JALINCTL_IMPORT_RECORD_COLUMNS_H_
#define TOOLS_JALINCTL_IMPORT_RECORD_COLUMNS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "jalin/registry/v1/import.pb.h"

namespace jalin::ctl {

enum class RecordType { kCluster, kEnterprise, kPartner, kListing };

// "clusters", "enterprises", "partners", "listings".
absl::string_view RecordTypeName(RecordType type);
// From "clusters" or "cluster" (any case).
std::optional<RecordType> ParseRecordType(absl::string_view text);
// From a file name that contains one of the type names:
// "data/33.13-enterprises.csv" -> kEnterprise. Nothing when none or more
// than one appears.
std::optional<RecordType> RecordTypeFromPath(absl::string_view path);
// The order in which files must be imported so that references resolve:
// clusters, partners, enterprises, listings.
int ImportOrder(RecordType type);

struct Column {
  std::string name;
  std::string help;
  // Documented as required; external_id and version are also checked here,
  // the rest by the registry.
  bool required = false;
  // Sets the column's value on `record`; called only for non-empty text.
  // Adds a violation for field `name` when the text cannot be read.
  std::function<void(absl::string_view text, registry::v1::ImportRecord* record,
                     FieldViolations* v)>
      parse;
  // The column's text for `record` ("" when unset).
  std::function<std::string(const registry::v1::ImportRecord& record)> format;
};

// The columns of a record type, in the order files are written.
const std::vector<Column>& ColumnsOf(RecordType type);
// Column names, in order: the header of a file of this type.
std::vector<std::string> HeaderOf(RecordType type);

// A row: column name -> cell text.
using Cells = absl::flat_hash_map<std::string, std::string>;

// Builds the record of one row. INVALID_ARGUMENT, with a BadRequest naming
// every column that cannot be read (by column name), when a cell is
// malformed or external_id/version is missing. Cells of unknown columns are
// ignored.
absl::StatusOr<registry::v1::ImportRecord> ToImportRecord(RecordType type,
                                                          const Cells& cells);

// The cells of `record` in HeaderOf(type) order.
std::vector<std::string> ToRow(RecordType type,
                               const registry::v1::ImportRecord& record);

// The columns of `names` that `type` does not know (ignoring names that
// start with '_', which jalinctl itself writes into rejected-row files).
std::vector<std::string> UnknownColumns(RecordType type,
                                        const std::vector<std::string>& names);

// A reference table of every column of every type, for --help and docs.
std::string DescribeColumns();

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_IMPORT_RECORD_COLUMNS_H_
