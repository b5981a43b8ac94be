// A registry stand-in for matching's tests and benchmark (never linked into
// a service): it keeps listings, clusters, agreements, categories and supply
// links in memory, serves ExportSnapshot over gRPC (callback API), and
// publishes every change as a registry event on a Redis stream the way the
// registry's outbox relay does (fields id, type, seq, event; the envelope's
// sequence increasing by one per event), so that a snapshot's position and
// the events after it agree exactly.

#ifndef SERVICES_MATCHING_TESTING_FAKE_REGISTRY_H_
#define SERVICES_MATCHING_TESTING_FAKE_REGISTRY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/redis_client.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"

namespace jalin::matching::testing {

// Thread-safe.
class FakeRegistry final
    : public registry::v1::RegistryService::CallbackService {
 public:
  // Fills one chunk of generated listings; returns false when there are no
  // more. Called in order from 0 by each export, after the stored records.
  using Generator =
      std::function<bool(int chunk, registry::v1::ExportSnapshotResponse*)>;

  // `redis` (may be null: no events) must outlive the registry.
  explicit FakeRegistry(redis::Client* redis,
                        std::string stream = "jalin.registry.events");

  // Each change is stored and published as one event
  // ("jalin.registry.listing.created", ...).
  absl::Status PutListing(const registry::v1::Listing& listing,
                          absl::string_view verb);
  absl::Status DeleteListing(absl::string_view name);
  absl::Status PutCluster(const registry::v1::Cluster& cluster);
  absl::Status PutAgreement(const registry::v1::Agreement& agreement);
  absl::Status PutCategory(const registry::v1::Category& category);
  absl::Status PutSupplyLink(const registry::v1::SupplyLink& link);

  void set_generator(Generator generator);
  // Exports serve the records and position of this moment until Thaw(),
  // while changes go on being stored and published: a consumer that loads
  // the frozen snapshot must catch up from the events after its position.
  void Freeze();
  void Thaw();
  // The next `n` exports fail with UNAVAILABLE.
  void FailExports(int n) { fail_exports_ = n; }
  int exports() const { return exports_.load(); }
  uint64_t sequence() const;

  grpc::ServerWriteReactor<registry::v1::ExportSnapshotResponse>*
  ExportSnapshot(grpc::CallbackServerContext* ctx,
                 const registry::v1::ExportSnapshotRequest* request) override;

 private:
  class Writer;
  absl::Status Publish(absl::string_view type, absl::string_view subject,
                       const google::protobuf::Message& payload)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  redis::Client* const redis_;
  const std::string stream_;
  struct State {
    std::map<std::string, registry::v1::Listing> listings;
    std::map<std::string, registry::v1::Cluster> clusters;
    std::map<std::string, registry::v1::Agreement> agreements;
    std::map<std::string, registry::v1::Category> categories;
    std::map<std::string, registry::v1::SupplyLink> links;
    uint64_t sequence = 0;
    std::string stream_id = "0-0";
  };

  mutable absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<State> frozen_ ABSL_GUARDED_BY(mu_);
  Generator generator_ ABSL_GUARDED_BY(mu_);
  std::atomic<int> fail_exports_{0};
  std::atomic<int> exports_{0};
};

}  // namespace jalin::matching::testing

#endif  // SERVICES_MATCHING_TESTING_FAKE_REGISTRY_H_
