// ExportSnapshot with the event stream: a consumer that loads the snapshot
// and then follows the stream from its position ends with exactly the
// registry's open listings, while listings were created and closed during
// the export. And the curation events the registry consumes.

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/events/event_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/curation_events.pb.h"
#include "jalin/events/v1/registry_events.pb.h"
#include "services/registry/time_util.h"
#include "tests/services/registry/registry_test_env.h"

namespace jalin::registry::testing {
namespace {

using auth::Role;
namespace ev1 = jalin::events::v1;

class RegistryExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto env = RegistryEnv::Start();
    ASSERT_TRUE(env.ok()) << env.status();
    env_ = *std::move(env);
    admin_ = env_->AdminToken();
  }

  template <typename Req, typename Resp, typename Method>
  Resp Must(Method method, const Req& req) {
    Resp out;
    grpc::Status s = Call(*env_, admin_, method, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::Enterprise Enterprise(const std::string& name) {
    v1::CreateEnterpriseRequest req;
    *req.mutable_enterprise() = SampleEnterprise("regions/33.13", name);
    return Must<v1::CreateEnterpriseRequest, v1::Enterprise>(
        &Stub::CreateEnterprise, req);
  }

  v1::Listing Listing(const std::string& owner, const std::string& title) {
    v1::CreateListingRequest req;
    *req.mutable_listing() = SampleListing(owner, title);
    return Must<v1::CreateListingRequest, v1::Listing>(&Stub::CreateListing,
                                                       req);
  }

  // Appends a curation event to jalin.curation.events the way curation's
  // relay does.
  void PublishCuration(const std::string& type, const std::string& subject,
                       const google::protobuf::Message& payload,
                       std::string id = "") {
    ev1::Event e = events::MakeEvent(
        {.service = "curation", .type = type, .subject = subject}, payload,
        absl::Now());
    if (!id.empty()) e.set_id(id);
    auto r = env_->redis().Command({"XADD", "jalin.curation.events", "*", "id",
                                    e.id(), "type", e.type(), "event",
                                    e.SerializeAsString()});
    ASSERT_TRUE(r.ok()) << r.status();
  }

  // Polls GetEnterprise until `done` holds.
  v1::Enterprise WaitForEnterprise(
      const std::string& name,
      const std::function<bool(const v1::Enterprise&)>& done) {
    v1::GetEnterpriseRequest get;
    get.set_name(name);
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    v1::Enterprise e;
    while (absl::Now() < deadline) {
      if (Call(*env_, admin_, &Stub::GetEnterprise, get, &e).ok() && done(e)) {
        return e;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    ADD_FAILURE() << "condition not reached for " << name << ": "
                  << e.DebugString();
    return e;
  }

  std::unique_ptr<RegistryEnv> env_;
  std::string admin_;
};

TEST_F(RegistryExportTest, SnapshotThenStreamMissesNothingAndRepeatsNothing) {
  const v1::Enterprise owner = Enterprise("Jamu Tawangmangu");
  std::vector<v1::Listing> before;
  for (int i = 0; i < 100; ++i) {
    before.push_back(Listing(owner.name(), absl::StrCat("Sebelum ", i)));
  }

  // A writer creates listings and closes old ones while the snapshot is
  // taken; it goes on after the snapshot until it made 200.
  absl::Mutex mu;
  int written = 0;
  bool exported = false;
  std::thread writer([&] {
    const std::string token = env_->AdminToken();
    for (int i = 0; i < 200; ++i) {
      {
        absl::MutexLock lock(&mu);
        auto ready = [&] { return i < 150 || exported; };
        mu.Await(absl::Condition(&ready));
      }
      v1::CreateListingRequest create;
      *create.mutable_listing() =
          SampleListing(owner.name(), absl::StrCat("Selama ", i));
      v1::Listing out;
      auto ctx = RegistryEnv::Context(token);
      EXPECT_TRUE(env_->stub().CreateListing(ctx.get(), create, &out).ok());
      if (i % 10 == 0) {
        v1::UpdateListingRequest close;
        close.mutable_listing()->set_name(before[i / 10].name());
        close.mutable_listing()->set_status(v1::Listing::CLOSED);
        close.mutable_update_mask()->add_paths("status");
        auto ctx2 = RegistryEnv::Context(token);
        EXPECT_TRUE(env_->stub().UpdateListing(ctx2.get(), close, &out).ok());
      }
      absl::MutexLock lock(&mu);
      ++written;
    }
  });
  {
    absl::MutexLock lock(&mu);
    auto started = [&] { return written >= 50; };
    mu.Await(absl::Condition(&started));
  }

  v1::ExportSnapshotRequest req;
  req.set_chunk_size(7);
  auto ctx = RegistryEnv::Context(env_->Token(Role::kService));
  auto stream = env_->stub().ExportSnapshot(ctx.get(), req);
  v1::ExportSnapshotResponse msg;
  ASSERT_TRUE(stream->Read(&msg));
  ASSERT_TRUE(msg.has_position());
  const v1::SnapshotPosition position = msg.position();
  EXPECT_EQ(position.stream(), "jalin.registry.events");
  std::set<std::string> open;
  int categories = 0;
  while (stream->Read(&msg)) {
    EXPECT_FALSE(msg.has_position());
    EXPECT_LE(msg.listings_size() + msg.clusters_size() +
                  msg.categories_size() + msg.supply_links_size() +
                  msg.agreements_size(),
              7);
    for (const auto& l : msg.listings()) {
      EXPECT_EQ(l.status(), v1::Listing::OPEN);
      EXPECT_TRUE(open.insert(l.name()).second) << l.name();
    }
    categories += msg.categories_size();
  }
  ASSERT_TRUE(stream->Finish().ok());
  {
    absl::MutexLock lock(&mu);
    exported = true;
  }
  writer.join();
  EXPECT_GE(categories, 150);
  EXPECT_GT(open.size(), 100u);

  // Follow the stream from the position, skipping what the snapshot holds.
  auto events = env_->Settle();
  ASSERT_TRUE(events.ok()) << events.status();
  int applied = 0;
  for (const ev1::Event& e : *events) {
    if (e.sequence() <= position.sequence()) continue;
    ev1::ListingEvent payload;
    if (!e.data().UnpackTo(&payload)) continue;
    const v1::Listing& l = payload.listing();
    ++applied;
    if (e.type() == "jalin.registry.listing.created") {
      EXPECT_FALSE(open.contains(l.name())) << "seen twice: " << l.name();
      open.insert(l.name());
    } else if (e.type() == "jalin.registry.listing.updated") {
      if (l.status() == v1::Listing::OPEN) {
        open.insert(l.name());
      } else {
        open.erase(l.name());
      }
    } else if (e.type() == "jalin.registry.listing.deleted") {
      open.erase(l.name());
    }
  }
  EXPECT_GE(applied, 50);
  // The stream after the position starts right after the snapshot: the
  // first event read there is the first one the snapshot lacks.
  auto after = env_->redis().Command(
      {"XRANGE", "jalin.registry.events",
       position.stream_id() == "0-0" ? "-" : "(" + position.stream_id(), "+",
       "COUNT", "1"});
  ASSERT_TRUE(after.ok());
  ASSERT_FALSE(after->elements.empty());

  std::set<std::string> expected;
  v1::ListListingsRequest list;
  list.set_status(v1::Listing::OPEN);
  list.set_page_size(1000);
  v1::ListListingsResponse resp;
  ASSERT_TRUE(Call(*env_, admin_, &Stub::ListListings, list, &resp).ok());
  for (const auto& l : resp.listings()) expected.insert(l.name());
  EXPECT_EQ(expected.size(), 300u - 20u);
  EXPECT_EQ(open, expected);
}

TEST_F(RegistryExportTest, SnapshotIsForServicesOnly) {
  for (const std::string& token :
       {env_->Token(Role::kViewer), env_->Token(Role::kFacilitator, {"33"})}) {
    v1::ExportSnapshotRequest req;
    auto ctx = RegistryEnv::Context(token);
    auto stream = env_->stub().ExportSnapshot(ctx.get(), req);
    v1::ExportSnapshotResponse msg;
    EXPECT_FALSE(stream->Read(&msg));
    EXPECT_EQ(stream->Finish().error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  v1::ExportSnapshotRequest req;
  req.set_chunk_size(-1);
  auto ctx = RegistryEnv::Context(env_->Token(Role::kService));
  auto stream = env_->stub().ExportSnapshot(ctx.get(), req);
  v1::ExportSnapshotResponse msg;
  EXPECT_FALSE(stream->Read(&msg));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RegistryExportTest, CurationDecisionsAndVerificationsReachTheRecords) {
  const v1::Enterprise curated = Enterprise("Jamu Beras Kencur Bu Wiji");
  const v1::Enterprise failed = Enterprise("Jamu Gagal");
  const v1::Enterprise merged = Enterprise("Jamu Kembar");
  const v1::Listing listing = Listing(curated.name(), "Beras kencur botol");

  const absl::Time decided = absl::FromCivil(
      absl::CivilSecond(2030, 3, 1, 9, 0, 0), absl::UTCTimeZone());
  auto decision = [&](const v1::Enterprise& e,
                      jalin::curation::v1::Decision::Result result) {
    ev1::SubmissionEvent s;
    s.mutable_submission()->set_name("campaigns/kurasi-2030/submissions/s1");
    s.mutable_submission()->set_enterprise(e.name());
    s.mutable_submission()->set_product_name("Beras kencur botol 250 ml");
    s.mutable_submission()->mutable_decision()->set_result(result);
    s.mutable_submission()->mutable_decision()->set_grade("A");
    *s.mutable_submission()->mutable_decision()->mutable_decide_time() =
        ToTimestamp(decided);
    s.set_validity_days(365);
    return s;
  };
  PublishCuration("jalin.curation.submission.decided",
                  "campaigns/kurasi-2030/submissions/s2",
                  decision(failed, jalin::curation::v1::Decision::FAILED));
  const ev1::SubmissionEvent passed =
      decision(curated, jalin::curation::v1::Decision::PASSED);
  PublishCuration("jalin.curation.submission.decided",
                  "campaigns/kurasi-2030/submissions/s1", passed,
                  "01JCURATIONDECIDED0000000001");
  // Delivered twice: applied once.
  PublishCuration("jalin.curation.submission.decided",
                  "campaigns/kurasi-2030/submissions/s1", passed,
                  "01JCURATIONDECIDED0000000001");

  const v1::Enterprise e = WaitForEnterprise(
      curated.name(),
      [](const v1::Enterprise& x) { return x.curation_marks_size() > 0; });
  ASSERT_EQ(e.curation_marks_size(), 1);
  EXPECT_EQ(e.curation_marks(0).campaign(), "campaigns/kurasi-2030");
  EXPECT_EQ(e.curation_marks(0).product(), "Beras kencur botol 250 ml");
  EXPECT_EQ(e.curation_marks(0).grade(), "A");
  EXPECT_EQ(e.curation_marks(0).expire_date().year(), 2031);
  EXPECT_EQ(e.curation_marks(0).expire_date().month(), 3);
  EXPECT_EQ(e.curation_marks(0).expire_date().day(), 1);

  auto verify = [&](const std::string& record,
                    jalin::curation::v1::VerificationTask::Resolution r,
                    const std::string& merge_into = "") {
    ev1::VerificationEvent v;
    v.mutable_task()->set_name("verificationTasks/t1");
    v.mutable_task()->set_record(record);
    v.mutable_task()->set_resolution(r);
    v.mutable_task()->set_merge_into(merge_into);
    PublishCuration("jalin.curation.verification.resolved", v.task().name(), v);
  };
  verify(curated.name(), jalin::curation::v1::VerificationTask::VERIFY);
  verify(merged.name(), jalin::curation::v1::VerificationTask::MERGE,
         curated.name());
  const v1::Enterprise m = WaitForEnterprise(merged.name(), [](const auto& x) {
    return x.verification_state() == v1::MERGED;
  });
  EXPECT_EQ(m.merged_into(), curated.name());
  // Events are applied in order: the earlier ones are in too.
  v1::GetEnterpriseRequest get;
  get.set_name(curated.name());
  v1::Enterprise now;
  ASSERT_TRUE(Call(*env_, admin_, &Stub::GetEnterprise, get, &now).ok());
  EXPECT_EQ(now.verification_state(), v1::VERIFIED);
  EXPECT_EQ(now.curation_marks_size(), 1);
  get.set_name(failed.name());
  ASSERT_TRUE(Call(*env_, admin_, &Stub::GetEnterprise, get, &now).ok());
  EXPECT_EQ(now.curation_marks_size(), 0);

  // The listing carries the owner's new standing.
  v1::GetListingRequest get_listing;
  get_listing.set_name(listing.name());
  v1::Listing l;
  ASSERT_TRUE(Call(*env_, admin_, &Stub::GetListing, get_listing, &l).ok());
  EXPECT_TRUE(l.owner_profile().curated());
  EXPECT_EQ(l.owner_profile().curation_grade(), "A");
  EXPECT_TRUE(l.owner_profile().verified());

  auto events = env_->Settle();
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(RegistryEnv::CountEvents(
                *events, "jalin.registry.enterprise.curated", curated.name()),
            1);
  EXPECT_EQ(RegistryEnv::CountEvents(
                *events, "jalin.registry.enterprise.verification_changed",
                curated.name()),
            1);
  EXPECT_EQ(RegistryEnv::CountEvents(
                *events, "jalin.registry.enterprise.verification_changed",
                merged.name()),
            1);
  EXPECT_EQ(RegistryEnv::CountEvents(*events, "jalin.registry.listing.updated",
                                     listing.name()),
            2);
}

}  // namespace
}  // namespace jalin::registry::testing
