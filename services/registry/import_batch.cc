#include "services/registry/import_batch.h"

#include "absl/strings/str_cat.h"
#include "common/auth/policy.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"

namespace jalin::registry {

using Result = v1::ImportRecordResult;

absl::Status ImportProcessor::CheckCaller(const auth::Principal& p) const {
  if (p.source_system.empty()) {
    return auth::PermissionDenied(
        "an import needs a token that names its source system (claim src)");
  }
  return absl::OkStatus();
}

ImportInput ImportInput::New() {
  ImportInput in;
  google::protobuf::ArenaOptions options;
  // A batch of a thousand enterprises takes about a megabyte.
  options.start_block_size = 64 << 10;
  options.max_block_size = 1 << 20;
  in.arena = std::make_unique<google::protobuf::Arena>(options);
  in.request = google::protobuf::Arena::CreateMessage<v1::ImportRecordsRequest>(
      in.arena.get());
  return in;
}

absl::StatusOr<PreparedBatch> ImportProcessor::Prepare(
    const auth::Principal& p, ImportInput input) const {
  RETURN_IF_ERROR(CheckCaller(p));
  v1::ImportRecordsRequest& batch = *input.request;
  if (batch.records_size() > max_batch_records_) {
    return InvalidFieldError(
        "records",
        absl::StrCat("a batch holds at most ", max_batch_records_, " records"));
  }
  PreparedBatch prepared;
  prepared.batch_id_ = batch.batch_id();
  prepared.time_ = deps_->clock->Now();
  const EventOrigin origin{prepared.time_, p.subject, ""};
  const auto taxonomy = deps_->taxonomy->Get();
  // Each "external:" reference is looked up once per batch, on the
  // snapshot the whole batch is checked against.
  auto prepare_all = [&](storage::Transaction& tx) -> absl::Status {
    KnownRecords found;
    ExternalRefs refs(tx, p.source_system, &found);
    ImportPreparation preparation{
        tx,     p,   *deps_->write.regions, *taxonomy, *deps_->write.revisions,
        origin, refs};
    prepared.results_.resize(batch.records_size());
    prepared.pending_.resize(batch.records_size());
    for (int i = 0; i < batch.records_size(); ++i) {
      Result& result = prepared.results_[i];
      result.set_index(i);
      ASSIGN_OR_RETURN(
          prepared.pending_[i],
          PrepareImport(preparation, *batch.mutable_records(i), &result));
    }
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(deps_->db->Read(prepare_all));
  prepared.input_ = std::move(input);
  return prepared;
}

absl::Status ImportProcessor::Apply(const auth::Principal& p,
                                    PreparedBatch batch,
                                    v1::ImportRecordsResponse* out) const {
  const auto taxonomy = deps_->taxonomy->Get();
  RETURN_IF_ERROR(
      deps_->db->Write([&](storage::Transaction& tx) -> absl::Status {
        WriteScope scope(tx, deps_->write, taxonomy, batch.time_, p.subject,
                         "");
        KnownRecords known;
        ExternalRefs refs(tx, p.source_system, &known);
        ImportTransaction t{scope, p, refs, known};
        for (size_t i = 0; i < batch.pending_.size(); ++i) {
          if (batch.pending_[i] != nullptr) {
            RETURN_IF_ERROR(batch.pending_[i]->Apply(t, &batch.results_[i]));
          }
        }
        return absl::OkStatus();
      }));
  v1::ImportRecordsResponse response;
  response.set_batch_id(batch.batch_id_);
  for (Result& r : batch.results_) {
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
    *response.add_results() = std::move(r);
  }
  *out = std::move(response);
  return absl::OkStatus();
}

}  // namespace jalin::registry
