// The real jalin-notification binary for integration tests: a private Redis
// and store (testing::Suite), a fake registry in this process for cluster
// leader contacts, region names from the repository's data directory, and
// helpers to call the service as different principals.

#ifndef TESTS_SERVICES_NOTIFICATION_SERVICE_FIXTURE_H_
#define TESTS_SERVICES_NOTIFICATION_SERVICE_FIXTURE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/redis/redis_client.h"
#include "common/testing/in_process_server.h"
#include "common/testing/suite.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "jalin/notification/v1/notification_service.grpc.pb.h"
#include "tests/services/notification/test_support.h"

namespace jalin::notification::test {

auth::Principal Member(const std::string& organization);
auth::Principal Admin();
auth::Principal Facilitator(const std::string& subject,
                            std::vector<std::string> regions);
auth::Principal Integrator(const std::string& subject,
                           std::vector<std::string> regions);

class ServiceTest : public ::testing::Test {
 protected:
  ServiceTest();
  ~ServiceTest() override;

  // Starts the service with `env` ("JALIN_X=y") added.
  void StartService(const std::vector<std::string>& env = {});

  v1::NotificationService::Stub& stub() { return *stub_; }
  redis::Client& redis() { return *redis_; }
  jalin::testing::Suite& suite() { return suite_; }
  FakeRegistry& registry() { return registry_; }

  std::string Token(const auth::Principal& p) const;
  // Deadline and bearer token (none when `token` is empty).
  static void Prepare(grpc::ClientContext* ctx, const std::string& token,
                      absl::Duration timeout = absl::Seconds(10));

  // Every notification of `recipient`, newest first, read by an admin.
  std::vector<v1::Notification> ListAll(const std::string& recipient);
  // -1 when the call fails.
  int64_t Unread(const std::string& recipient);
  // Polls `done` until it holds or `timeout` passes.
  static bool WaitUntil(const std::function<bool()>& done,
                        absl::Duration timeout);

 private:
  FakeRegistry registry_;
  jalin::testing::InProcessServer registry_server_{&registry_};
  jalin::testing::Suite suite_;
  std::unique_ptr<redis::Client> redis_;
  std::unique_ptr<v1::NotificationService::Stub> stub_;
};

}  // namespace jalin::notification::test

#endif  // TESTS_SERVICES_NOTIFICATION_SERVICE_FIXTURE_H_
