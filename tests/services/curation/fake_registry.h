// A registry for curation tests: GetEnterprise from a map, over real gRPC
// (testing::InProcessServer), checking the caller's bearer token like the
// real registry does. Stands in until the real registry is used end to end.

#ifndef TESTS_SERVICES_CURATION_FAKE_REGISTRY_H_
#define TESTS_SERVICES_CURATION_FAKE_REGISTRY_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/authenticator.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"

namespace jalin::curation::testing {

// Thread-safe. `authn` must outlive the registry.
class FakeRegistry final
    : public jalin::registry::v1::RegistryService::CallbackService {
 public:
  explicit FakeRegistry(const auth::Authenticator* authn) : authn_(authn) {}

  void Put(const jalin::registry::v1::Enterprise& e);
  // While down, every call fails with UNAVAILABLE.
  void SetDown(bool down);
  int calls() const;

  grpc::ServerUnaryReactor* GetEnterprise(
      grpc::CallbackServerContext* ctx,
      const jalin::registry::v1::GetEnterpriseRequest* req,
      jalin::registry::v1::Enterprise* resp) override;

 private:
  const auth::Authenticator* const authn_;
  mutable absl::Mutex mu_;
  std::map<std::string, jalin::registry::v1::Enterprise> enterprises_
      ABSL_GUARDED_BY(mu_);
  bool down_ ABSL_GUARDED_BY(mu_) = false;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

// An enterprise as the registry would hold it.
jalin::registry::v1::Enterprise MakeEnterprise(
    const std::string& id, const std::string& region,
    const std::vector<std::string>& clusters,
    const std::string& display_name = "");

}  // namespace jalin::curation::testing

#endif  // TESTS_SERVICES_CURATION_FAKE_REGISTRY_H_
