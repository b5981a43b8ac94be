// The curation managers in the test's process, over a real SQLite store in
// a private directory, a FakeClock, and the real registry client talking
// gRPC to a FakeRegistry. Events stay in the outbox (no relay runs), where
// tests read them.

#ifndef TESTS_SERVICES_CURATION_CURATION_FIXTURE_H_
#define TESTS_SERVICES_CURATION_CURATION_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/authenticator.h"
#include "common/clock.h"
#include "common/events/outbox.h"
#include "common/regions/region_table.h"
#include "common/rpc/client.h"
#include "common/storage/request_log.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/in_process_server.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/event.pb.h"
#include "services/curation/campaign_manager.h"
#include "services/curation/curation_deps.h"
#include "services/curation/panel_manager.h"
#include "services/curation/submission_manager.h"
#include "services/curation/verification_queue.h"
#include "tests/services/curation/fake_registry.h"

namespace jalin::curation::testing {

class CurationFixture : public ::testing::Test {
 protected:
  static const absl::Time kStart;

  void SetUp() override;

  // Principals.
  static auth::Principal Admin();
  static auth::Principal Facilitator(std::vector<std::string> regions);
  static auth::Principal Member(const std::string& enterprise);
  static auth::Principal Curator(const std::string& subject,
                                 std::vector<std::string> regions = {});

  // Creates and opens the standard campaign (window kStart .. +30 days)
  // with `quota`, `threshold` and `reviewers` per submission.
  v1::Campaign OpenCampaign(int quota, double threshold, int reviewers = 3);
  // Puts an enterprise in the fake registry and applies with a product.
  absl::StatusOr<v1::Submission> Apply(
      const auth::Principal& p, const v1::Campaign& c,
      const std::string& enterprise_id, const std::string& region,
      const std::vector<std::string>& clusters,
      const std::string& product = "Keripik Tempe",
      const std::string& request_id = "");
  // Applies as the admin for an enterprise already in the registry.
  absl::StatusOr<v1::Submission> ApplyFor(const auth::Principal& p,
                                          const v1::Campaign& c,
                                          const std::string& enterprise,
                                          const std::string& product,
                                          const std::string& request_id = "");
  v1::Reviewer AddReviewer(const v1::Campaign& c, const std::string& subject,
                           std::vector<std::string> regions,
                           std::vector<std::string> clusters = {});
  absl::StatusOr<v1::Campaign> Action(
      absl::Status (CampaignManager::*fn)(const auth::Principal&,
                                          const v1::CampaignActionRequest&,
                                          v1::Campaign*),
      const v1::Campaign& c, const auth::Principal& p = Admin());
  // Every assignment of the campaign.
  std::vector<v1::Assignment> Assignments(const v1::Campaign& c);
  // The reviewers with their loads.
  std::vector<v1::Reviewer> Reviewers(const v1::Campaign& c);
  // Reviews every open assignment with `scores` (criterion order of the
  // standard rubric), as the assigned curator.
  void ReviewAllOpen(const v1::Campaign& c, const std::vector<int>& scores);
  absl::StatusOr<v1::Review> Review(const std::string& curator_subject,
                                    const std::string& submission,
                                    const std::vector<int>& scores);
  // Events in the outbox, optionally of one type, in order.
  std::vector<jalin::events::v1::Event> OutboxEvents(
      const std::string& type = "");

  jalin::testing::TempDir dir_;
  std::unique_ptr<storage::SqliteDatabase> db_;
  events::Outbox outbox_;
  FakeClock clock_{kStart};
  storage::RequestLog requests_;
  regions::RegionTable regions_;
  // An HS256 secret shared by the registry client and the fake registry.
  static auth::JwtKeys TestKeys() {
    auth::JwtKeys keys;
    keys.hs256_secret = std::string(40, 'k');
    return keys;
  }
  auth::JwtKeys keys_ = TestKeys();
  auth::Authenticator authn_{keys_, SystemClock::Get()};
  FakeRegistry registry_{&authn_};
  std::unique_ptr<jalin::testing::InProcessServer> registry_server_;
  std::unique_ptr<rpc::ServiceToken> token_;
  std::unique_ptr<RegistryDirectory> directory_;
  CurationDeps deps_;
  std::unique_ptr<CampaignManager> campaigns_;
  std::unique_ptr<SubmissionManager> submissions_;
  std::unique_ptr<PanelManager> panel_;
  std::unique_ptr<VerificationQueue> queue_;
};

// The criterion ids of the standard rubric, in order.
const std::vector<std::string>& CriterionIds();

}  // namespace jalin::curation::testing

#endif  // TESTS_SERVICES_CURATION_CURATION_FIXTURE_H_
