#include "services/registry/record_api.h"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/field_mask.h"
#include "common/api/resource_name.h"
#include "common/ids.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/registry/access.h"
#include "services/registry/record_events.h"
#include "services/registry/record_store.h"
#include "services/registry/references.h"
#include "services/registry/revision_clock.h"
#include "services/registry/side_effects.h"
#include "services/registry/validation.h"

namespace jalin::registry {
namespace {

absl::Status NotFound(absl::string_view name) {
  return absl::NotFoundError(absl::StrCat(name, " not found"));
}

absl::Status EtagMismatch(absl::string_view name) {
  return WithErrorInfo(
      absl::AbortedError(absl::StrCat(
          name, " was changed since the etag was read; read it again")),
      "ETAG_MISMATCH");
}

// Checks a record about to be stored: permission first (when its region is
// a known one; validation guarantees that), then every field and reference,
// reported in one list after `request` (violations of the request's other
// fields, such as request_id).
template <typename T>
absl::Status CheckForWrite(storage::Transaction& tx, const auth::Principal& p,
                           Action action, const CheckContext& ctx,
                           const T* before, T* record, const T* permitted,
                           const FieldViolations& request) {
  FieldViolations v;
  RETURN_IF_ERROR(DeriveFields(tx, ctx.taxonomy, ctx.now, record, v));
  // An unknown region is a field error, reported by validation below.
  const bool region_changed =
      permitted == nullptr || RegionOf(*permitted) != RegionOf(*record);
  if (region_changed && ctx.regions.Find(RegionOf(*record)) != nullptr) {
    RETURN_IF_ERROR(CheckWriteRecord(p, action, *record));
    // A listing follows its owner; an agreement's parties were checked.
    if constexpr (!std::is_same_v<T, v1::Listing> &&
                  !std::is_same_v<T, v1::Agreement>) {
      if (before != nullptr) {
        RETURN_IF_ERROR(CheckRegionChange(
            p, Kind<T>::kCollection, RegionOf(*before), RegionOf(*record)));
      }
    }
  }
  RETURN_IF_ERROR(CheckReferenceAccess(tx, p, *record, before));
  CheckRecord(*record, before, ctx, v);
  RETURN_IF_ERROR(CheckReferences(tx, *record, v));
  FieldViolations all = request;
  all.Merge(v, Kind<T>::kResource);
  RETURN_IF_ERROR(all.ToStatus(absl::StrCat("invalid ", Kind<T>::kResource)));
  return CheckWriteRecord(p, action, *record);
}

// Applies the paths of `mask` that `violations` (of "update_mask.paths[i]")
// does not name, so that the fields they change are checked too.
void ApplyValidPaths(const google::protobuf::Message& body,
                     const google::protobuf::FieldMask& mask,
                     const std::vector<std::string>& output_only,
                     const FieldViolations& violations,
                     google::protobuf::Message* target) {
  std::set<std::string> bad;
  for (const auto& fv : violations.violations()) bad.insert(fv.field());
  google::protobuf::FieldMask valid;
  for (int i = 0; i < mask.paths_size(); ++i) {
    if (!bad.contains(absl::StrCat("update_mask.paths[", i, "]"))) {
      valid.add_paths(mask.paths(i));
    }
  }
  // An empty mask would mean "every field set in the body".
  if (valid.paths_size() == 0) return;
  FieldViolations ignored;
  api::ApplyFieldMask(body, valid, output_only, target, ignored);
}

}  // namespace

template <typename T>
absl::Status RecordApi<T>::Create(const auth::Principal& p,
                                  const google::protobuf::Message& request,
                                  const T& body, absl::string_view id,
                                  absl::string_view request_id,
                                  bool validate_only, T* out) const {
  FieldViolations v;
  ValidateRequestId(request_id, v);
  if (!id.empty() && !api::IsValidId(id)) {
    v.Add(absl::StrCat(Kind<T>::kResource, "_id"),
          "must be 1 to 63 lower-case letters, digits or hyphens");
  }
  const absl::Time now = deps_->clock->Now();
  const std::shared_ptr<const TaxonomyData> taxonomy = deps_->taxonomy->Get();
  const CheckContext ctx{*deps_->write.regions, *taxonomy, now};

  auto prepare = [&](storage::Transaction& tx, T* record) -> absl::Status {
    *record = body;
    ClearOutputOnly(record);
    if (!id.empty()) {
      record->set_name(absl::StrCat(Kind<T>::kCollection, "/", id));
    }
    RETURN_IF_ERROR(CheckForWrite<T>(tx, p, Action::kCreate, ctx, nullptr,
                                     record, nullptr, v));
    if (!id.empty()) {
      ASSIGN_OR_RETURN(bool exists, RecordExists<T>(tx, id));
      if (exists) {
        return absl::AlreadyExistsError(
            absl::StrCat(record->name(), " already exists"));
      }
    }
    return absl::OkStatus();
  };

  // A bad request_id cannot be logged: such a request is only checked, so
  // that it fails with permission first and every violation at once.
  if (validate_only || !v.empty()) {
    RETURN_IF_ERROR(deps_->db->Read(
        [&](storage::Transaction& tx) { return prepare(tx, out); }));
    RETURN_IF_ERROR(v.ToStatus());
    RedactFor(p, out);
    return absl::OkStatus();
  }
  return deps_->request_log->RunOnce(
      *deps_->db, p.subject, absl::StrCat("Create", Kind<T>::kTypeName),
      request_id, request, out, [&](storage::Transaction& tx) -> absl::Status {
        T record;
        RETURN_IF_ERROR(prepare(tx, &record));
        if (record.name().empty()) {
          record.set_name(
              absl::StrCat(Kind<T>::kCollection, "/", NewUlid(now)));
        }
        WriteScope scope(tx, deps_->write, taxonomy, now, p.subject,
                         std::string(request_id));
        ASSIGN_OR_RETURN(const int64_t revision, scope.NextRevision());
        scope.Stamp(record.mutable_meta(), revision, /*created=*/true);
        RETURN_IF_ERROR(SaveRecord(tx, *taxonomy, record, /*created=*/true));
        RETURN_IF_ERROR(EmitRecordEvent(scope, "created", record));
        RETURN_IF_ERROR(AfterChange(scope, nullptr, &record));
        // A client-chosen id may have been used before: retire any entry.
        scope.Invalidate(record.name(), revision);
        *out = std::move(record);
        RedactFor(p, out);
        return absl::OkStatus();
      });
}

template <typename T>
absl::Status RecordApi<T>::Get(const auth::Principal& p, absl::string_view name,
                               T* out) const {
  ASSIGN_OR_RETURN(std::string id,
                   api::ParseName(name, Kind<T>::kCollection, "name"));
  if (std::optional<std::string> bytes = deps_->cache->Get(name);
      bytes.has_value() && out->ParseFromString(*bytes)) {
    RedactFor(p, out);
    return absl::OkStatus();
  }
  std::optional<T> record;
  RETURN_IF_ERROR(
      deps_->db->Read([&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(record, LoadRecord<T>(tx, id));
        return absl::OkStatus();
      }));
  if (!record) return NotFound(name);
  deps_->cache->Fill(name, RevisionOf(record->meta().etag()),
                     record->SerializeAsString());
  *out = *std::move(record);
  RedactFor(p, out);
  return absl::OkStatus();
}

template <typename T>
absl::Status RecordApi<T>::Update(const auth::Principal& p,
                                  const google::protobuf::Message& request,
                                  const T& body,
                                  const google::protobuf::FieldMask& mask,
                                  absl::string_view request_id, T* out) const {
  FieldViolations v;
  ValidateRequestId(request_id, v);
  absl::StatusOr<std::string> id =
      api::ParseName(body.name(), Kind<T>::kCollection,
                     absl::StrCat(Kind<T>::kResource, ".name"));
  if (!id.ok()) {
    v.AddFrom(id.status(), absl::StrCat(Kind<T>::kResource, ".name"));
    return v.ToStatus();
  }
  const absl::Time now = deps_->clock->Now();
  const std::shared_ptr<const TaxonomyData> taxonomy = deps_->taxonomy->Get();
  const CheckContext ctx{*deps_->write.regions, *taxonomy, now};
  // Loads, checks and (when `write`) stores the update.
  auto update = [&](storage::Transaction& tx, bool write) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<T> current, LoadRecord<T>(tx, *id));
    if (!current) return NotFound(body.name());
    RETURN_IF_ERROR(CheckWriteRecord(p, Action::kUpdate, *current));
    if (!body.meta().etag().empty() &&
        body.meta().etag() != current->meta().etag()) {
      return EtagMismatch(body.name());
    }
    T updated = *current;
    FieldViolations mv = v;
    api::ApplyFieldMask(body, mask, OutputOnlyFields(body), &updated, mv);
    if (mv.size() != v.size()) {
      ApplyValidPaths(body, mask, OutputOnlyFields(body), mv, &updated);
    }
    RETURN_IF_ERROR(CheckForWrite<T>(tx, p, Action::kUpdate, ctx, &*current,
                                     &updated, &*current, mv));
    if (!write) return absl::OkStatus();
    if (google::protobuf::util::MessageDifferencer::Equals(updated, *current)) {
      *out = std::move(updated);
      RedactFor(p, out);
      return absl::OkStatus();
    }
    WriteScope scope(tx, deps_->write, taxonomy, now, p.subject,
                     std::string(request_id));
    ASSIGN_OR_RETURN(const int64_t revision, scope.NextRevision());
    scope.Stamp(updated.mutable_meta(), revision, /*created=*/false);
    RETURN_IF_ERROR(SaveRecord(tx, *taxonomy, updated, /*created=*/false));
    RETURN_IF_ERROR(EmitRecordEvent(scope, "updated", updated));
    RETURN_IF_ERROR(AfterChange(scope, &*current, &updated));
    scope.Invalidate(updated.name(), revision);
    *out = std::move(updated);
    RedactFor(p, out);
    return absl::OkStatus();
  };
  // A bad request_id cannot be logged: such a request is only checked.
  if (!v.empty()) {
    RETURN_IF_ERROR(deps_->db->Read(
        [&](storage::Transaction& tx) { return update(tx, false); }));
    return v.ToStatus();
  }
  return deps_->request_log->RunOnce(
      *deps_->db, p.subject, absl::StrCat("Update", Kind<T>::kTypeName),
      request_id, request, out,
      [&](storage::Transaction& tx) { return update(tx, true); });
}

template <typename T>
absl::Status RecordApi<T>::Delete(const auth::Principal& p,
                                  const google::protobuf::Message& request,
                                  absl::string_view name,
                                  absl::string_view etag,
                                  absl::string_view request_id) const {
  FieldViolations v;
  ValidateRequestId(request_id, v);
  absl::StatusOr<std::string> id =
      api::ParseName(name, Kind<T>::kCollection, "name");
  if (!id.ok()) {
    v.AddFrom(id.status(), "name");
    return v.ToStatus();
  }
  const absl::Time now = deps_->clock->Now();
  auto load = [&](storage::Transaction& tx) -> absl::StatusOr<T> {
    ASSIGN_OR_RETURN(std::optional<T> current, LoadRecord<T>(tx, *id));
    if (!current) return NotFound(name);
    RETURN_IF_ERROR(CheckWriteRecord(p, Action::kDelete, *current));
    if (!etag.empty() && etag != current->meta().etag()) {
      return EtagMismatch(name);
    }
    return *std::move(current);
  };
  // A bad request_id cannot be logged: such a request is only checked.
  if (!v.empty()) {
    RETURN_IF_ERROR(deps_->db->Read(
        [&](storage::Transaction& tx) { return load(tx).status(); }));
    return v.ToStatus();
  }
  google::protobuf::Empty response;
  return deps_->request_log->RunOnce(
      *deps_->db, p.subject, absl::StrCat("Delete", Kind<T>::kTypeName),
      request_id, request, &response,
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(T current, load(tx));
        RETURN_IF_ERROR(CheckDeletable(tx, current));
        WriteScope scope(tx, deps_->write, deps_->taxonomy->Get(), now,
                         p.subject, std::string(request_id));
        RETURN_IF_ERROR(AfterChange(scope, &current, nullptr));
        RETURN_IF_ERROR(DeleteRecord<T>(tx, *id));
        RETURN_IF_ERROR(EmitRecordEvent(scope, "deleted", current));
        ASSIGN_OR_RETURN(const int64_t revision, scope.NextRevision());
        scope.Invalidate(current.name(), revision);
        return absl::OkStatus();
      });
}

template class RecordApi<v1::Cluster>;
template class RecordApi<v1::Enterprise>;
template class RecordApi<v1::Partner>;
template class RecordApi<v1::Listing>;
template class RecordApi<v1::Agreement>;

}  // namespace jalin::registry
