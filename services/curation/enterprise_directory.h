// Where the curation service learns about applicants: the registry's
// GetEnterprise, behind an interface so that tests of one class can answer
// from memory.

#ifndef SERVICES_CURATION_ENTERPRISE_DIRECTORY_H_
#define SERVICES_CURATION_ENTERPRISE_DIRECTORY_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/rpc/client.h"
#include "grpcpp/channel.h"
#include "jalin/registry/v1/enterprise.pb.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"

namespace jalin::curation {

using EnterpriseCallback =
    std::function<void(absl::StatusOr<jalin::registry::v1::Enterprise>)>;

// Thread-safe.
class EnterpriseDirectory {
 public:
  virtual ~EnterpriseDirectory() = default;

  // Looks up "enterprises/{id}" and calls `done` exactly once, on any thread
  // (possibly before returning). NOT_FOUND when the registry has no such
  // enterprise; UNAVAILABLE when the registry cannot answer now (a retry may
  // help); INTERNAL when it refuses this service.
  virtual void GetEnterprise(const std::string& name,
                             EnterpriseCallback done) = 0;
};

// The registry over gRPC, with the service's own token and a deadline on
// every call. Uses the callback client API: no thread waits for the answer.
// `token` must outlive the directory.
class RegistryDirectory final : public EnterpriseDirectory {
 public:
  RegistryDirectory(std::shared_ptr<grpc::Channel> channel,
                    rpc::ServiceToken* token, absl::Duration timeout);

  void GetEnterprise(const std::string& name, EnterpriseCallback done) override;

 private:
  std::unique_ptr<jalin::registry::v1::RegistryService::Stub> stub_;
  rpc::ServiceToken* const token_;
  const absl::Duration timeout_;
};

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_ENTERPRISE_DIRECTORY_H_
