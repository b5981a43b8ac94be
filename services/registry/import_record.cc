#include "services/registry/import_record.h"

#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/events/outbox.h"
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

constexpr size_t kMaxExternalIdChars = 256;

void Reject(Result* result, const absl::Status& why) {
  result->clear_name();
  result->set_outcome(Result::REJECTED);
  *result->mutable_error() = ToRpcStatus(why, ErrorDomain());
}

void RejectInvalid(Result* result, const FieldViolations& v,
                   absl::string_view resource) {
  FieldViolations prefixed;
  prefixed.Merge(v, resource);
  Reject(result, prefixed.ToStatus(absl::StrCat("invalid ", resource)));
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

// Every violation of `record`: those in `unresolved` (references that did
// not resolve; a field named there is not blamed again for its shape),
// then the field checks and the references. `stored` relaxes the checks
// that depend on the date.
template <typename T>
absl::StatusOr<FieldViolations> Problems(WriteScope& scope, KnownRecords& known,
                                         const FieldViolations& unresolved,
                                         const T& record, const T* stored) {
  FieldViolations checks;
  CheckRecord(record, stored, {scope.regions(), scope.taxonomy(), scope.now()},
              checks);
  RETURN_IF_ERROR(CheckReferences(scope.tx(), record, checks, &known));
  FieldViolations all = unresolved;
  absl::flat_hash_set<std::string> fields;
  for (const auto& fv : unresolved.violations()) fields.insert(fv.field());
  for (const auto& fv : checks.violations()) {
    if (!fields.contains(fv.field())) all.Add(fv.field(), fv.description());
  }
  return all;
}

// Problems of the envelope, before the record is looked at.
void CheckEnvelope(const v1::ImportRecord& in, FieldViolations& v) {
  if (in.external_id().empty()) {
    v.Add("external_id", "is required");
  } else if (in.external_id().size() > kMaxExternalIdChars ||
             absl::StartsWith(in.external_id(), kExternalPrefix)) {
    v.Add("external_id",
          absl::StrCat("must be at most ", kMaxExternalIdChars,
                       " characters and not start with \"external:\""));
  }
  if (in.version() <= 0) v.Add("version", "must be positive");
  if (in.record_case() == v1::ImportRecord::RECORD_NOT_SET) {
    v.Add("record", "one of cluster, enterprise, partner, listing is required");
  }
}

template <typename T>
class Pending final : public PendingImport {
 public:
  // `record` (inside `in`) must outlive this.
  Pending(T& record, const v1::ImportRecord& in)
      : record_(record),
        external_id_(in.external_id()),
        version_(in.version()) {}

  // Returns true when the record is decided (REJECTED) already.
  absl::StatusOr<bool> Prepare(ImportPreparation& p, Result* result);
  absl::Status Apply(ImportTransaction& t, Result* result) override;

 private:
  void Reset(const auth::Principal& principal) {
    ClearOutputOnly(&record_);
    v1::Source* source = record_.mutable_source();
    source->set_system(principal.source_system);
    source->set_external_id(external_id_);
    source->set_version(version_);
  }
  // The full path: decides from the stored record of the same source.
  absl::Status ApplyFully(ImportTransaction& t, Result* result);

  T& record_;
  const std::string external_id_;
  const int64_t version_;
  // Set when the record was found valid and new while preparing: its
  // revision (covered by the batch's transaction), stored form and created
  // event, both serialised.
  bool prepared_ = false;
  int64_t revision_ = 0;
  std::string serialized_;
  events::SerializedEvent created_;
};

template <typename T>
absl::StatusOr<bool> Pending<T>::Prepare(ImportPreparation& p, Result* result) {
  Reset(p.principal);
  // A listing's region and standing come from its owner, which may change
  // until the transaction: all of it is decided there.
  if constexpr (std::is_same_v<T, v1::Listing>) {
    return false;
  } else {
    FieldViolations unresolved;
    RETURN_IF_ERROR(ResolveRefs(p.refs, &record_, unresolved));
    // Permission first: another region's record is refused whatever else is
    // wrong with it. (An unknown region is a field error, decided later.)
    if (p.regions.Find(RegionOf(record_)) != nullptr) {
      if (absl::Status s =
              CheckWriteRecord(p.principal, Action::kCreate, record_);
          !s.ok()) {
        Reject(result, s);
        return true;
      }
    }
    // A reference to a record not committed yet, a cluster the caller may
    // not attach to, or a bad field: the transaction decides (the record
    // may be stored already, UNCHANGED, or refer to that cluster already).
    if (!unresolved.empty()) return false;
    if (!CheckReferenceAccess(p.tx, p.principal, record_, nullptr).ok()) {
      return false;
    }
    FieldViolations v;
    CheckRecord(record_, nullptr, {p.regions, p.taxonomy, p.origin.now}, v);
    if (!v.empty()) return false;
    record_.set_name(
        absl::StrCat(Kind<T>::kCollection, "/", NewUlid(p.origin.now)));
    revision_ = p.revisions.Next();
    StampMeta(record_.mutable_meta(), p.origin.now, revision_,
              /*created=*/true);
    serialized_ = record_.SerializeAsString();
    created_ = events::Outbox::Serialize(
        LentRecordEvent("created", &record_, p.origin));
    prepared_ = true;
    return false;
  }
}

template <typename T>
absl::Status Pending<T>::Apply(ImportTransaction& t, Result* result) {
  if (prepared_) {
    FieldViolations gone;
    RETURN_IF_ERROR(CheckReferences(t.scope.tx(), record_, gone, &t.known));
    if (gone.empty()) {
      RETURN_IF_ERROR(t.scope.CoverRevision(revision_));
      ASSIGN_OR_RETURN(bool inserted,
                       InsertImported(t.scope.tx(), t.scope.taxonomy(), record_,
                                      std::move(serialized_)));
      if (inserted) {
        RETURN_IF_ERROR(t.scope.Append(created_));
        RETURN_IF_ERROR(AfterChange(t.scope, nullptr, &record_));
        t.known.insert(record_.name());
        result->set_name(record_.name());
        result->set_outcome(Result::CREATED);
        return absl::OkStatus();
      }
    }
  }
  return ApplyFully(t, result);
}

template <typename T>
absl::Status Pending<T>::ApplyFully(ImportTransaction& t, Result* result) {
  constexpr absl::string_view kResource = Kind<T>::kResource;
  WriteScope& scope = t.scope;
  const auth::Principal& principal = t.principal;
  Reset(principal);
  FieldViolations unresolved;
  RETURN_IF_ERROR(ResolveRefs(t.refs, &record_, unresolved));
  RETURN_IF_ERROR(DeriveFields(scope.tx(), scope.taxonomy(), scope.now(),
                               &record_, unresolved));
  auto denied = [&](Action action, const T& r) {
    absl::Status s = CheckWriteRecord(principal, action, r);
    if (!s.ok()) Reject(result, s);
    return !s.ok();
  };
  if (scope.regions().Find(RegionOf(record_)) != nullptr &&
      denied(Action::kCreate, record_)) {
    return absl::OkStatus();
  }
  // Refused for a new record; an update is checked against the stored one.
  const absl::Status refs_as_new =
      CheckReferenceAccess(scope.tx(), principal, record_, nullptr);
  ASSIGN_OR_RETURN(FieldViolations v,
                   Problems<T>(scope, t.known, unresolved, record_, nullptr));
  if (v.empty() && refs_as_new.ok()) {
    // Validation guarantees a known region: the check holds on every path.
    if (denied(Action::kCreate, record_)) return absl::OkStatus();
    record_.set_name(
        absl::StrCat(Kind<T>::kCollection, "/", NewUlid(scope.now())));
    ASSIGN_OR_RETURN(const int64_t revision, scope.NextRevision());
    scope.Stamp(record_.mutable_meta(), revision, /*created=*/true);
    ASSIGN_OR_RETURN(bool inserted,
                     InsertImported(scope.tx(), scope.taxonomy(), record_));
    if (inserted) {
      RETURN_IF_ERROR(EmitRecordEvent(scope, "created", record_));
      RETURN_IF_ERROR(AfterChange(scope, nullptr, &record_));
      t.known.insert(record_.name());
      result->set_name(record_.name());
      result->set_outcome(Result::CREATED);
      return absl::OkStatus();
    }
  }

  ASSIGN_OR_RETURN(
      std::optional<T> stored,
      LoadRecordBySource<T>(scope.tx(), principal.source_system, external_id_));
  if (!stored) {
    if (!refs_as_new.ok()) {
      Reject(result, refs_as_new);
    } else if (v.empty()) {
      return absl::InternalError("import: insert refused without a record");
    } else {
      RejectInvalid(result, v, kResource);
    }
    return absl::OkStatus();
  }
  if (denied(Action::kUpdate, *stored)) return absl::OkStatus();
  result->set_name(stored->name());
  if (stored->source().version() >= version_) {
    result->set_outcome(Result::UNCHANGED);
    return absl::OkStatus();
  }
  // The stored name first: the checks compare references with it (a
  // cluster may not be its own parent, nor lie above itself).
  record_.set_name(stored->name());
  if (absl::Status s =
          CheckReferenceAccess(scope.tx(), principal, record_, &*stored);
      !s.ok()) {
    Reject(result, s);
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(v,
                   Problems<T>(scope, t.known, unresolved, record_, &*stored));
  if (!v.empty()) {
    RejectInvalid(result, v, kResource);
    return absl::OkStatus();
  }
  if (denied(Action::kUpdate, record_)) return absl::OkStatus();
  KeepRegistryFields(*stored, &record_);
  *record_.mutable_meta()->mutable_create_time() = stored->meta().create_time();
  ASSIGN_OR_RETURN(const int64_t revision, scope.NextRevision());
  scope.Stamp(record_.mutable_meta(), revision, /*created=*/false);
  RETURN_IF_ERROR(
      SaveRecord(scope.tx(), scope.taxonomy(), record_, /*created=*/false));
  RETURN_IF_ERROR(EmitRecordEvent(scope, "updated", record_));
  RETURN_IF_ERROR(AfterChange(scope, &*stored, &record_));
  scope.Invalidate(record_.name(), revision);
  result->set_outcome(Result::UPDATED);
  return absl::OkStatus();
}

// Rejects a record whose envelope is bad (`envelope` holds its
// violations): with PERMISSION_DENIED when it lies in a region the caller
// may not write, otherwise with every violation of envelope and record.
template <typename T>
absl::Status RejectEnvelope(ImportPreparation& p, T& record,
                            const FieldViolations& envelope, Result* result) {
  ClearOutputOnly(&record);
  FieldViolations v;
  RETURN_IF_ERROR(ResolveRefs(p.refs, &record, v));
  RETURN_IF_ERROR(DeriveFields(p.tx, p.taxonomy, p.origin.now, &record, v));
  if (p.regions.Find(RegionOf(record)) != nullptr) {
    if (absl::Status s = CheckWriteRecord(p.principal, Action::kCreate, record);
        !s.ok()) {
      Reject(result, s);
      return absl::OkStatus();
    }
  }
  FieldViolations checks;
  CheckRecord(record, nullptr, {p.regions, p.taxonomy, p.origin.now}, checks);
  absl::flat_hash_set<std::string> fields;
  for (const auto& fv : v.violations()) fields.insert(fv.field());
  for (const auto& fv : checks.violations()) {
    if (!fields.contains(fv.field())) v.Add(fv.field(), fv.description());
  }
  FieldViolations all = envelope;
  all.Merge(v, Kind<T>::kResource);
  Reject(result, all.ToStatus("invalid record"));
  return absl::OkStatus();
}

template <typename T>
absl::StatusOr<std::unique_ptr<PendingImport>> Make(ImportPreparation& p,
                                                    T& record,
                                                    const v1::ImportRecord& in,
                                                    Result* result) {
  auto pending = std::make_unique<Pending<T>>(record, in);
  ASSIGN_OR_RETURN(bool decided, pending->Prepare(p, result));
  if (decided) return std::unique_ptr<PendingImport>();
  return std::unique_ptr<PendingImport>(std::move(pending));
}

}  // namespace

absl::StatusOr<std::unique_ptr<PendingImport>> PrepareImport(
    ImportPreparation& p, v1::ImportRecord& in, Result* result) {
  result->set_external_id(in.external_id());
  FieldViolations envelope;
  CheckEnvelope(in, envelope);
  if (!envelope.empty()) {
    absl::Status s;
    switch (in.record_case()) {
      case v1::ImportRecord::kCluster:
        s = RejectEnvelope(p, *in.mutable_cluster(), envelope, result);
        break;
      case v1::ImportRecord::kEnterprise:
        s = RejectEnvelope(p, *in.mutable_enterprise(), envelope, result);
        break;
      case v1::ImportRecord::kPartner:
        s = RejectEnvelope(p, *in.mutable_partner(), envelope, result);
        break;
      case v1::ImportRecord::kListing:
        s = RejectEnvelope(p, *in.mutable_listing(), envelope, result);
        break;
      case v1::ImportRecord::RECORD_NOT_SET:
        Reject(result, envelope.ToStatus("invalid record"));
        break;
    }
    RETURN_IF_ERROR(s);
    return std::unique_ptr<PendingImport>();
  }
  switch (in.record_case()) {
    case v1::ImportRecord::kCluster:
      return Make(p, *in.mutable_cluster(), in, result);
    case v1::ImportRecord::kEnterprise:
      return Make(p, *in.mutable_enterprise(), in, result);
    case v1::ImportRecord::kPartner:
      return Make(p, *in.mutable_partner(), in, result);
    case v1::ImportRecord::kListing:
      return Make(p, *in.mutable_listing(), in, result);
    case v1::ImportRecord::RECORD_NOT_SET:
      break;
  }
  return std::unique_ptr<PendingImport>();
}

}  // namespace jalin::registry
