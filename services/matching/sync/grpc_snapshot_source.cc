#include "services/matching/sync/grpc_snapshot_source.h"

#include "common/rpc/client.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "grpcpp/client_context.h"

namespace jalin::matching {

GrpcSnapshotSource::GrpcSnapshotSource(GrpcSnapshotOptions options)
    : options_(std::move(options)),
      stub_(registry::v1::RegistryService::NewStub(
          rpc::MakeChannel(options_.address))) {}

absl::Status GrpcSnapshotSource::Export(SnapshotSink& sink) {
  std::string token;
  if (options_.token) {
    absl::StatusOr<std::string> t = options_.token();
    if (!t.ok()) return Annotate(t.status(), "service token");
    token = *std::move(t);
  }
  grpc::ClientContext ctx;
  rpc::PrepareContext(&ctx, options_.timeout, token);
  registry::v1::ExportSnapshotRequest request;
  request.set_chunk_size(options_.chunk_size);
  std::unique_ptr<grpc::ClientReader<registry::v1::ExportSnapshotResponse>>
      reader = stub_->ExportSnapshot(&ctx, request);
  registry::v1::ExportSnapshotResponse chunk;
  bool positioned = false;
  absl::Status sink_status;
  while (reader->Read(&chunk)) {
    if (!positioned) {
      if (!chunk.has_position()) {
        sink_status = absl::DataLossError(
            "registry snapshot did not start with its position");
        break;
      }
      sink_status = sink.OnPosition(chunk.position());
      if (!sink_status.ok()) break;
      positioned = true;
    }
    sink_status = sink.OnRecords(chunk);
    if (!sink_status.ok()) break;
  }
  if (!sink_status.ok()) {
    ctx.TryCancel();
    reader->Finish().error_code();
    return sink_status;
  }
  absl::Status status = FromGrpcStatus(reader->Finish());
  if (!status.ok()) return Annotate(status, "registry ExportSnapshot");
  if (!positioned) {
    return absl::UnavailableError("registry snapshot was empty");
  }
  return absl::OkStatus();
}

}  // namespace jalin::matching
