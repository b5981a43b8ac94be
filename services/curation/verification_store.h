// The verification queue in the curation store: what the registry told us
// about its records, the tasks opened for curators, and the findings they
// verified. Functions run inside a transaction the caller holds; they keep
// no state and are thread-safe.

#ifndef SERVICES_CURATION_VERIFICATION_STORE_H_
#define SERVICES_CURATION_VERIFICATION_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/database.h"
#include "jalin/curation/v1/verification.pb.h"
#include "jalin/registry/v1/enterprise.pb.h"

namespace jalin::curation::store {

struct RecordFacts {
  // "enterprises/{id}".
  std::string record;
  std::string nib;
  std::string name_key;
  std::string village_code;
  std::string region;
  // Takes part in duplicate checks: not deleted, merged or rejected.
  bool active = false;
  jalin::registry::v1::Enterprise enterprise;
};

absl::StatusOr<std::optional<RecordFacts>> GetRecord(storage::Transaction& tx,
                                                     absl::string_view record);
absl::Status UpsertRecord(storage::Transaction& tx, const RecordFacts& facts);
absl::Status SetRecordActive(storage::Transaction& tx, absl::string_view record,
                             bool active);

// Active records other than `except` with NIB `nib`, in name order.
absl::StatusOr<std::vector<std::string>> ActiveRecordsWithNib(
    storage::Transaction& tx, absl::string_view nib, absl::string_view except);

// Active records other than `except` in `village_code`: (record, name key).
absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
ActiveRecordsInVillage(storage::Transaction& tx, absl::string_view village_code,
                       absl::string_view except);

// Records other than `except` whose open duplicate task a change to one of
// these NIBs or villages can alter: an open DUPLICATE_NIB task and a NIB in
// `nibs`, or an open NEAR_DUPLICATE_NAME task and a village in `villages`
// (empty values ignored). Other tasks (INCOMPLETE) depend on the record
// alone.
absl::StatusOr<std::vector<std::string>> RecordsWithOpenTasksNear(
    storage::Transaction& tx, const std::vector<std::string>& nibs,
    const std::vector<std::string>& villages, absl::string_view except);

struct StoredTask {
  jalin::curation::v1::VerificationTask task;
  std::string finding;
};

// NOT_FOUND when absent.
absl::StatusOr<StoredTask> GetTask(storage::Transaction& tx,
                                   absl::string_view id);
absl::StatusOr<std::optional<StoredTask>> FindOpenTask(
    storage::Transaction& tx, absl::string_view record,
    jalin::curation::v1::VerificationTask::Reason reason);
absl::StatusOr<std::vector<StoredTask>> OpenTasksOf(storage::Transaction& tx,
                                                    absl::string_view record);
// The open tasks of `reason` held by one of `holders` whose related records
// include `record` (each holder's by its record, not a scan of all tasks).
absl::StatusOr<std::vector<StoredTask>> OpenTasksNaming(
    storage::Transaction& tx, absl::string_view record,
    jalin::curation::v1::VerificationTask::Reason reason,
    const std::vector<std::string>& holders);
absl::Status InsertTask(storage::Transaction& tx, const StoredTask& task);
absl::Status UpdateTask(storage::Transaction& tx, const StoredTask& task);

struct TaskQuery {
  // Region codes whose tasks (own or of their kabupaten/kota) to include;
  // empty for all.
  std::vector<std::string> regions = {};
  jalin::curation::v1::VerificationTask::State state =
      jalin::curation::v1::VerificationTask::STATE_UNSPECIFIED;
  jalin::curation::v1::VerificationTask::Reason reason =
      jalin::curation::v1::VerificationTask::REASON_UNSPECIFIED;
  std::string after_id = {};
  int limit = 50;
};
absl::StatusOr<std::vector<jalin::curation::v1::VerificationTask>> ListTasks(
    storage::Transaction& tx, const TaskQuery& query);
absl::StatusOr<int64_t> CountTasks(storage::Transaction& tx,
                                   const TaskQuery& query);

absl::StatusOr<bool> IsAcknowledged(
    storage::Transaction& tx, absl::string_view record,
    jalin::curation::v1::VerificationTask::Reason reason,
    absl::string_view finding);
absl::Status Acknowledge(storage::Transaction& tx, absl::string_view record,
                         jalin::curation::v1::VerificationTask::Reason reason,
                         absl::string_view finding);

}  // namespace jalin::curation::store

#endif  // SERVICES_CURATION_VERIFICATION_STORE_H_
