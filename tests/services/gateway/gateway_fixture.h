// A gateway stack in the test's process, in front of one fake backend that
// serves every jalin service, with a private web directory; optionally a
// real redis-server for the rate limit.

#ifndef TESTS_SERVICES_GATEWAY_GATEWAY_FIXTURE_H_
#define TESTS_SERVICES_GATEWAY_GATEWAY_FIXTURE_H_

#include <memory>
#include <string>

#include "common/auth/authenticator.h"
#include "common/auth/jwt.h"
#include "common/redis/redis_client.h"
#include "common/testing/redis_server.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "services/gateway/gateway_stack.h"
#include "services/gateway/testing/http_client.h"
#include "tests/services/gateway/fake_backend.h"

namespace jalin::gateway::testing {

class GatewayFixture : public ::testing::Test {
 protected:
  // Adjusts the settings before the stack starts.
  virtual void Configure(GatewaySettings& settings) { (void)settings; }
  // Starts a real redis-server for the stack when true.
  virtual bool WantsRedis() const { return false; }

  void SetUp() override;
  void TearDown() override;

  int port() const { return stack_->http_port(); }
  // A bearer token for `subject`, signed with the stack's key.
  std::string Token(const std::string& subject) const;

  jalin::testing::TempDir dir_;
  std::unique_ptr<FakeBackend> backend_;
  std::unique_ptr<jalin::testing::RedisServer> redis_server_;
  std::unique_ptr<redis::Client> redis_;
  auth::JwtKeys keys_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  prometheus::Registry metrics_;
  GatewaySettings settings_;
  std::unique_ptr<GatewayStack> stack_;
};

}  // namespace jalin::gateway::testing

#endif  // TESTS_SERVICES_GATEWAY_GATEWAY_FIXTURE_H_
