// The real jalin-matching binary following the real jalin-registry binary
// (one suite, one Redis): listings created, updated through a field mask and
// closed through the registry's gRPC API show up in, change in and leave
// FindMatches; after kill -9 of matching, changes made while it is down and
// while it starts again are all in its results once it is back.

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/redis/redis_client.h"
#include "common/rpc/client.h"
#include "common/status/grpc_status.h"
#include "common/testing/suite.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/event.pb.h"
#include "jalin/matching/v1/matching_service.grpc.pb.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "tests/services/matching/test_data.h"

namespace jalin::matching {
namespace {

using test::Eventually;

namespace rv1 = registry::v1;
using matching::v1::MatchingService;
using rv1::Listing;
using rv1::RegistryService;

std::set<std::string> Set(const std::vector<std::string>& names) {
  return std::set<std::string>(names.begin(), names.end());
}

class RegistryFollowTest : public ::testing::Test {
 protected:
  RegistryFollowTest() : suite_(JALIN_BINARY_DIR) {}

  void SetUp() override {
    // A killed registry is not part of this test; a killed matching is.
    absl::Status s =
        suite_.Start({"registry"}, {{"registry", {"JALIN_STORE_SYNC=normal"}}});
    ASSERT_TRUE(s.ok()) << s;
    registry_ =
        RegistryService::NewStub(rpc::MakeChannel(suite_.address("registry")));
    auth::Principal admin;
    admin.subject = "users/test-admin";
    admin.role = auth::Role::kAdmin;
    admin_token_ = suite_.Token(admin);
  }

  void StartMatching() {
    absl::Status s = suite_.Start({"matching"});
    ASSERT_TRUE(s.ok()) << s;
    matching_ =
        MatchingService::NewStub(rpc::MakeChannel(suite_.address("matching")));
  }

  // Calls the registry as an admin.
  template <typename Method, typename Req, typename Resp>
  absl::Status Registry(Method method, const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    rpc::PrepareContext(&ctx, absl::Seconds(20), admin_token_);
    return FromGrpcStatus(((*registry_).*method)(&ctx, req, resp));
  }

  // A producer cluster `id` located in `region` ("33.13").
  std::string CreateCluster(const std::string& id, const std::string& region) {
    rv1::CreateClusterRequest req;
    req.set_cluster_id(id);
    rv1::Cluster* c = req.mutable_cluster();
    c->set_display_name("Klaster " + id);
    c->mutable_location()->set_region("regions/" + region);
    c->set_sector("categories/biofarmaka");
    c->add_roles(rv1::PRODUCER);
    c->set_member_count(20);
    rv1::Cluster out;
    absl::Status s = Registry(&RegistryService::Stub::CreateCluster, req, &out);
    EXPECT_TRUE(s.ok()) << s;
    return out.name();
  }

  static Listing NewListing(Listing::Kind kind, const std::string& owner,
                            const std::string& category,
                            const std::string& title) {
    Listing l;
    l.set_kind(kind);
    l.set_owner(owner);
    l.set_category("categories/" + category);
    l.set_title(title);
    l.mutable_quantity()->set_amount(2);
    l.mutable_quantity()->set_unit(jalin::type::v1::TON);
    l.mutable_quantity()->set_period(jalin::type::v1::MONTH);
    l.set_continuity(Listing::CONTINUOUS);
    return l;
  }

  // Creates `listing` as listings/<id>; returns its name.
  std::string CreateListing(const std::string& id, const Listing& listing) {
    rv1::CreateListingRequest req;
    req.set_listing_id(id);
    *req.mutable_listing() = listing;
    req.set_request_id(absl::StrCat("create-", id));
    Listing out;
    absl::Status s = Registry(&RegistryService::Stub::CreateListing, req, &out);
    EXPECT_TRUE(s.ok()) << s;
    return out.name();
  }

  // Updates the fields of `change` named in `paths` of listings/<id>.
  void UpdateListing(const std::string& name, Listing change,
                     const std::vector<std::string>& paths) {
    rv1::UpdateListingRequest req;
    change.set_name(name);
    *req.mutable_listing() = change;
    for (const std::string& p : paths) req.mutable_update_mask()->add_paths(p);
    req.set_request_id(absl::StrCat("update-", name, "-", ++updates_));
    Listing out;
    absl::Status s = Registry(&RegistryService::Stub::UpdateListing, req, &out);
    ASSERT_TRUE(s.ok()) << s;
  }

  void Close(const std::string& name) {
    Listing closed;
    closed.set_status(Listing::CLOSED);
    UpdateListing(name, closed, {"status"});
  }

  absl::Status Find(const std::string& listing,
                    matching::v1::FindMatchesResponse* resp) {
    matching::v1::FindMatchesRequest r;
    r.set_listing(listing);
    r.set_top_k(50);
    grpc::ClientContext ctx;
    rpc::PrepareContext(&ctx, absl::Seconds(10), admin_token_);
    return FromGrpcStatus(matching_->FindMatches(&ctx, r, &resp[0]));
  }

  // "name|title" of each match of `listing`; one "error: ..." on error.
  std::vector<std::string> Matches(const std::string& listing) {
    matching::v1::FindMatchesResponse resp;
    absl::Status s = Find(listing, &resp);
    if (!s.ok()) return {absl::StrCat("error: ", s.ToString())};
    std::vector<std::string> out;
    for (const auto& m : resp.matches()) {
      out.push_back(absl::StrCat(m.listing().name(), "|", m.listing().title()));
    }
    return out;
  }

  matching::v1::IndexStatus IndexStatus() {
    matching::v1::IndexStatus status;
    grpc::ClientContext ctx;
    rpc::PrepareContext(&ctx, absl::Seconds(10), admin_token_);
    matching_->GetIndexStatus(&ctx, matching::v1::GetIndexStatusRequest(),
                              &status);
    return status;
  }

  // Sequence of the last event on the registry's stream (0 when empty).
  uint64_t LastRegistrySequence() {
    redis::Client redis(redis::Options{.address = suite_.redis().address()});
    auto r = redis.Command(
        {"XREVRANGE", "jalin.registry.events", "+", "-", "COUNT", "1"});
    if (!r.ok() || r->elements.empty()) return 0;
    const auto& fields = r->elements[0].elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str == "event") {
        events::v1::Event e;
        e.ParseFromString(fields[i + 1].str);
        return e.sequence();
      }
    }
    return 0;
  }

  jalin::testing::Suite suite_;
  std::string admin_token_;
  std::unique_ptr<RegistryService::Stub> registry_;
  std::unique_ptr<MatchingService::Stub> matching_;
  int updates_ = 0;
};

TEST_F(RegistryFollowTest, ResultsFollowTheRealRegistryThroughKill9) {
  const std::string jamu = CreateCluster("jamu-sukoharjo", "33.11");
  const std::string tani_a = CreateCluster("tani-wonogiri", "33.12");
  const std::string tani_b = CreateCluster("tani-karanganyar", "33.13");
  const std::string tani_c = CreateCluster("tani-boyolali", "33.09");
  // Before matching starts: it gets these from the registry's export.
  const std::string need = CreateListing(
      "butuh-jahe", NewListing(Listing::NEED, jamu, "jahe", "Butuh jahe"));
  const std::string o1 = CreateListing(
      "jahe-wonogiri", NewListing(Listing::OFFER, tani_a, "jahe", "Jahe"));
  ASSERT_FALSE(need.empty());
  StartMatching();
  EXPECT_THAT(Matches(need), ::testing::ElementsAre(o1 + "|Jahe"));

  // Created: shows up.
  const std::string o2 =
      CreateListing("jahe-karanganyar",
                    NewListing(Listing::OFFER, tani_b, "jahe", "Jahe emprit"));
  EXPECT_TRUE(Eventually([&] {
    return Set(Matches(need)) == Set({o1 + "|Jahe", o2 + "|Jahe emprit"});
  })) << ::testing::PrintToString(Matches(need));

  // Updated through a field mask: the new title is in the results; then a
  // category nobody needs takes it out.
  Listing retitled;
  retitled.set_title("Jahe merah kering");
  UpdateListing(o1, retitled, {"title"});
  EXPECT_TRUE(Eventually([&] {
    return Set(Matches(need)) ==
           Set({o1 + "|Jahe merah kering", o2 + "|Jahe emprit"});
  })) << ::testing::PrintToString(Matches(need));
  Listing recategorised;
  recategorised.set_category("categories/lurik");
  UpdateListing(o2, recategorised, {"category"});
  EXPECT_TRUE(Eventually([&] {
    return Matches(need) == std::vector<std::string>{o1 + "|Jahe merah kering"};
  })) << ::testing::PrintToString(Matches(need));

  // Closed: leaves.
  Close(o1);
  EXPECT_TRUE(Eventually([&] { return Matches(need).empty(); }))
      << ::testing::PrintToString(Matches(need));

  // kill -9; while it is down: one created, one brought back into the
  // category, one created and closed.
  suite_.Kill("matching");
  const std::string o3 =
      CreateListing("jahe-boyolali",
                    NewListing(Listing::OFFER, tani_c, "jahe", "Jahe gajah"));
  Listing back;
  back.set_category("categories/jahe");
  UpdateListing(o2, back, {"category"});
  const std::string o4 = CreateListing(
      "jahe-sebentar", NewListing(Listing::OFFER, tani_a, "jahe", "Sebentar"));
  Close(o4);

  // Restart while another client keeps creating listings in the registry,
  // so some land before its export and some after, in the events it must
  // follow from the export's position.
  std::atomic<bool> stop{false};
  std::atomic<int> created{0};
  std::vector<std::string> burst;  // the writer's until it is joined
  std::thread writer([&] {
    for (int i = 0; i < 2000 && !stop.load(); ++i) {
      burst.push_back(CreateListing(
          absl::StrCat("kunyit-", i),
          NewListing(Listing::OFFER, tani_b, "kunyit", "Kunyit")));
      ++created;
    }
  });
  const absl::Status restarted = suite_.Restart("matching");
  // A few more after it is serving again.
  const int before_serving = created.load();
  RecordProperty("created_before_serving", before_serving);
  Eventually([&] { return created.load() >= before_serving + 3; },
             absl::Seconds(5));
  stop = true;
  writer.join();
  RecordProperty("created_in_all", static_cast<int>(burst.size()));
  ASSERT_TRUE(restarted.ok()) << restarted;
  matching_ =
      MatchingService::NewStub(rpc::MakeChannel(suite_.address("matching")));

  EXPECT_TRUE(Eventually([&] {
    return Set(Matches(need)) == Set({o2 + "|Jahe emprit", o3 + "|Jahe gajah"});
  })) << ::testing::PrintToString(Matches(need));
  const uint64_t last = LastRegistrySequence();
  EXPECT_TRUE(Eventually([&] { return IndexStatus().sequence() >= last; }))
      << IndexStatus().sequence() << " of " << last;
  // Every listing of the burst is in the index.
  for (const std::string& name : burst) {
    matching::v1::FindMatchesResponse resp;
    EXPECT_TRUE(Find(name, &resp).ok()) << name;
  }
  // need, o2, o3 and the burst: o1 and o4 are closed.
  EXPECT_EQ(IndexStatus().listings(), 3 + static_cast<int64_t>(burst.size()));

  // And it keeps following.
  Close(o3);
  EXPECT_TRUE(Eventually([&] {
    return Matches(need) == std::vector<std::string>{o2 + "|Jahe emprit"};
  })) << ::testing::PrintToString(Matches(need));
}

}  // namespace
}  // namespace jalin::matching
