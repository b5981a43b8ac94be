// The real jalin-matching binary over gRPC, with a real redis-server and a
// registry stand-in (snapshot over gRPC, events on the suite's Redis
// stream): results follow listings created, changed and closed; after
// kill -9 and a restart from a snapshot older than the changes, nothing is
// missed; proposals go through their lifecycle with events, permissions and
// expiry; the service waits for a registry that is not up yet.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/redis/redis_client.h"
#include "common/rpc/client.h"
#include "common/status/grpc_status.h"
#include "common/testing/in_process_server.h"
#include "common/testing/suite.h"
#include "common/testing/violations.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/event.pb.h"
#include "jalin/matching/v1/matching_service.grpc.pb.h"
#include "services/matching/testing/fake_registry.h"
#include "tests/services/matching/test_data.h"

namespace jalin::matching {
namespace {

using test::Eventually;

using matching::v1::MatchingService;
using matching::v1::Proposal;
using registry::v1::Listing;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

std::set<std::string> Set(const std::vector<std::string>& names) {
  return std::set<std::string>(names.begin(), names.end());
}

auth::Principal Who(auth::Role role, std::vector<std::string> regions,
                    std::string org = "") {
  auth::Principal p;
  p.subject = absl::StrCat("users/", auth::RoleName(role), "-",
                           regions.empty() ? org : regions.front());
  p.role = role;
  p.regions = std::move(regions);
  p.organization = std::move(org);
  return p;
}

Listing Offer(const std::string& id, const std::string& region,
              const std::string& category = "jahe") {
  return test::Listing({.id = id,
                        .owner = "clusters/" + id + "-owner",
                        .owner_name = "Pemasok " + id,
                        .region = region,
                        .category = category,
                        .title = "Jahe " + id});
}

class MatchingIntegrationTest : public ::testing::Test {
 protected:
  MatchingIntegrationTest() : suite_(JALIN_BINARY_DIR) {}

  void Start(std::vector<std::string> env = {}, int fail_exports = 0) {
    ASSERT_TRUE(suite_.Start({}).ok());  // Redis first
    redis_ = std::make_unique<redis::Client>(
        redis::Options{.address = suite_.redis().address()});
    registry_ = std::make_unique<testing::FakeRegistry>(redis_.get());
    ASSERT_TRUE(registry_->PutCategory(test::Category("biofarmaka")).ok());
    ASSERT_TRUE(
        registry_->PutCategory(test::Category("jahe", "biofarmaka")).ok());
    ASSERT_TRUE(registry_->PutCategory(test::Category("kunyit")).ok());
    ASSERT_TRUE(registry_
                    ->PutListing(test::Listing({.id = "need",
                                                .kind = Listing::NEED,
                                                .owner = "clusters/jamu",
                                                .owner_name = "Klaster Jamu",
                                                .region = "33.13",
                                                .category = "jahe"}),
                                 "created")
                    .ok());
    ASSERT_TRUE(registry_->PutListing(Offer("o1", "33.14"), "created").ok());
    registry_->FailExports(fail_exports);
    server_ =
        std::make_unique<jalin::testing::InProcessServer>(registry_.get());
    ASSERT_TRUE(server_->ok());
    env.push_back("JALIN_REGISTRY_ADDRESS=" + server_->address());
    env.push_back(absl::StrCat("JALIN_DATA_DIR=", JALIN_SOURCE_DIR, "/data"));
    absl::Status started = suite_.Start({"matching"}, {{"matching", env}});
    ASSERT_TRUE(started.ok()) << started;
    stub_ =
        MatchingService::NewStub(rpc::MakeChannel(suite_.address("matching")));
  }

  template <typename Req, typename Resp, typename Method>
  absl::Status Call(Method method, const auth::Principal& who, const Req& req,
                    Resp* resp) {
    grpc::ClientContext ctx;
    rpc::PrepareContext(&ctx, absl::Seconds(10), suite_.Token(who));
    return FromGrpcStatus(((*stub_).*method)(&ctx, req, resp));
  }

  // Names of the matches of the need, best first; empty on error.
  std::vector<std::string> Matches(
      const std::string& listing = "listings/need") {
    matching::v1::FindMatchesRequest r;
    r.set_listing(listing);
    matching::v1::FindMatchesResponse resp;
    absl::Status s = Call(&MatchingService::Stub::FindMatches,
                          Who(auth::Role::kViewer, {}), r, &resp);
    std::vector<std::string> names;
    if (!s.ok()) return {"error: " + std::string(s.message())};
    for (const auto& m : resp.matches()) names.push_back(m.listing().name());
    return names;
  }

  matching::v1::IndexStatus Status() {
    matching::v1::IndexStatus status;
    EXPECT_TRUE(Call(&MatchingService::Stub::GetIndexStatus,
                     Who(auth::Role::kViewer, {}),
                     matching::v1::GetIndexStatusRequest(), &status)
                    .ok());
    return status;
  }

  // Types of the events on jalin.matching.events, in order.
  std::vector<std::string> MatchingEvents() {
    std::vector<std::string> types;
    auto r = redis_->Command({"XRANGE", "jalin.matching.events", "-", "+"});
    if (!r.ok()) return types;
    for (const auto& entry : r->elements) {
      const auto& fields = entry.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str == "type") types.push_back(fields[i + 1].str);
      }
    }
    return types;
  }

  jalin::testing::Suite suite_;
  std::unique_ptr<redis::Client> redis_;
  std::unique_ptr<testing::FakeRegistry> registry_;
  std::unique_ptr<jalin::testing::InProcessServer> server_;
  std::unique_ptr<MatchingService::Stub> stub_;
};

TEST_F(MatchingIntegrationTest, ResultsFollowTheRegistryAndSurviveKill9) {
  Start();
  EXPECT_THAT(Matches(), ElementsAre("listings/o1"));

  // Created: a second offer shows up.
  ASSERT_TRUE(registry_->PutListing(Offer("o2", "33.13"), "created").ok());
  EXPECT_TRUE(Eventually([&] {
    return Set(Matches()) == Set({"listings/o1", "listings/o2"});
  })) << ::testing::PrintToString(Matches());
  // Changed to an unrelated category: it leaves.
  ASSERT_TRUE(
      registry_->PutListing(Offer("o2", "33.13", "kunyit"), "updated").ok());
  EXPECT_TRUE(Eventually([&] {
    return Matches() == std::vector<std::string>{"listings/o1"};
  })) << ::testing::PrintToString(Matches());
  // Closed: it leaves too.
  Listing closed = Offer("o1", "33.14");
  closed.set_status(Listing::CLOSED);
  ASSERT_TRUE(registry_->PutListing(closed, "updated").ok());
  EXPECT_TRUE(Eventually([&] { return Matches().empty(); }))
      << ::testing::PrintToString(Matches());

  // kill -9, then changes the next snapshot will not contain: it is frozen
  // at this point, so only the events after its position bring them.
  registry_->Freeze();
  suite_.Kill("matching");
  ASSERT_TRUE(registry_->PutListing(Offer("o3", "33.11"), "created").ok());
  ASSERT_TRUE(registry_->PutListing(Offer("o2", "33.13"), "updated").ok());
  ASSERT_TRUE(registry_->PutListing(Offer("o4", "91.05"), "created").ok());
  ASSERT_TRUE(registry_->DeleteListing("listings/o4").ok());
  ASSERT_TRUE(suite_.Restart("matching").ok());
  EXPECT_TRUE(Eventually([&] {
    return Set(Matches()) == Set({"listings/o2", "listings/o3"});
  })) << ::testing::PrintToString(Matches());
  EXPECT_TRUE(
      Eventually([&] { return Status().sequence() == registry_->sequence(); }));
  // And it keeps following after the restart.
  registry_->Thaw();
  ASSERT_TRUE(registry_->PutListing(Offer("o5", "33.72"), "created").ok());
  EXPECT_TRUE(Eventually([&] { return Matches().size() == 3; }))
      << ::testing::PrintToString(Matches());
  const matching::v1::IndexStatus status = Status();
  EXPECT_TRUE(status.ready());
  // need, o2, o3 and o5: o1 was closed and o4 deleted.
  EXPECT_EQ(status.listings(), 4);
}

TEST_F(MatchingIntegrationTest, ProposalLifecycleOverGrpc) {
  Start({"JALIN_PROPOSAL_TTL=3s", "JALIN_EXPIRY_SWEEP_INTERVAL=100ms"});
  ASSERT_TRUE(registry_->PutListing(Offer("o2", "33.13"), "created").ok());
  ASSERT_TRUE(Eventually([&] { return Matches().size() == 2; }));

  matching::v1::CreateProposalRequest create;
  create.mutable_proposal()->set_offer_listing("listings/o1");
  create.mutable_proposal()->set_need_listing("listings/need");
  create.set_request_id("meeting-1");
  Proposal p;
  // Not signed in, then signed in with a role that may not propose.
  {
    grpc::ClientContext ctx;
    rpc::PrepareContext(&ctx, absl::Seconds(5), "");
    EXPECT_EQ(stub_->CreateProposal(&ctx, create, &p).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  EXPECT_EQ(Call(&MatchingService::Stub::CreateProposal,
                 Who(auth::Role::kMember, {}, "clusters/jamu"), create, &p)
                .code(),
            absl::StatusCode::kPermissionDenied);
  const auth::Principal facilitator = Who(auth::Role::kFacilitator, {"33.13"});
  ASSERT_TRUE(
      Call(&MatchingService::Stub::CreateProposal, facilitator, create, &p)
          .ok());
  Proposal replay;
  ASSERT_TRUE(
      Call(&MatchingService::Stub::CreateProposal, facilitator, create, &replay)
          .ok());
  EXPECT_EQ(replay.name(), p.name());
  EXPECT_EQ(p.state(), Proposal::PROPOSED);

  matching::v1::AnswerProposalRequest answer;
  answer.set_name(p.name());
  Proposal out;
  EXPECT_EQ(Call(&MatchingService::Stub::AcceptProposal,
                 Who(auth::Role::kFacilitator, {"35"}), answer, &out)
                .code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(Call(&MatchingService::Stub::AcceptProposal,
                   Who(auth::Role::kMember, {}, "clusters/o1-owner"), answer,
                   &out)
                  .ok());
  ASSERT_TRUE(Call(&MatchingService::Stub::AcceptProposal,
                   Who(auth::Role::kMember, {}, "clusters/jamu"), answer, &out)
                  .ok());
  EXPECT_EQ(out.state(), Proposal::AGREED);

  // A second proposal nobody answers expires on the sweep.
  create.mutable_proposal()->set_offer_listing("listings/o2");
  create.set_request_id("meeting-2");
  Proposal unanswered;
  ASSERT_TRUE(Call(&MatchingService::Stub::CreateProposal, facilitator, create,
                   &unanswered)
                  .ok());
  matching::v1::GetProposalRequest get;
  get.set_name(unanswered.name());
  EXPECT_TRUE(Eventually([&] {
    Proposal now;
    return Call(&MatchingService::Stub::GetProposal, facilitator, get, &now)
               .ok() &&
           now.state() == Proposal::EXPIRED;
  }));
  EXPECT_TRUE(Eventually([&] {
    return MatchingEvents() ==
           std::vector<std::string>{"jalin.matching.proposal.created",
                                    "jalin.matching.proposal.accepted",
                                    "jalin.matching.proposal.agreed",
                                    "jalin.matching.proposal.created",
                                    "jalin.matching.proposal.expired"};
  })) << ::testing::PrintToString(MatchingEvents());

  matching::v1::GetProposalFunnelRequest funnel_request;
  funnel_request.set_region("regions/33.13");
  matching::v1::ProposalFunnel funnel;
  ASSERT_TRUE(Call(&MatchingService::Stub::GetProposalFunnel, facilitator,
                   funnel_request, &funnel)
                  .ok());
  EXPECT_EQ(funnel.proposed(), 2);
  EXPECT_EQ(funnel.agreed(), 1);
  EXPECT_EQ(funnel.expired(), 1);

  matching::v1::GenerateChannelingReportRequest report_request;
  report_request.set_region_a("regions/33.13");
  report_request.set_region_b("regions/33.14");
  matching::v1::ChannelingReport report;
  ASSERT_TRUE(Call(&MatchingService::Stub::GenerateChannelingReport,
                   facilitator, report_request, &report)
                  .ok());
  EXPECT_EQ(report.opportunity_count(), 1);
  EXPECT_EQ(report.b_to_a_count(), 1);
  ASSERT_EQ(report.pairs_size(), 1);
  ASSERT_EQ(report.pairs(0).opportunities_size(), 1);
  EXPECT_EQ(report.pairs(0).opportunities(0).need_listing(), "listings/need");
  EXPECT_THAT(report.pairs(0).opportunities(0).text().id(),
              ::testing::StartsWith("clusters/jamu di Kabupaten Karanganyar "
                                    "membutuhkan need; "));
  // The report is served raw (its bytes written by the service): bad input
  // still comes back field by field, and bytes that are no request at all
  // are INVALID_ARGUMENT.
  matching::v1::GenerateChannelingReportRequest bad;
  bad.set_region_a("33.13");
  bad.set_max_per_pair(-1);
  EXPECT_THAT(jalin::testing::ViolatedFields(
                  Call(&MatchingService::Stub::GenerateChannelingReport,
                       facilitator, bad, &report)),
              ::testing::ElementsAre("region_a", "region_b", "max_per_pair"));
  EXPECT_EQ(Call(&MatchingService::Stub::GenerateChannelingReport,
                 Who(auth::Role::kMember, {"33.13"}), report_request, &report)
                .code(),
            absl::StatusCode::kPermissionDenied);
  // An empty request (zero bytes on the wire) names both regions.
  EXPECT_THAT(jalin::testing::ViolatedFields(Call(
                  &MatchingService::Stub::GenerateChannelingReport, facilitator,
                  matching::v1::GenerateChannelingReportRequest(), &report)),
              ::testing::ElementsAre("region_a", "region_b"));
  // Raw bytes: with a token, bytes that are no request are
  // INVALID_ARGUMENT; without one, the caller is refused before they are
  // read.
  auto send_raw = [&](const std::string& bytes, bool with_token) {
    grpc::GenericStub generic(rpc::MakeChannel(suite_.address("matching")));
    grpc::ClientContext ctx;
    rpc::PrepareContext(&ctx, absl::Seconds(10),
                        with_token ? suite_.Token(facilitator) : "");
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), response;
    absl::Notification done;
    grpc::Status status;
    generic.UnaryCall(
        &ctx, "/jalin.matching.v1.MatchingService/GenerateChannelingReport",
        grpc::StubOptions(), &request, &response, [&](grpc::Status s) {
          status = std::move(s);
          done.Notify();
        });
    done.WaitForNotification();
    return status;
  };
  const std::string garbage("\x0a\x50zz", 4);
  grpc::Status raw = send_raw(garbage, true);
  EXPECT_EQ(raw.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << raw.error_message();
  raw = send_raw(garbage, false);
  EXPECT_EQ(raw.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << raw.error_message();

  // Rebuild on demand, idempotent by request_id.
  matching::v1::RebuildIndexRequest rebuild;
  rebuild.set_request_id("rebuild-1");
  matching::v1::IndexStatus first, again;
  EXPECT_EQ(
      Call(&MatchingService::Stub::RebuildIndex, facilitator, rebuild, &first)
          .code(),
      absl::StatusCode::kPermissionDenied);
  const int exports = registry_->exports();
  ASSERT_TRUE(Call(&MatchingService::Stub::RebuildIndex,
                   Who(auth::Role::kAdmin, {}), rebuild, &first)
                  .ok());
  ASSERT_TRUE(Call(&MatchingService::Stub::RebuildIndex,
                   Who(auth::Role::kAdmin, {}), rebuild, &again)
                  .ok());
  EXPECT_EQ(registry_->exports(), exports + 1);
  EXPECT_EQ(first.SerializeAsString(), again.SerializeAsString());
  EXPECT_EQ(first.listings(), 3);
}

TEST_F(MatchingIntegrationTest, WaitsForTheRegistryBeforeServing) {
  Start({}, /*fail_exports=*/3);
  EXPECT_GE(registry_->exports(), 4);
  EXPECT_THAT(Matches(), ElementsAre("listings/o1"));
}

}  // namespace
}  // namespace jalin::matching
