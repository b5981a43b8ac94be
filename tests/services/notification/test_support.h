// Shared pieces of the notification tests: events as producers emit them,
// publishing them onto a stream the way the outbox relay does, and a fake
// registry that answers GetCluster.

#ifndef TESTS_SERVICES_NOTIFICATION_TEST_SUPPORT_H_
#define TESTS_SERVICES_NOTIFICATION_TEST_SUPPORT_H_

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/redis_client.h"
#include "common/storage/sqlite_database.h"
#include "jalin/events/v1/event.pb.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"

namespace jalin::notification::test {

// The service's store at `path` (a new file in the test's directory), with
// the notification schema in place.
absl::StatusOr<std::unique_ptr<storage::SqliteDatabase>> OpenStore(
    const std::string& path, bool synchronous_full = true);

// jalin.matching.proposal.<verb> naming `supplier` and `buyer` as parties.
events::v1::Event ProposalEvent(const std::string& verb,
                                const std::string& supplier,
                                const std::string& buyer,
                                const std::string& region = "regions/33.13");

// jalin.curation.submission.decided for `enterprise` (PASSED).
events::v1::Event DecisionEvent(const std::string& enterprise,
                                const std::string& region = "regions/33.13");

// jalin.registry.listing.created for a listing owned by `owner`.
events::v1::Event ListingEvent(const std::string& owner,
                               const std::string& category,
                               const std::string& region = "regions/33.13");

// Appends `events` to `stream` as the outbox relay does (fields id, type,
// event), in one pipeline.
absl::Status Publish(redis::Client& redis, const std::string& stream,
                     const std::vector<events::v1::Event>& events);

// A registry that knows a few clusters. Thread-safe.
class FakeRegistry final
    : public registry::v1::RegistryService::CallbackService {
 public:
  void AddCluster(const std::string& name, const std::string& leader_name,
                  const std::string& leader_phone);

  grpc::ServerUnaryReactor* GetCluster(
      grpc::CallbackServerContext* ctx,
      const registry::v1::GetClusterRequest* req,
      registry::v1::Cluster* resp) override;

  int64_t calls() const { return calls_.load(); }
  // The authorization header of the last call.
  std::string last_authorization() const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, registry::v1::Cluster> clusters_ ABSL_GUARDED_BY(mu_);
  std::string last_authorization_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> calls_{0};
};

}  // namespace jalin::notification::test

#endif  // TESTS_SERVICES_NOTIFICATION_TEST_SUPPORT_H_
