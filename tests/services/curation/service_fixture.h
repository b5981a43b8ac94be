// The real jalin-curation binary (testing::Suite: private Redis, its own
// SQLite store, a free port) with a FakeRegistry in the test's process as
// its registry, and a typed client that presents a token per call.

#ifndef TESTS_SERVICES_CURATION_SERVICE_FIXTURE_H_
#define TESTS_SERVICES_CURATION_SERVICE_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "common/auth/authenticator.h"
#include "common/redis/redis_client.h"
#include "common/rpc/client.h"
#include "common/testing/in_process_server.h"
#include "common/testing/suite.h"
#include "gtest/gtest.h"
#include "jalin/curation/v1/curation_service.grpc.pb.h"
#include "jalin/events/v1/event.pb.h"
#include "tests/services/curation/fake_registry.h"

namespace jalin::curation::testing {

class ServiceFixture : public ::testing::Test {
 protected:
  using Stub = jalin::curation::v1::CurationService::Stub;

  void SetUp() override;
  void TearDown() override;

  // (Re)connects the stub after a restart.
  void Connect();

  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Req&, Resp*),
                    const Req& req, Resp* resp, const std::string& token) {
    grpc::ClientContext ctx;
    rpc::PrepareContext(&ctx, absl::Seconds(60), token);
    return (stub_.get()->*method)(&ctx, req, resp);
  }

  std::string AdminToken() const { return suite_->AdminToken(); }
  std::string CuratorToken(const std::string& subject,
                           std::vector<std::string> regions = {}) const;
  std::string MemberToken(const std::string& enterprise) const;

  // Every entry of a stream, parsed.
  std::vector<jalin::events::v1::Event> StreamEvents(const std::string& stream);
  int64_t StreamLength(const std::string& stream);

  std::unique_ptr<jalin::testing::Suite> suite_;
  std::unique_ptr<auth::Authenticator> authn_;
  std::unique_ptr<FakeRegistry> registry_;
  std::unique_ptr<jalin::testing::InProcessServer> registry_server_;
  std::unique_ptr<redis::Client> redis_;
  std::unique_ptr<Stub> stub_;
};

}  // namespace jalin::curation::testing

#endif  // TESTS_SERVICES_CURATION_SERVICE_FIXTURE_H_
