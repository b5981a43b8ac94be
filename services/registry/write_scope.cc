#include "services/registry/write_scope.h"

#include "absl/strings/str_cat.h"
#include "common/events/event_builder.h"
#include "common/status/status_macros.h"
#include "services/registry/time_util.h"

namespace jalin::registry {

jalin::events::v1::Event RegistryEvent(absl::string_view type,
                                       absl::string_view subject,
                                       const google::protobuf::Message& payload,
                                       std::vector<std::string> regions,
                                       std::vector<std::string> parties,
                                       const EventOrigin& origin) {
  const std::string full_type = absl::StrCat("jalin.registry.", type);
  return events::MakeEvent({.service = "registry",
                            .type = full_type,
                            .subject = subject,
                            .regions = std::move(regions),
                            .parties = std::move(parties),
                            .request_id = origin.request_id,
                            .actor = origin.actor},
                           payload, origin.now);
}

WriteScope::WriteScope(storage::Transaction& tx, const WriteDeps& deps,
                       std::shared_ptr<const TaxonomyData> taxonomy,
                       absl::Time now, std::string actor,
                       std::string request_id)
    : tx_(tx),
      deps_(deps),
      taxonomy_(std::move(taxonomy)),
      origin_{now, std::move(actor), std::move(request_id)} {}

void StampMeta(jalin::registry::v1::RecordMeta* meta, absl::Time now,
               int64_t revision, bool created) {
  *meta->mutable_update_time() = ToTimestamp(now);
  if (created) *meta->mutable_create_time() = ToTimestamp(now);
  meta->set_etag(EtagOf(revision));
}

absl::StatusOr<int64_t> WriteScope::NextRevision() {
  const int64_t revision = deps_.revisions->Next();
  RETURN_IF_ERROR(deps_.revisions->Cover(tx_, revision));
  return revision;
}

void WriteScope::Stamp(jalin::registry::v1::RecordMeta* meta, int64_t revision,
                       bool created) const {
  StampMeta(meta, origin_.now, revision, created);
}

absl::Status WriteScope::Emit(absl::string_view type, absl::string_view subject,
                              const google::protobuf::Message& payload,
                              std::vector<std::string> regions,
                              std::vector<std::string> parties) {
  return Append(RegistryEvent(type, subject, payload, std::move(regions),
                              std::move(parties), origin_));
}

absl::Status WriteScope::Append(const jalin::events::v1::Event& event) {
  return deps_.outbox->Append(tx_, event);
}

absl::Status WriteScope::Append(const events::SerializedEvent& event) {
  return deps_.outbox->Append(tx_, event);
}

void WriteScope::Invalidate(std::string name, int64_t revision) {
  if (invalidations_ == nullptr) {
    invalidations_ = std::make_shared<std::vector<RecordCache::Change>>();
    RecordCache* cache = deps_.cache;
    tx_.OnCommit(
        [cache, changes = invalidations_] { cache->Invalidate(*changes); });
  }
  invalidations_->push_back({std::move(name), revision});
}

}  // namespace jalin::registry
