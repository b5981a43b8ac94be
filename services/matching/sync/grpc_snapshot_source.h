// SnapshotSource over the registry's ExportSnapshot RPC.

#ifndef SERVICES_MATCHING_SYNC_GRPC_SNAPSHOT_SOURCE_H_
#define SERVICES_MATCHING_SYNC_GRPC_SNAPSHOT_SOURCE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "services/matching/sync/registry_source.h"

namespace jalin::matching {

struct GrpcSnapshotOptions {
  // "127.0.0.1:7101".
  std::string address = "";
  // Deadline of the whole export.
  absl::Duration timeout = absl::Minutes(5);
  int chunk_size = 5000;
  // The bearer token presented to the registry.
  std::function<absl::StatusOr<std::string>()> token = nullptr;
};

// Thread-compatible (one Export at a time).
class GrpcSnapshotSource final : public SnapshotSource {
 public:
  explicit GrpcSnapshotSource(GrpcSnapshotOptions options);

  absl::Status Export(SnapshotSink& sink) override;

 private:
  const GrpcSnapshotOptions options_;
  std::unique_ptr<registry::v1::RegistryService::Stub> stub_;
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SYNC_GRPC_SNAPSHOT_SOURCE_H_
