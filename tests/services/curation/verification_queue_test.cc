// The verification queue applied to registry events (as the consumer would
// apply them, in a store transaction): duplicate NIBs, near-duplicate names
// in one village, incomplete records; resolution by curators and the
// events the registry follows.

#include <set>

#include "absl/strings/str_cat.h"
#include "common/events/event_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/curation_events.pb.h"
#include "jalin/events/v1/registry_events.pb.h"
#include "services/curation/curation_errors.h"
#include "tests/services/curation/curation_fixture.h"

namespace jalin::curation::testing {
namespace {

using ::jalin::curation::v1::VerificationTask;
using ::jalin::registry::v1::Enterprise;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class VerificationQueueTest : public CurationFixture {
 protected:
  Enterprise Record(const std::string& id, const std::string& name,
                    const std::string& nib, const std::string& village) {
    Enterprise e = MakeEnterprise(id, "regions/33.13", {}, name);
    e.set_nib(nib);
    e.mutable_location()->set_district_code("33.13.05");
    e.mutable_location()->set_village_code(village);
    return e;
  }

  void Send(const std::string& verb, const Enterprise& e) {
    jalin::events::v1::EnterpriseEvent payload;
    *payload.mutable_enterprise() = e;
    auto event = events::MakeEvent(
        {.service = "registry",
         .type = absl::StrCat("jalin.registry.enterprise.", verb),
         .subject = e.name()},
        payload, clock_.Now());
    absl::Status s = db_->Write(
        [&](storage::Transaction& tx) { return queue_->Apply(event, tx); });
    ASSERT_TRUE(s.ok()) << s;
  }

  std::vector<VerificationTask> Tasks(
      VerificationTask::State state = VerificationTask::OPEN,
      const auth::Principal& p = Admin()) {
    v1::ListVerificationTasksRequest req;
    req.set_state(state);
    req.set_page_size(100);
    v1::ListVerificationTasksResponse resp;
    absl::Status s = queue_->List(p, req, &resp);
    EXPECT_TRUE(s.ok()) << s;
    return {resp.tasks().begin(), resp.tasks().end()};
  }

  absl::StatusOr<VerificationTask> Resolve(
      const std::string& task, VerificationTask::Resolution r,
      const std::string& merge_into = "",
      const auth::Principal& p = Curator("users/kurator", {"33.13"})) {
    v1::ResolveVerificationTaskRequest req;
    req.set_name(task);
    req.set_resolution(r);
    req.set_merge_into(merge_into);
    req.set_comment("Dicek ke lapangan");
    VerificationTask out;
    absl::Status s = queue_->Resolve(p, req, &out);
    if (!s.ok()) return s;
    return out;
  }
};

TEST_F(VerificationQueueTest, DuplicateNibOpensOneTaskAndMergeResolvesIt) {
  Send("created", Record("a", "Batik Sari", "1234567890123", ""));
  EXPECT_TRUE(Tasks().empty());
  Send("created", Record("b", "Batik Sari Asli", "1234567890123", ""));
  std::vector<VerificationTask> open = Tasks();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].record(), "enterprises/b");
  EXPECT_EQ(open[0].reason(), VerificationTask::DUPLICATE_NIB);
  EXPECT_THAT(open[0].related_records(), ElementsAre("enterprises/a"));
  EXPECT_EQ(open[0].region(), "regions/33.13");
  ASSERT_EQ(OutboxEvents("jalin.curation.verification.opened").size(), 1u);
  // An update of the older record does not open a second task for the same
  // pair.
  Send("updated", Record("a", "Batik Sari", "1234567890123", ""));
  EXPECT_EQ(Tasks().size(), 1u);

  // Merging needs a related record as the survivor.
  auto wrong =
      Resolve(open[0].name(), VerificationTask::MERGE, "enterprises/zz");
  ASSERT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetBadRequest(wrong.status())->field_violations(0).field(),
            "merge_into");
  // It says how many there are and where they all are (a long list is cut),
  // then names them.
  EXPECT_EQ(GetBadRequest(wrong.status())->field_violations(0).description(),
            "must be one of the task's related records (all 1 in its "
            "related_records): enterprises/a");
  auto missing = Resolve(open[0].name(), VerificationTask::MERGE, "");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);

  auto merged =
      Resolve(open[0].name(), VerificationTask::MERGE, "enterprises/a");
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->state(), VerificationTask::RESOLVED);
  EXPECT_EQ(merged->resolved_by(), "users/kurator");
  auto resolved = OutboxEvents("jalin.curation.verification.resolved");
  ASSERT_EQ(resolved.size(), 1u);
  jalin::events::v1::VerificationEvent payload;
  ASSERT_TRUE(resolved[0].data().UnpackTo(&payload));
  EXPECT_EQ(payload.task().record(), "enterprises/b");
  EXPECT_EQ(payload.task().resolution(), VerificationTask::MERGE);
  EXPECT_EQ(payload.task().merge_into(), "enterprises/a");
  EXPECT_THAT(resolved[0].parties(),
              UnorderedElementsAre("enterprises/b", "enterprises/a"));
  EXPECT_THAT(resolved[0].regions(), ElementsAre("regions/33.13"));
  EXPECT_TRUE(Tasks().empty());
  EXPECT_EQ(Resolve(open[0].name(), VerificationTask::VERIFY).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The registry follows: "b" comes back merged; nothing reopens.
  Enterprise b = Record("b", "Batik Sari Asli", "1234567890123", "");
  b.set_verification_state(jalin::registry::v1::MERGED);
  Send("verification_changed", b);
  EXPECT_TRUE(Tasks().empty());
}

TEST_F(VerificationQueueTest, NearDuplicateNamesInOneVillage) {
  Send("created", Record("a", "UD Jamu Sehat Lestari", "", "33.13.05.2001"));
  Send("created", Record("far", "Jamu Sehat Lestari", "", "33.13.05.2009"));
  EXPECT_TRUE(Tasks().empty()) << "another village";
  Send("created", Record("b", "Jamu Sehat Lestary", "", "33.13.05.2001"));
  std::vector<VerificationTask> open = Tasks();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].reason(), VerificationTask::NEAR_DUPLICATE_NAME);
  EXPECT_THAT(open[0].related_records(), ElementsAre("enterprises/a"));
  // Renamed apart: the finding no longer holds and the task is cleared.
  Send("updated", Record("b", "Kerajinan Bambu Wulung", "", "33.13.05.2001"));
  EXPECT_TRUE(Tasks().empty());
  std::vector<VerificationTask> done = Tasks(VerificationTask::RESOLVED);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].resolution(), VerificationTask::RESOLUTION_UNSPECIFIED);
  EXPECT_EQ(done[0].resolved_by(), "system");
  EXPECT_EQ(OutboxEvents("jalin.curation.verification.cleared").size(), 1u);
  EXPECT_TRUE(OutboxEvents("jalin.curation.verification.resolved").empty());
}

TEST_F(VerificationQueueTest, IncompleteRecordAndVerifiedFindingsStayClosed) {
  Enterprise e = Record("c", "Gerabah Kasongan", "", "");
  e.clear_categories();
  e.set_scale(jalin::registry::v1::SCALE_UNSPECIFIED);
  Send("created", e);
  std::vector<VerificationTask> open = Tasks();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].reason(), VerificationTask::INCOMPLETE);
  EXPECT_EQ(open[0].detail(), "missing: scale, categories");
  ASSERT_TRUE(Resolve(open[0].name(), VerificationTask::VERIFY).ok());
  // The same finding again does not reopen; a new gap does.
  Send("updated", e);
  EXPECT_TRUE(Tasks().empty());
  e.mutable_location()->clear_district_code();
  Send("updated", e);
  ASSERT_EQ(Tasks().size(), 1u);
  EXPECT_EQ(Tasks()[0].detail(),
            "missing: scale, categories, location.district_code");
}

TEST_F(VerificationQueueTest, DeletedRecordClearsItsTasksAndOthersNamingIt) {
  Send("created", Record("a", "Batik Sari", "1234567890123", ""));
  Send("created", Record("b", "Batik Sari", "1234567890123", ""));
  ASSERT_EQ(Tasks().size(), 1u);
  Send("deleted", Record("a", "Batik Sari", "1234567890123", ""));
  EXPECT_TRUE(Tasks().empty()) << "b's duplicate is gone";
}

TEST_F(VerificationQueueTest, CuratorsWorkWithinTheirRegions) {
  Send("created", Record("a", "Batik Sari", "1234567890123", ""));
  Send("created", Record("b", "Batik Sari", "1234567890123", ""));
  ASSERT_EQ(Tasks().size(), 1u);
  const std::string task = Tasks()[0].name();
  EXPECT_TRUE(
      Tasks(VerificationTask::OPEN, Curator("users/x", {"34"})).empty());
  EXPECT_EQ(Tasks(VerificationTask::OPEN, Curator("users/y", {"33"})).size(),
            1u);
  auto denied =
      Resolve(task, VerificationTask::REJECT, "", Curator("users/x", {"34"}));
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  auto ghost = Resolve("verificationTasks/nope", VerificationTask::REJECT, "",
                       Curator("users/x", {"34"}));
  EXPECT_EQ(ghost.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ghost.status().message(), denied.status().message());
  v1::ListVerificationTasksRequest other_region;
  other_region.set_region("regions/34.71");
  v1::ListVerificationTasksResponse resp;
  EXPECT_EQ(
      queue_->List(Curator("users/y", {"33"}), other_region, &resp).code(),
      absl::StatusCode::kPermissionDenied);
  auto rejected = Resolve(task, VerificationTask::REJECT);
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->resolution(), VerificationTask::REJECT);
}

TEST_F(VerificationQueueTest, OtherEventTypesAreIgnoredAndGarbageIsRefused) {
  jalin::events::v1::ListingEvent listing;
  listing.mutable_listing()->set_name("listings/x");
  auto ignored = events::MakeEvent(
      {.service = "registry", .type = "jalin.registry.listing.created"},
      listing, clock_.Now());
  EXPECT_TRUE(db_->Write([&](storage::Transaction& tx) {
                   return queue_->Apply(ignored, tx);
                 })
                  .ok());
  auto garbage = events::MakeEvent(
      {.service = "registry", .type = "jalin.registry.enterprise.created"},
      listing, clock_.Now());
  EXPECT_EQ(db_->Write([&](storage::Transaction& tx) {
                 return queue_->Apply(garbage, tx);
               })
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jalin::curation::testing
