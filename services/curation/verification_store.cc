#include "services/curation/verification_store.h"

#include <algorithm>
#include <deque>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/status_macros.h"
#include "common/storage/index_hint.h"
#include "services/curation/store_util.h"

namespace jalin::curation::store {

using ::jalin::curation::v1::VerificationTask;
using storage::Param;

absl::StatusOr<std::optional<RecordFacts>> GetRecord(storage::Transaction& tx,
                                                     absl::string_view record) {
  std::optional<RecordFacts> out;
  RETURN_IF_ERROR(tx.Query(
      "SELECT nib, name_key, village_code, region, active, body FROM "
      "curation_records WHERE record = ?",
      {Param(record)}, [&](const storage::Row& row) {
        RecordFacts f;
        f.record = std::string(record);
        f.nib = std::string(row.Text(0));
        f.name_key = std::string(row.Text(1));
        f.village_code = std::string(row.Text(2));
        f.region = std::string(row.Text(3));
        f.active = row.Int(4) != 0;
        RETURN_IF_ERROR(ParseBlob(row.Blob(5), &f.enterprise, "record"));
        out = std::move(f);
        return absl::OkStatus();
      }));
  return out;
}

absl::Status UpsertRecord(storage::Transaction& tx, const RecordFacts& f) {
  const std::string body = Blob(f.enterprise);
  return tx.Exec(
      "INSERT INTO curation_records (record, nib, name_key, village_code, "
      "region, active, body) VALUES (?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (record) DO UPDATE SET nib = excluded.nib, "
      "name_key = excluded.name_key, village_code = excluded.village_code, "
      "region = excluded.region, active = excluded.active, body = "
      "excluded.body",
      {Param(f.record), Param(f.nib), Param(f.name_key), Param(f.village_code),
       Param(f.region), Param(f.active), Param::Blob(body)});
}

absl::Status SetRecordActive(storage::Transaction& tx, absl::string_view record,
                             bool active) {
  return tx.Exec("UPDATE curation_records SET active = ? WHERE record = ?",
                 {Param(active), Param(record)});
}

absl::StatusOr<std::vector<std::string>> ActiveRecordsWithNib(
    storage::Transaction& tx, absl::string_view nib, absl::string_view except) {
  std::vector<std::string> out;
  RETURN_IF_ERROR(tx.Query(
      "SELECT record FROM curation_records WHERE nib = ? AND record <> ? AND "
      "active = 1 ORDER BY record",
      {Param(nib), Param(except)}, [&](const storage::Row& row) {
        out.emplace_back(row.Text(0));
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
ActiveRecordsInVillage(storage::Transaction& tx, absl::string_view village_code,
                       absl::string_view except) {
  std::vector<std::pair<std::string, std::string>> out;
  RETURN_IF_ERROR(tx.Query(
      "SELECT record, name_key FROM curation_records WHERE village_code = ? "
      "AND record <> ? AND active = 1 ORDER BY record",
      {Param(village_code), Param(except)}, [&](const storage::Row& row) {
        out.emplace_back(row.Text(0), row.Text(1));
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<std::vector<std::string>> RecordsWithOpenTasksNear(
    storage::Transaction& tx, const std::vector<std::string>& nibs,
    const std::vector<std::string>& villages, absl::string_view except) {
  std::vector<std::string> out;
  auto collect = [&](absl::string_view column, VerificationTask::Reason reason,
                     const std::string& value) -> absl::Status {
    if (value.empty()) return absl::OkStatus();
    // Driven by the records with that value (an index each), then their
    // tasks (curation_tasks_record): open tasks are most of the tasks when
    // an import brings many incomplete records, and a plan starting from
    // them read all of them for every event.
    return tx.Query(
        absl::StrCat("SELECT r.record FROM curation_records r WHERE r.", column,
                     " = ? AND r.record <> ? AND EXISTS (SELECT 1 FROM "
                     "curation_tasks t WHERE t.record = r.record AND "
                     "t.reason = ? AND t.state = ?) ORDER BY r.record"),
        {Param(value), Param(except), Param(static_cast<int>(reason)),
         Param(static_cast<int>(VerificationTask::OPEN))},
        [&](const storage::Row& row) {
          std::string r(row.Text(0));
          if (std::find(out.begin(), out.end(), r) == out.end()) {
            out.push_back(std::move(r));
          }
          return absl::OkStatus();
        });
  };
  for (const auto& nib : nibs) {
    RETURN_IF_ERROR(collect("nib", VerificationTask::DUPLICATE_NIB, nib));
  }
  for (const auto& v : villages) {
    RETURN_IF_ERROR(
        collect("village_code", VerificationTask::NEAR_DUPLICATE_NAME, v));
  }
  return out;
}

namespace {

absl::Status ReadTask(const storage::Row& row, StoredTask* out) {
  out->finding = std::string(row.Text(0));
  return ParseBlob(row.Blob(1), &out->task, "verification task");
}

absl::StatusOr<std::vector<StoredTask>> QueryTasks(storage::Transaction& tx,
                                                   absl::string_view where,
                                                   std::vector<Param> params) {
  std::vector<StoredTask> out;
  RETURN_IF_ERROR(
      tx.Query(absl::StrCat("SELECT finding, body FROM curation_tasks WHERE ",
                            where, " ORDER BY id"),
               params, [&](const storage::Row& row) {
                 out.emplace_back();
                 return ReadTask(row, &out.back());
               }));
  return out;
}

std::string TaskId(const VerificationTask& t) {
  return t.name().substr(t.name().find('/') + 1);
}

}  // namespace

absl::StatusOr<StoredTask> GetTask(storage::Transaction& tx,
                                   absl::string_view id) {
  ASSIGN_OR_RETURN(auto tasks, QueryTasks(tx, "id = ?", {Param(id)}));
  if (tasks.empty()) {
    return absl::NotFoundError(
        absl::StrCat("verificationTasks/", id, " not found"));
  }
  return std::move(tasks[0]);
}

// A record's tasks by curation_tasks_record. "+state" keeps SQLite off
// curation_tasks_state, which it would otherwise pick to return them in id
// order without sorting: that reads every open task (most of the tasks after
// an import of incomplete records) for each record evaluated.
absl::StatusOr<std::optional<StoredTask>> FindOpenTask(
    storage::Transaction& tx, absl::string_view record,
    VerificationTask::Reason reason) {
  ASSIGN_OR_RETURN(
      auto tasks,
      QueryTasks(tx, "record = ? AND reason = ? AND +state = ?",
                 {Param(record), Param(static_cast<int>(reason)),
                  Param(static_cast<int>(VerificationTask::OPEN))}));
  if (tasks.empty()) return std::optional<StoredTask>();
  return std::optional<StoredTask>(std::move(tasks[0]));
}

absl::StatusOr<std::vector<StoredTask>> OpenTasksOf(storage::Transaction& tx,
                                                    absl::string_view record) {
  return QueryTasks(
      tx, "record = ? AND +state = ?",  // see FindOpenTask
      {Param(record), Param(static_cast<int>(VerificationTask::OPEN))});
}

absl::StatusOr<std::vector<StoredTask>> OpenTasksNaming(
    storage::Transaction& tx, absl::string_view record,
    VerificationTask::Reason reason, const std::vector<std::string>& holders) {
  const std::string needle = absl::StrCat(",", record, ",");
  std::vector<StoredTask> out;
  for (const std::string& holder : holders) {
    ASSIGN_OR_RETURN(std::optional<StoredTask> t,
                     FindOpenTask(tx, holder, reason));
    if (t.has_value() && absl::StrContains(t->finding, needle)) {
      out.push_back(*std::move(t));
    }
  }
  return out;
}

absl::Status InsertTask(storage::Transaction& tx, const StoredTask& t) {
  const std::string body = Blob(t.task);
  return tx.Exec(
      "INSERT INTO curation_tasks (id, record, reason, state, region, "
      "finding, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {Param(TaskId(t.task)), Param(t.task.record()),
       Param(static_cast<int>(t.task.reason())),
       Param(static_cast<int>(t.task.state())), Param(t.task.region()),
       Param(t.finding), Param::Blob(body)});
}

absl::Status UpdateTask(storage::Transaction& tx, const StoredTask& t) {
  const std::string body = Blob(t.task);
  return tx.Exec(
      "UPDATE curation_tasks SET state = ?, region = ?, finding = ?, body = ? "
      "WHERE id = ?",
      {Param(static_cast<int>(t.task.state())), Param(t.task.region()),
       Param(t.finding), Param::Blob(body), Param(TaskId(t.task))});
}

namespace {

// Within regions, their tasks come from curation_tasks_region, one range
// per region, and are sorted by id. Terms that another index could serve
// are written "+column" so that SQLite takes no other path: on
// curation_tasks_state (state, id), curation_tasks_reason or the table
// itself in id order, it would read every task (of that state or kind)
// instead, as it did for a curator of several regions. `texts` keeps the
// texts the parameters point to alive.
std::string TaskFilter(const TaskQuery& q, std::vector<Param>& params,
                       std::deque<std::string>& texts) {
  const bool by_region = !q.regions.empty();
  std::vector<std::string> clauses = {
      absl::StrCat(storage::Column("id", !by_region), " > ?")};
  params.push_back(Param(q.after_id));
  if (q.state != VerificationTask::STATE_UNSPECIFIED) {
    clauses.push_back(
        absl::StrCat(storage::Column("state", !by_region), " = ?"));
    params.push_back(Param(static_cast<int>(q.state)));
  }
  if (q.reason != VerificationTask::REASON_UNSPECIFIED) {
    clauses.push_back(
        absl::StrCat(storage::Column("reason", !by_region), " = ?"));
    params.push_back(Param(static_cast<int>(q.reason)));
  }
  if (!q.regions.empty()) {
    std::vector<std::string> any;
    for (const auto& code : q.regions) {
      any.push_back(std::string(kRegionWithin));
      const std::string& region =
          texts.emplace_back(absl::StrCat("regions/", code));
      params.push_back(Param(region));
      params.push_back(Param(region));
    }
    clauses.push_back(absl::StrCat("(", absl::StrJoin(any, " OR "), ")"));
  }
  return absl::StrJoin(clauses, " AND ");
}

}  // namespace

absl::StatusOr<std::vector<VerificationTask>> ListTasks(
    storage::Transaction& tx, const TaskQuery& q) {
  std::vector<Param> params;
  std::deque<std::string> texts;
  const std::string where = TaskFilter(q, params, texts);
  params.push_back(Param(q.limit));
  std::vector<VerificationTask> out;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat("SELECT body FROM curation_tasks WHERE ", where,
                   " ORDER BY ", storage::Column("id", q.regions.empty()),
                   " LIMIT ?"),
      params, [&](const storage::Row& row) {
        out.emplace_back();
        return ParseBlob(row.Blob(0), &out.back(), "verification task");
      }));
  return out;
}

absl::StatusOr<int64_t> CountTasks(storage::Transaction& tx,
                                   const TaskQuery& q) {
  TaskQuery all = q;
  all.after_id.clear();
  std::vector<Param> params;
  std::deque<std::string> texts;
  const std::string where = TaskFilter(all, params, texts);
  return storage::QueryInt(
      tx, absl::StrCat("SELECT COUNT(*) FROM curation_tasks WHERE ", where),
      params);
}

absl::StatusOr<bool> IsAcknowledged(storage::Transaction& tx,
                                    absl::string_view record,
                                    VerificationTask::Reason reason,
                                    absl::string_view finding) {
  ASSIGN_OR_RETURN(
      int64_t n,
      storage::QueryInt(
          tx,
          "SELECT COUNT(*) FROM curation_acknowledged WHERE "
          "record = ? AND reason = ? AND finding = ?",
          {Param(record), Param(static_cast<int>(reason)), Param(finding)}));
  return n > 0;
}

absl::Status Acknowledge(storage::Transaction& tx, absl::string_view record,
                         VerificationTask::Reason reason,
                         absl::string_view finding) {
  return tx.Exec(
      "INSERT INTO curation_acknowledged (record, reason, finding) "
      "VALUES (?, ?, ?) ON CONFLICT (record, reason, finding) DO NOTHING",
      {Param(record), Param(static_cast<int>(reason)), Param(finding)});
}

}  // namespace jalin::curation::store
