// Who leads a cluster: the contact the registry keeps for it, asked over
// gRPC with the service's token and cached.

#ifndef SERVICES_NOTIFICATION_CLUSTER_DIRECTORY_H_
#define SERVICES_NOTIFICATION_CLUSTER_DIRECTORY_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/rpc/client.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "jalin/type/v1/contact.pb.h"

namespace jalin::notification {

class ClusterDirectory {
 public:
  virtual ~ClusterDirectory() = default;
  // The leader of `cluster` ("clusters/x"). NOT_FOUND when the registry has
  // no such cluster; UNAVAILABLE when it cannot be asked now.
  virtual absl::StatusOr<type::v1::Contact> Leader(
      const std::string& cluster) = 0;
};

struct DirectoryOptions {
  // Deadline of one GetCluster call. Lookups happen while events are
  // routed, so this stays short.
  absl::Duration timeout = absl::Milliseconds(500);
  // How long an answer (a contact, or "no such cluster") is used.
  absl::Duration ttl = absl::Minutes(10);
  // After a failed call, how long the registry is not asked again for that
  // cluster (a stale answer is used meanwhile if there is one).
  absl::Duration retry_after = absl::Seconds(30);
  // Entries kept; the cache is cleared when it grows beyond this.
  size_t max_entries = 50'000;
};

// Thread-safe. `stub`, `token` and `clock` must outlive the directory.
class RegistryClusterDirectory final : public ClusterDirectory {
 public:
  RegistryClusterDirectory(registry::v1::RegistryService::StubInterface* stub,
                           rpc::ServiceToken* token, const Clock* clock,
                           DirectoryOptions options);

  absl::StatusOr<type::v1::Contact> Leader(const std::string& cluster) override;

  // Registry calls made so far (for tests and metrics).
  int64_t calls() const;

 private:
  struct Entry {
    // OK with a contact, or NOT_FOUND.
    absl::StatusOr<type::v1::Contact> answer;
    absl::Time fresh_until;
    // No call before this time (after a failure).
    absl::Time quiet_until = absl::InfinitePast();
  };

  absl::StatusOr<type::v1::Contact> Ask(const std::string& cluster);

  registry::v1::RegistryService::StubInterface* const stub_;
  rpc::ServiceToken* const token_;
  const Clock* const clock_;
  const DirectoryOptions options_;

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
  int64_t calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_CLUSTER_DIRECTORY_H_
