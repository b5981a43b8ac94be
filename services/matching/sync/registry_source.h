// The registry as the match index needs it, behind interfaces of matching's
// own: a consistent snapshot with the stream position to continue from, and
// the registry's events after that position. The real implementations call
// ExportSnapshot over gRPC and read jalin.registry.events from Redis; tests
// use fakes.

#ifndef SERVICES_MATCHING_SYNC_REGISTRY_SOURCE_H_
#define SERVICES_MATCHING_SYNC_REGISTRY_SOURCE_H_

#include <functional>

#include "absl/status/status.h"
#include "jalin/events/v1/event.pb.h"
#include "jalin/registry/v1/snapshot.pb.h"

namespace jalin::matching {

// Receives one snapshot: the position first, then the records.
class SnapshotSink {
 public:
  virtual ~SnapshotSink() = default;
  virtual absl::Status OnPosition(
      const registry::v1::SnapshotPosition& position) = 0;
  virtual absl::Status OnRecords(
      const registry::v1::ExportSnapshotResponse& chunk) = 0;
};

// Thread-compatible: one Export at a time.
class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;
  // Streams one consistent snapshot into `sink`. UNAVAILABLE (or another
  // transient code) when the registry cannot answer now; a sink error stops
  // the export and is returned.
  virtual absl::Status Export(SnapshotSink& sink) = 0;
};

// Applies one registry event; runs on the feed's own thread, in stream
// order. A failure is retried (transient codes without limit).
using RegistryEventHandler =
    std::function<absl::Status(const events::v1::Event& event)>;

// Thread-safe.
class RegistryFeed {
 public:
  virtual ~RegistryFeed() = default;
  // Delivers every event after `position.stream_id` to `handler` until
  // Stop(). Events the snapshot already holds (sequence <= position's) may
  // be delivered too; the handler skips them.
  virtual absl::Status Start(const registry::v1::SnapshotPosition& position,
                             RegistryEventHandler handler) = 0;
  // Returns once no handler call is running or will start.
  virtual void Stop() = 0;
  // False while events cannot be read.
  virtual bool healthy() const = 0;
};

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_SYNC_REGISTRY_SOURCE_H_
