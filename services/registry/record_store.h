// Reads and writes registry records in their tables (see schema.cc). Every
// function runs inside the caller's transaction and keeps the columns and
// membership rows that lists filter on in step with the stored record.

#ifndef SERVICES_REGISTRY_RECORD_STORE_H_
#define SERVICES_REGISTRY_RECORD_STORE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/status/status_macros.h"
#include "common/storage/database.h"
#include "services/registry/record_kinds.h"
#include "services/registry/taxonomy.h"

namespace jalin::registry {

namespace internal {

// The record in the first column of the first row of `sql`, or nullopt.
template <typename T>
absl::StatusOr<std::optional<T>> QueryRecord(
    storage::Transaction& tx, const std::string& sql,
    absl::Span<const storage::Param> params) {
  std::optional<T> out;
  RETURN_IF_ERROR(
      tx.Query(sql, params, [&](const storage::Row& row) -> absl::Status {
        out.emplace();
        if (!out->ParseFromArray(row.Blob(0).data(),
                                 static_cast<int>(row.Blob(0).size()))) {
          return absl::DataLossError(
              absl::StrCat("unreadable record in ", Kind<T>::kCollection));
        }
        return absl::OkStatus();
      }));
  return out;
}

}  // namespace internal

// The record with id `id`, or nullopt.
template <typename T>
absl::StatusOr<std::optional<T>> LoadRecord(storage::Transaction& tx,
                                            absl::string_view id) {
  static const std::string* const sql = new std::string(
      absl::StrCat("SELECT data FROM ", Kind<T>::kCollection, " WHERE id = ?"));
  return internal::QueryRecord<T>(tx, *sql, {storage::Param(id)});
}

// The record imported from `system` as `external_id`, or nullopt.
template <typename T>
absl::StatusOr<std::optional<T>> LoadRecordBySource(
    storage::Transaction& tx, absl::string_view system,
    absl::string_view external_id) {
  static const std::string* const sql = new std::string(
      absl::StrCat("SELECT data FROM ", Kind<T>::kCollection,
                   " WHERE src_system = ? AND src_external_id = ?"));
  return internal::QueryRecord<T>(
      tx, *sql, {storage::Param(system), storage::Param(external_id)});
}

// The id of the record imported from `system` as `external_id`, or empty.
template <typename T>
absl::StatusOr<std::string> FindIdBySource(storage::Transaction& tx,
                                           absl::string_view system,
                                           absl::string_view external_id) {
  static const std::string* const sql = new std::string(
      absl::StrCat("SELECT id FROM ", Kind<T>::kCollection,
                   " WHERE src_system = ? AND src_external_id = ?"));
  std::string id;
  RETURN_IF_ERROR(
      tx.Query(*sql, {storage::Param(system), storage::Param(external_id)},
               [&](const storage::Row& row) {
                 id = std::string(row.Text(0));
                 return absl::OkStatus();
               }));
  return id;
}

template <typename T>
absl::StatusOr<bool> RecordExists(storage::Transaction& tx,
                                  absl::string_view id) {
  static const std::string* const sql = new std::string(
      absl::StrCat("SELECT 1 FROM ", Kind<T>::kCollection, " WHERE id = ?"));
  ASSIGN_OR_RETURN(int64_t found,
                   storage::QueryInt(tx, *sql, {storage::Param(id)}, 0));
  return found == 1;
}

// Removes the record and its membership rows.
template <typename T>
absl::Status DeleteRecord(storage::Transaction& tx, absl::string_view id) {
  static const std::string* const sql = new std::string(
      absl::StrCat("DELETE FROM ", Kind<T>::kCollection, " WHERE id = ?"));
  return tx.Exec(*sql, {storage::Param(id)});
}

// Writes the record's row and membership rows. `created`: no row exists
// yet (ALREADY_EXISTS if one does). `taxonomy` supplies category roots.
// For an imported record with `created`, InsertImported below avoids a
// separate lookup.
absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Cluster& record, bool created);
absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Enterprise& record, bool created);
absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Partner& record, bool created);
absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Listing& record, bool created);
absl::Status SaveRecord(storage::Transaction& tx, const TaxonomyData& taxonomy,
                        const v1::Agreement& record, bool created);

// Inserts an imported record unless a record of the same source (system,
// external id) is stored already: true when it was inserted, false when
// nothing was written because of that record. `serialized` is the record's
// bytes when the caller has them already (empty: serialised here).
absl::StatusOr<bool> InsertImported(storage::Transaction& tx,
                                    const TaxonomyData& taxonomy,
                                    const v1::Cluster& record,
                                    std::string serialized = "");
absl::StatusOr<bool> InsertImported(storage::Transaction& tx,
                                    const TaxonomyData& taxonomy,
                                    const v1::Enterprise& record,
                                    std::string serialized = "");
absl::StatusOr<bool> InsertImported(storage::Transaction& tx,
                                    const TaxonomyData& taxonomy,
                                    const v1::Partner& record,
                                    std::string serialized = "");
absl::StatusOr<bool> InsertImported(storage::Transaction& tx,
                                    const TaxonomyData& taxonomy,
                                    const v1::Listing& record,
                                    std::string serialized = "");

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_RECORD_STORE_H_
