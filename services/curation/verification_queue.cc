#include "services/curation/verification_queue.h"

#include <algorithm>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/auth/policy.h"
#include "common/ids.h"
#include "common/proto_time.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "common/validation/validators.h"
#include "jalin/events/v1/registry_events.pb.h"
#include "services/curation/curation_errors.h"
#include "services/curation/record_checks.h"

namespace jalin::curation {

using ::jalin::curation::v1::VerificationTask;
using ::jalin::registry::v1::Enterprise;

namespace {

constexpr VerificationTask::Reason kReasons[] = {
    VerificationTask::DUPLICATE_NIB, VerificationTask::NEAR_DUPLICATE_NAME,
    VerificationTask::INCOMPLETE};

bool IsDuplicateReason(VerificationTask::Reason r) {
  return r == VerificationTask::DUPLICATE_NIB ||
         r == VerificationTask::NEAR_DUPLICATE_NAME;
}

// Duplicate findings are ",a,b," so that a record can be searched for with
// LIKE '%,a,%'; completeness findings list the missing fields.
std::string DuplicateFinding(const std::vector<std::string>& records) {
  if (records.empty()) return "";
  return absl::StrCat(",", absl::StrJoin(records, ","), ",");
}

std::vector<std::string> RelatedOf(const store::StoredTask& t) {
  std::vector<std::string> out;
  for (const auto& r : t.task.related_records()) out.push_back(r);
  return out;
}

bool IsLive(const Enterprise& e) {
  return e.verification_state() != jalin::registry::v1::MERGED &&
         e.verification_state() != jalin::registry::v1::REJECTED;
}

absl::Status Denied() {
  return auth::PermissionDenied(
      "the task is not in the caller's regions (or does not exist)");
}

}  // namespace

absl::Status VerificationQueue::Apply(const jalin::events::v1::Event& event,
                                      storage::Transaction& tx) {
  const std::string& type = event.type();
  const bool deleted = type == "jalin.registry.enterprise.deleted";
  if (!deleted && type != "jalin.registry.enterprise.created" &&
      type != "jalin.registry.enterprise.updated" &&
      type != "jalin.registry.enterprise.verification_changed") {
    return absl::OkStatus();
  }
  jalin::events::v1::EnterpriseEvent payload;
  if (!event.data().UnpackTo(&payload) || payload.enterprise().name().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event ", event.id(), " (", type, ") carries no readable enterprise"));
  }
  const Enterprise& e = payload.enterprise();
  const absl::Time now = deps_->clock->Now();
  ASSIGN_OR_RETURN(auto old, store::GetRecord(tx, e.name()));
  store::RecordFacts facts;
  facts.record = e.name();
  facts.nib = e.nib();
  facts.name_key = NameKey(e.display_name());
  facts.village_code = e.location().village_code();
  facts.region = e.location().region();
  facts.active = !deleted && IsLive(e);
  facts.enterprise = e;
  RETURN_IF_ERROR(store::UpsertRecord(tx, facts));
  RETURN_IF_ERROR(Evaluate(tx, e.name(), now));
  // Records near the old and the new version may have tasks that name this
  // one: bring them up to date.
  std::vector<std::string> nibs = {facts.nib};
  std::vector<std::string> villages = {facts.village_code};
  if (old.has_value()) {
    nibs.push_back(old->nib);
    villages.push_back(old->village_code);
  }
  ASSIGN_OR_RETURN(
      auto near, store::RecordsWithOpenTasksNear(tx, nibs, villages, e.name()));
  return EvaluateAll(tx, near, e.name(), now);
}

absl::Status VerificationQueue::EvaluateAll(
    storage::Transaction& tx, const std::vector<std::string>& records,
    absl::string_view except, absl::Time now) {
  std::vector<std::string> sorted = records;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const auto& r : sorted) {
    if (r != except) RETURN_IF_ERROR(Evaluate(tx, r, now));
  }
  return absl::OkStatus();
}

absl::Status VerificationQueue::Clear(storage::Transaction& tx,
                                      store::StoredTask& t,
                                      absl::string_view why, absl::Time now) {
  t.task.set_state(VerificationTask::RESOLVED);
  t.task.set_resolution(VerificationTask::RESOLUTION_UNSPECIFIED);
  t.task.set_resolved_by("system");
  t.task.set_comment(std::string(why));
  ToProtoTime(now, t.task.mutable_resolve_time());
  RETURN_IF_ERROR(store::UpdateTask(tx, t));
  return deps_->events.Verification(tx, kVerificationCleared, t.task, {}, now);
}

absl::Status VerificationQueue::Evaluate(storage::Transaction& tx,
                                         const std::string& record,
                                         absl::Time now) {
  ASSIGN_OR_RETURN(auto facts, store::GetRecord(tx, record));
  if (!facts.has_value() || !facts->active) {
    ASSIGN_OR_RETURN(auto open, store::OpenTasksOf(tx, record));
    for (auto& t : open) {
      RETURN_IF_ERROR(
          Clear(tx, t, "the record was deleted, merged or rejected", now));
    }
    return absl::OkStatus();
  }
  for (VerificationTask::Reason reason : kReasons) {
    std::vector<std::string> related;
    std::string finding, detail;
    if (reason == VerificationTask::DUPLICATE_NIB && !facts->nib.empty()) {
      ASSIGN_OR_RETURN(related,
                       store::ActiveRecordsWithNib(tx, facts->nib, record));
      finding = DuplicateFinding(related);
      detail = absl::StrCat("NIB ", facts->nib, " is also used by ",
                            absl::StrJoin(related, ", "));
    } else if (reason == VerificationTask::NEAR_DUPLICATE_NAME &&
               !facts->village_code.empty() && !facts->name_key.empty()) {
      ASSIGN_OR_RETURN(auto village, store::ActiveRecordsInVillage(
                                         tx, facts->village_code, record));
      for (const auto& [other, key] : village) {
        if (NearDuplicateNames(facts->name_key, key)) related.push_back(other);
      }
      finding = DuplicateFinding(related);
      detail = absl::StrCat(
          "\"", facts->enterprise.display_name(), "\" is nearly the name of ",
          absl::StrJoin(related, ", "), " in village ", facts->village_code);
    } else if (reason == VerificationTask::INCOMPLETE) {
      const std::vector<std::string> missing = MissingFields(facts->enterprise);
      finding = absl::StrJoin(missing, ",");
      detail = absl::StrCat("missing: ", absl::StrJoin(missing, ", "));
    }
    ASSIGN_OR_RETURN(auto open, store::FindOpenTask(tx, record, reason));
    if (finding.empty()) {
      if (open.has_value()) {
        RETURN_IF_ERROR(Clear(tx, *open, "the finding no longer holds", now));
      }
      continue;
    }
    ASSIGN_OR_RETURN(bool acknowledged,
                     store::IsAcknowledged(tx, record, reason, finding));
    if (acknowledged) {
      if (open.has_value()) {
        RETURN_IF_ERROR(
            Clear(tx, *open, "a curator verified this finding before", now));
      }
      continue;
    }
    if (open.has_value()) {
      if (open->finding != finding) {
        open->finding = finding;
        open->task.clear_related_records();
        for (const auto& r : related) open->task.add_related_records(r);
        open->task.set_detail(detail);
        open->task.set_region(facts->region);
        RETURN_IF_ERROR(store::UpdateTask(tx, *open));
      }
      continue;
    }
    if (IsDuplicateReason(reason)) {
      // One task per duplicate group: another record's open task already
      // names this one. Such a task is held by a record of the group (a
      // change to a record re-evaluates the duplicate tasks of its old and
      // new NIB and village, see Apply), so only the group's are read.
      ASSIGN_OR_RETURN(auto naming,
                       store::OpenTasksNaming(tx, record, reason, related));
      if (!naming.empty()) continue;
    }
    store::StoredTask t;
    t.finding = finding;
    t.task.set_name(absl::StrCat("verificationTasks/", NewUlid(now)));
    t.task.set_record(record);
    t.task.set_reason(reason);
    for (const auto& r : related) t.task.add_related_records(r);
    t.task.set_detail(detail);
    t.task.set_state(VerificationTask::OPEN);
    ToProtoTime(now, t.task.mutable_create_time());
    t.task.set_region(facts->region);
    RETURN_IF_ERROR(store::InsertTask(tx, t));
    RETURN_IF_ERROR(
        deps_->events.Verification(tx, kVerificationOpened, t.task, {}, now));
  }
  return absl::OkStatus();
}

absl::Status VerificationQueue::List(
    const auth::Principal& p, const v1::ListVerificationTasksRequest& req,
    v1::ListVerificationTasksResponse* out) {
  FieldViolations v;
  const int page_size = api::PageSize(req.page_size(), v);
  if (!req.region().empty() &&
      (!absl::StartsWith(req.region(), "regions/") ||
       deps_->regions->Find(req.region()) == nullptr)) {
    v.Add("region", "is not a known region (\"regions/<code>\")");
  }
  RETURN_IF_ERROR(v.ToStatus());
  store::TaskQuery q{.state = req.state(), .reason = req.reason()};
  if (!req.region().empty()) {
    if (!p.CoversRegion(req.region())) return Denied();
    q.regions = {auth::RegionCode(req.region())};
  } else if (!p.IsGlobal()) {
    if (p.regions.empty()) {
      return auth::PermissionDenied(
          "verification tasks are read within the caller's regions, and the "
          "caller has none");
    }
    q.regions = p.regions;
  }
  const std::string query =
      absl::StrCat("tasks|", absl::StrJoin(q.regions, ","), "|", req.state(),
                   "|", req.reason());
  ASSIGN_OR_RETURN(q.after_id, api::DecodePageToken(req.page_token(), query));
  q.limit = page_size + 1;
  return deps_->db->Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(auto tasks, store::ListTasks(tx, q));
    ASSIGN_OR_RETURN(int64_t total, store::CountTasks(tx, q));
    const bool more = static_cast<int>(tasks.size()) > page_size;
    if (more) tasks.pop_back();
    for (auto& t : tasks) *out->add_tasks() = std::move(t);
    if (more) {
      const std::string& last = out->tasks(page_size - 1).name();
      out->set_next_page_token(
          api::EncodePageToken(query, last.substr(last.find('/') + 1)));
    }
    out->set_total_size(static_cast<int32_t>(total));
    return absl::OkStatus();
  });
}

absl::Status VerificationQueue::Resolve(
    const auth::Principal& p, const v1::ResolveVerificationTaskRequest& req,
    VerificationTask* out) {
  FieldViolations v;
  ValidateRequestId(req.request_id(), v);
  absl::StatusOr<std::string> id =
      api::ParseName(req.name(), "verificationTasks", "name");
  v.AddFrom(id.status());
  const auto resolution = req.resolution();
  if (resolution != VerificationTask::VERIFY &&
      resolution != VerificationTask::MERGE &&
      resolution != VerificationTask::REJECT) {
    v.Add("resolution", "must be VERIFY, MERGE or REJECT");
  }
  if (resolution == VerificationTask::MERGE) {
    if (req.merge_into().empty()) {
      v.Add("merge_into", "is required to merge: the surviving record");
    } else {
      v.AddFrom(api::ParseName(req.merge_into(), "enterprises", "merge_into")
                    .status());
    }
  } else if (!req.merge_into().empty()) {
    v.Add("merge_into", "is only for MERGE");
  }
  validation::CheckText(v, "comment", req.comment(), 2000, false);
  RETURN_IF_ERROR(v.ToStatus("invalid resolution"));
  const absl::Time now = deps_->clock->Now();
  return deps_->requests->RunOnce(
      *deps_->db, p.subject, "ResolveVerificationTask", req.request_id(), req,
      out, [&](storage::Transaction& tx) -> absl::Status {
        absl::StatusOr<store::StoredTask> t = store::GetTask(tx, *id);
        if (!t.ok()) {
          return absl::IsNotFound(t.status()) && !p.IsGlobal() ? Denied()
                                                               : t.status();
        }
        if (!p.CoversRegion(t->task.region())) return Denied();
        if (t->task.state() != VerificationTask::OPEN) {
          return PreconditionFailed(
              absl::StrCat(req.name(), " is already resolved"), "TASK_OPEN",
              req.name(), "the task is already resolved", "TASK_RESOLVED");
        }
        const std::string& record = t->task.record();
        if (resolution == VerificationTask::MERGE) {
          FieldViolations mv;
          const auto& related = t->task.related_records();
          if (req.merge_into() == record) {
            mv.Add("merge_into", "must differ from the task's record");
          } else if (IsDuplicateReason(t->task.reason()) &&
                     std::find(related.begin(), related.end(),
                               req.merge_into()) == related.end()) {
            // The count and where the whole list is come first: a long
            // list is cut (FieldViolations::kMaxDescriptionBytes).
            mv.Add(
                "merge_into",
                absl::StrCat("must be one of the task's related records (all ",
                             related.size(), " in its related_records): ",
                             absl::StrJoin(related, ", ")));
          } else {
            ASSIGN_OR_RETURN(auto target,
                             store::GetRecord(tx, req.merge_into()));
            if (!target.has_value() || !target->active) {
              mv.Add("merge_into", "is not a live record of the registry");
            }
          }
          RETURN_IF_ERROR(mv.ToStatus("invalid resolution"));
        }
        t->task.set_state(VerificationTask::RESOLVED);
        t->task.set_resolution(resolution);
        t->task.set_merge_into(req.merge_into());
        t->task.set_resolved_by(p.subject);
        t->task.set_comment(req.comment());
        ToProtoTime(now, t->task.mutable_resolve_time());
        RETURN_IF_ERROR(store::UpdateTask(tx, *t));
        RETURN_IF_ERROR(deps_->events.Verification(
            tx, kVerificationResolved, t->task,
            {.actor = p.subject, .request_id = req.request_id()}, now));
        std::vector<std::string> affected = RelatedOf(*t);
        if (resolution == VerificationTask::VERIFY) {
          RETURN_IF_ERROR(
              store::Acknowledge(tx, record, t->task.reason(), t->finding));
        } else {
          // The record leaves the registry's live set: its other tasks are
          // moot, and tasks naming it change.
          RETURN_IF_ERROR(store::SetRecordActive(tx, record, false));
          RETURN_IF_ERROR(Evaluate(tx, record, now));
          ASSIGN_OR_RETURN(auto facts, store::GetRecord(tx, record));
          if (facts.has_value()) {
            ASSIGN_OR_RETURN(auto near, store::RecordsWithOpenTasksNear(
                                            tx, {facts->nib},
                                            {facts->village_code}, record));
            affected.insert(affected.end(), near.begin(), near.end());
          }
        }
        RETURN_IF_ERROR(EvaluateAll(tx, affected, record, now));
        *out = t->task;
        return absl::OkStatus();
      });
}

}  // namespace jalin::curation
