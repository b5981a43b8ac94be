// ExportSnapshot: everything matching needs to build its index, read in
// one transaction together with the event stream position it corresponds
// to, so that a consumer that loads it and then follows the stream from
// there misses nothing and sees nothing twice.
//
// The snapshot holds OPEN listings (all with include_closed), all clusters,
// ACTIVE agreements, all categories (parents first) and all supply links.
// Records carry no contacts.

#ifndef SERVICES_REGISTRY_SNAPSHOT_H_
#define SERVICES_REGISTRY_SNAPSHOT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/storage/database.h"
#include "grpcpp/support/server_callback.h"
#include "jalin/registry/v1/snapshot.pb.h"

namespace jalin::registry {

// The records as stored (serialised), and the position. Immutable.
struct Snapshot {
  jalin::registry::v1::SnapshotPosition position;
  std::vector<std::string> listings;
  std::vector<std::string> clusters;
  std::vector<std::string> agreements;
  std::vector<std::string> categories;
  std::vector<std::string> supply_links;
};

absl::StatusOr<Snapshot> ReadSnapshot(storage::Database& db,
                                      bool include_closed);

// Records per message: 0 means 500; at most 5,000; negative is an error.
absl::StatusOr<int> SnapshotChunkSize(int requested);

// Streams a snapshot: the position first, then chunks of at most
// `chunk_size` records of one kind each. Deletes itself when done.
class SnapshotWriter final : public grpc::ServerWriteReactor<
                                 jalin::registry::v1::ExportSnapshotResponse> {
 public:
  SnapshotWriter(Snapshot snapshot, int chunk_size);

  void OnWriteDone(bool ok) override;
  void OnDone() override { delete this; }

 private:
  // Fills `message_` with the next chunk; false when everything was sent.
  bool NextChunk();

  const Snapshot snapshot_;
  const size_t chunk_size_;
  // Which list is being sent (0 listings ... 4 supply links) and where.
  int list_ = 0;
  size_t offset_ = 0;
  // The message being written; touched only by one reaction at a time.
  jalin::registry::v1::ExportSnapshotResponse message_;
};

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_SNAPSHOT_H_
