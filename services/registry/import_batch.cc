#include "services/registry/import_batch.h"

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/auth/policy.h"
#include "common/ids.h"
#include "common/server/service_host.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/registry/access.h"
#include "services/registry/record_events.h"
#include "services/registry/record_store.h"
#include "services/registry/references.h"
#include "services/registry/side_effects.h"
#include "services/registry/validation.h"

namespace jalin::registry {
namespace {

using Result = v1::ImportRecordResult;

constexpr absl::string_view kExternal = "external:";
constexpr size_t kMaxExternalIdChars = 256;

// Resolves "external:<id>" references of one source within one batch,
// remembering what it found. Used by one thread inside one transaction.
class ExternalRefs {
 public:
  ExternalRefs(storage::Transaction& tx, absl::string_view system)
      : tx_(tx), system_(system) {}

  // Replaces `*name` when it is "external:<id>" of a record of kind T (or,
  // for an owner, of any owner kind); adds a violation of `field` when no
  // such record exists.
  template <typename T>
  absl::Status Resolve(std::string* name, const std::string& field,
                       FieldViolations& v) {
    absl::string_view ext = *name;
    if (!absl::ConsumePrefix(&ext, kExternal)) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::string found, Find<T>(ext));
    if (found.empty()) {
      v.Add(field, absl::StrCat("no ", Kind<T>::kResource,
                                " with external id ", ext, " from ", system_));
    } else {
      *name = std::move(found);
    }
    return absl::OkStatus();
  }

  absl::Status ResolveOwner(std::string* name, FieldViolations& v) {
    absl::string_view ext = *name;
    if (!absl::ConsumePrefix(&ext, kExternal)) return absl::OkStatus();
    std::vector<std::string> found;
    for (auto find : {&ExternalRefs::Find<v1::Enterprise>,
                      &ExternalRefs::Find<v1::Cluster>,
                      &ExternalRefs::Find<v1::Partner>}) {
      ASSIGN_OR_RETURN(std::string n, (this->*find)(ext));
      if (!n.empty()) found.push_back(std::move(n));
    }
    if (found.empty()) {
      v.Add("owner", absl::StrCat("no record with external id ", ext,
                                  " from ", system_));
    } else if (found.size() > 1) {
      v.Add("owner", absl::StrCat("external id ", ext,
                                  " names more than one record; use the "
                                  "resource name"));
    } else {
      *name = std::move(found[0]);
    }
    return absl::OkStatus();
  }

 private:
  // The resource name of the record of kind T with external id `ext`, or
  // empty.
  template <typename T>
  absl::StatusOr<std::string> Find(absl::string_view ext) {
    const std::string key = absl::StrCat(Kind<T>::kCollection, "/", ext);
    if (auto it = known_.find(key); it != known_.end()) return it->second;
    ASSIGN_OR_RETURN(std::string id, FindIdBySource<T>(tx_, system_, ext));
    std::string name =
        id.empty() ? "" : absl::StrCat(Kind<T>::kCollection, "/", id);
    // Only hits are remembered: a later record of the batch may create it.
    if (!name.empty()) known_.emplace(key, name);
    return name;
  }

  storage::Transaction& tx_;
  const std::string system_;
  absl::flat_hash_map<std::string, std::string> known_;
};

absl::Status ResolveRefs(ExternalRefs& refs, v1::Cluster* r,
                         FieldViolations& v) {
  return refs.Resolve<v1::Cluster>(r->mutable_parent_cluster(),
                                   "parent_cluster", v);
}
absl::Status ResolveRefs(ExternalRefs& refs, v1::Enterprise* r,
                         FieldViolations& v) {
  for (int i = 0; i < r->clusters_size(); ++i) {
    RETURN_IF_ERROR(refs.Resolve<v1::Cluster>(
        r->mutable_clusters(i), absl::StrCat("clusters[", i, "]"), v));
  }
  return absl::OkStatus();
}
absl::Status ResolveRefs(ExternalRefs&, v1::Partner*, FieldViolations&) {
  return absl::OkStatus();
}
absl::Status ResolveRefs(ExternalRefs& refs, v1::Listing* r,
                         FieldViolations& v) {
  return refs.ResolveOwner(r->mutable_owner(), v);
}

// What the registry owns of a stored record survives an import update.
void KeepRegistryFields(const v1::Cluster& stored, v1::Cluster* r) {
  r->set_verification_state(stored.verification_state());
}
void KeepRegistryFields(const v1::Enterprise& stored, v1::Enterprise* r) {
  r->set_verification_state(stored.verification_state());
  r->set_merged_into(stored.merged_into());
  *r->mutable_curation_marks() = stored.curation_marks();
}
void KeepRegistryFields(const v1::Partner& stored, v1::Partner* r) {
  r->set_verification_state(stored.verification_state());
}
void KeepRegistryFields(const v1::Listing&, v1::Listing*) {}

void Reject(Result* result, const absl::Status& why) {
  result->set_outcome(Result::REJECTED);
  *result->mutable_error() = ToRpcStatus(why, ErrorDomain());
}

// Imports one record of kind T into the batch's transaction.
template <typename T>
absl::Status ImportOne(WriteScope& scope, ExternalRefs& refs,
                       const auth::Principal& p, const v1::ImportRecord& in,
                       const T& incoming, Result* result) {
  T record = incoming;
  ClearOutputOnly(&record);
  v1::Source* source = record.mutable_source();
  source->set_system(p.source_system);
  source->set_external_id(in.external_id());
  source->set_version(in.version());

  FieldViolations v;
  RETURN_IF_ERROR(ResolveRefs(refs, &record, v));
  RETURN_IF_ERROR(DeriveFields(scope.tx(), scope.taxonomy(), scope.now(),
                               &record, v));
  // Permission first: another region's record is refused whatever else is
  // wrong with it (an unknown region is a field error, reported below).
  if (scope.regions().Find(RegionOf(record)) != nullptr) {
    if (absl::Status s = CheckWriteRecord(p, Action::kCreate, record); !s.ok()) {
      Reject(result, s);
      return absl::OkStatus();
    }
  }
  ASSIGN_OR_RETURN(std::optional<T> stored,
                   LoadRecordBySource<T>(scope.tx(), p.source_system,
                                         in.external_id()));
  if (stored) {
    result->set_name(stored->name());
    if (absl::Status s = CheckWriteRecord(p, Action::kUpdate, *stored);
        !s.ok()) {
      result->clear_name();
      Reject(result, s);
      return absl::OkStatus();
    }
    if (stored->source().version() >= in.version()) {
      result->set_outcome(Result::UNCHANGED);
      return absl::OkStatus();
    }
  }
  // A reference that did not resolve was named above; its field's other
  // complaints (it is no resource name) would only repeat that.
  FieldViolations checks;
  CheckRecord(record, stored ? &*stored : nullptr,
              {scope.regions(), scope.taxonomy(), scope.now()}, checks);
  RETURN_IF_ERROR(CheckReferences(scope.tx(), record, checks));
  absl::flat_hash_set<std::string> unresolved;
  for (const auto& fv : v.violations()) unresolved.insert(fv.field());
  for (const auto& fv : checks.violations()) {
    if (!unresolved.contains(fv.field())) v.Add(fv.field(), fv.description());
  }
  if (!v.empty()) {
    FieldViolations prefixed;
    prefixed.Merge(v, Kind<T>::kResource);
    result->clear_name();
    Reject(result, prefixed.ToStatus(absl::StrCat("invalid ",
                                                  Kind<T>::kResource)));
    return absl::OkStatus();
  }
  // Validation guarantees a region; the check holds for every path.
  if (absl::Status s = CheckWriteRecord(
          p, stored ? Action::kUpdate : Action::kCreate, record);
      !s.ok()) {
    result->clear_name();
    Reject(result, s);
    return absl::OkStatus();
  }
  const int64_t revision = scope.NextRevision();
  if (stored) {
    record.set_name(stored->name());
    KeepRegistryFields(*stored, &record);
    *record.mutable_meta()->mutable_create_time() =
        stored->meta().create_time();
  } else {
    record.set_name(
        absl::StrCat(Kind<T>::kCollection, "/", NewUlid(scope.now())));
  }
  scope.Stamp(record.mutable_meta(), revision, /*created=*/!stored);
  RETURN_IF_ERROR(
      SaveRecord(scope.tx(), scope.taxonomy(), record, /*created=*/!stored));
  RETURN_IF_ERROR(
      EmitRecordEvent(scope, stored ? "updated" : "created", record));
  RETURN_IF_ERROR(AfterChange(scope, stored ? &*stored : nullptr, &record));
  if (stored) scope.Invalidate(record.name(), revision);
  result->set_name(record.name());
  result->set_outcome(stored ? Result::UPDATED : Result::CREATED);
  return absl::OkStatus();
}

// Problems of the envelope, before the record is looked at.
void CheckEnvelope(const v1::ImportRecord& in, FieldViolations& v) {
  if (in.external_id().empty()) {
    v.Add("external_id", "is required");
  } else if (in.external_id().size() > kMaxExternalIdChars ||
             absl::StartsWith(in.external_id(), kExternal)) {
    v.Add("external_id",
          absl::StrCat("must be at most ", kMaxExternalIdChars,
                       " characters and not start with \"external:\""));
  }
  if (in.version() <= 0) v.Add("version", "must be positive");
  if (in.record_case() == v1::ImportRecord::RECORD_NOT_SET) {
    v.Add("record", "one of cluster, enterprise, partner, listing is required");
  }
}

}  // namespace

absl::Status ImportProcessor::CheckCaller(const auth::Principal& p) const {
  if (p.source_system.empty()) {
    return auth::PermissionDenied(
        "an import needs a token that names its source system (claim src)");
  }
  return absl::OkStatus();
}

absl::Status ImportProcessor::Apply(const auth::Principal& p,
                                    const v1::ImportRecordsRequest& batch,
                                    v1::ImportRecordsResponse* out) const {
  RETURN_IF_ERROR(CheckCaller(p));
  if (batch.records_size() > max_batch_records_) {
    return InvalidFieldError(
        "records", absl::StrCat("a batch holds at most ", max_batch_records_,
                                " records"));
  }
  const absl::Time now = deps_->clock->Now();
  const auto taxonomy = deps_->taxonomy->Get();
  v1::ImportRecordsResponse response;
  RETURN_IF_ERROR(deps_->db->Write([&](storage::Transaction& tx) -> absl::Status {
    response.Clear();
    response.set_batch_id(batch.batch_id());
    WriteScope scope(tx, deps_->write, taxonomy, now, p.subject, "");
    ExternalRefs refs(tx, p.source_system);
    for (int i = 0; i < batch.records_size(); ++i) {
      const v1::ImportRecord& in = batch.records(i);
      Result* result = response.add_results();
      result->set_index(i);
      result->set_external_id(in.external_id());
      FieldViolations envelope;
      CheckEnvelope(in, envelope);
      if (!envelope.empty()) {
        Reject(result, envelope.ToStatus("invalid record"));
        continue;
      }
      switch (in.record_case()) {
        case v1::ImportRecord::kCluster:
          RETURN_IF_ERROR(ImportOne(scope, refs, p, in, in.cluster(), result));
          break;
        case v1::ImportRecord::kEnterprise:
          RETURN_IF_ERROR(
              ImportOne(scope, refs, p, in, in.enterprise(), result));
          break;
        case v1::ImportRecord::kPartner:
          RETURN_IF_ERROR(ImportOne(scope, refs, p, in, in.partner(), result));
          break;
        case v1::ImportRecord::kListing:
          RETURN_IF_ERROR(ImportOne(scope, refs, p, in, in.listing(), result));
          break;
        case v1::ImportRecord::RECORD_NOT_SET:
          break;
      }
    }
    return absl::OkStatus();
  }));
  for (const Result& r : response.results()) {
    switch (r.outcome()) {
      case Result::CREATED:
        response.set_created(response.created() + 1);
        break;
      case Result::UPDATED:
        response.set_updated(response.updated() + 1);
        break;
      case Result::UNCHANGED:
        response.set_unchanged(response.unchanged() + 1);
        break;
      case Result::REJECTED:
        response.set_rejected(response.rejected() + 1);
        break;
      default:
        break;
    }
  }
  *out = std::move(response);
  return absl::OkStatus();
}

}  // namespace jalin::registry
