#include "tests/services/gateway/gateway_fixture.h"

#include <filesystem>

#include "absl/time/clock.h"

namespace jalin::gateway::testing {

void GatewayFixture::SetUp() {
  backend_ = std::make_unique<FakeBackend>();
  redis::Options ro;
  if (WantsRedis()) {
    auto r = jalin::testing::RedisServer::Start(dir_.path());
    ASSERT_TRUE(r.ok()) << r.status();
    redis_server_ = *std::move(r);
    ro.address = redis_server_->address();
  } else {
    // Never asked: the limit is off.
    ro.address = "unix:" + dir_.File("no-redis.sock");
  }
  ro.command_timeout = absl::Milliseconds(300);
  ro.connect_timeout = absl::Milliseconds(300);
  redis_ = std::make_unique<redis::Client>(ro);
  keys_.hs256_secret = "a-test-secret-of-at-least-32-bytes-long";
  authenticator_ =
      std::make_unique<auth::Authenticator>(keys_, SystemClock::Get());

  settings_.http_listen = "127.0.0.1:0";
  settings_.web_dir = dir_.File("web");
  std::filesystem::create_directories(settings_.web_dir);
  settings_.rate_limit = 0;
  settings_.registry_address = backend_->address();
  settings_.matching_address = backend_->address();
  settings_.curation_address = backend_->address();
  settings_.notification_address = backend_->address();
  Configure(settings_);

  StackEnvironment env;
  env.redis = redis_.get();
  env.authenticator = authenticator_.get();
  env.metrics = &metrics_;
  env.clock = SystemClock::Get();
  env.drain = absl::Seconds(1);
  auto stack = GatewayStack::Create(settings_, env);
  ASSERT_TRUE(stack.ok()) << stack.status();
  stack_ = *std::move(stack);
}

void GatewayFixture::TearDown() {
  if (stack_ != nullptr) stack_->Stop();
  stack_.reset();
  backend_.reset();
}

std::string GatewayFixture::Token(const std::string& subject) const {
  auth::Principal p;
  p.subject = subject;
  p.role = auth::Role::kViewer;
  auto token = auth::MintToken(p, keys_, absl::Now(), absl::Hours(1));
  return token.ok() ? *token : "";
}

}  // namespace jalin::gateway::testing
