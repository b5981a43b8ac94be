// Shared helpers of the registry's integration tests: a running
// jalin-registry (real binary, private Redis and store), tokens for the
// roles, call contexts, and reading the registry's event stream.

#ifndef TESTS_SERVICES_REGISTRY_REGISTRY_TEST_ENV_H_
#define TESTS_SERVICES_REGISTRY_REGISTRY_TEST_ENV_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/redis/redis_client.h"
#include "common/testing/suite.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/event.pb.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"

namespace jalin::registry::testing {

namespace v1 = jalin::registry::v1;

// Not thread-safe, except Stub() and Context(), which tests may use from
// several threads.
class RegistryEnv {
 public:
  // Starts Redis and the registry with `env` (JALIN_* settings) added
  // (Suite points it at the source tree's data files).
  static absl::StatusOr<std::unique_ptr<RegistryEnv>> Start(
      const std::vector<std::string>& env = {});

  jalin::testing::Suite& suite() { return suite_; }
  v1::RegistryService::Stub& stub() { return *stub_; }
  redis::Client& redis() { return *redis_; }

  // Restarts the registry (after Kill or Stop) and reconnects.
  absl::Status Restart();

  std::string Token(auth::Role role, std::vector<std::string> regions = {},
                    std::string organization = "",
                    std::string source_system = "",
                    std::string subject = "") const;
  std::string AdminToken() const { return Token(auth::Role::kAdmin); }

  // A context with `token` and a 30 s deadline.
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token);

  // Every event on jalin.registry.events, in order.
  absl::StatusOr<std::vector<jalin::events::v1::Event>> Events();
  // Waits until the stream holds at least `n` events (the relay publishes
  // after commit); returns them.
  absl::StatusOr<std::vector<jalin::events::v1::Event>> WaitForEvents(
      size_t n, absl::Duration timeout = absl::Seconds(20));
  // Every event committed so far, once the stream has caught up: commits a
  // marker change and waits for its event (the relay publishes in commit
  // order, so everything before it is on the stream too).
  absl::StatusOr<std::vector<jalin::events::v1::Event>> Settle();
  // Events of `type` (e.g. "jalin.registry.listing.updated") about
  // `subject` among `events`.
  static int CountEvents(const std::vector<jalin::events::v1::Event>& events,
                         absl::string_view type, absl::string_view subject);

 private:
  RegistryEnv() : suite_(JALIN_BINARY_DIR) {}
  void Connect();

  jalin::testing::Suite suite_;
  int markers_ = 0;
  std::unique_ptr<v1::RegistryService::Stub> stub_;
  std::unique_ptr<redis::Client> redis_;
};

// Calls a unary method of the stub with `token`:
//   Call(env, token, &v1::RegistryService::Stub::GetRegion, req, &resp).
template <typename Method, typename Req, typename Resp>
grpc::Status Call(RegistryEnv& env, const std::string& token, Method method,
                  const Req& req, Resp* resp) {
  auto ctx = RegistryEnv::Context(token);
  return (env.stub().*method)(ctx.get(), req, resp);
}

using Stub = v1::RegistryService::Stub;

// Status code and the field violations of a failed call, for assertions.
struct CallError {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  // "field: description" for each violation, in order.
  std::vector<std::string> violations;
  std::string reason;
};
CallError ErrorOf(const grpc::Status& status);
// The same for a record an import rejected.
CallError ErrorOf(const v1::ImportRecordResult& result);

// One ImportRecords stream: its final status and every answer.
struct ImportRun {
  grpc::Status status;
  std::vector<v1::ImportRecordsResponse> answers;
};

// Streams `batches` with `token`; `on_answer` (optional) sees each answer
// as it arrives, e.g. to kill the registry mid-way.
ImportRun Import(RegistryEnv& env, const std::string& token,
                 const std::vector<v1::ImportRecordsRequest>& batches,
                 const std::function<void(int answers)>& on_answer = {});

// A test suite whose tests share one running registry, with the calls most
// of them make. Tests of one suite run one after another.
class RegistrySuiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  RegistryEnv& env() { return *env_; }
  std::string Admin() { return env_->AdminToken(); }

  // Created with `token` (default: an admin's); the test fails otherwise.
  v1::Enterprise CreateEnterprise(const v1::Enterprise& e,
                                  const std::string& token = "");
  v1::Cluster CreateCluster(const v1::Cluster& c,
                            const std::string& token = "");

 private:
  static inline RegistryEnv* env_ = nullptr;
};

// A valid enterprise in `region` ("regions/33.13") with one category.
v1::Enterprise SampleEnterprise(const std::string& region,
                                const std::string& display_name);
// A valid cluster in `region` for sector `sector`.
v1::Cluster SampleCluster(const std::string& region,
                          const std::string& display_name,
                          const std::string& sector = "categories/jamu");
// A valid OFFER of `owner` in category `category`.
v1::Listing SampleListing(const std::string& owner, const std::string& title,
                          const std::string& category = "categories/jahe");

}  // namespace jalin::registry::testing

#endif  // TESTS_SERVICES_REGISTRY_REGISTRY_TEST_ENV_H_
