#include "tests/services/curation/curation_fixture.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/events/event_consumer.h"
#include "common/status/status_macros.h"
#include "services/curation/curation_schema.h"
#include "tests/services/curation/test_campaigns.h"

namespace jalin::curation::testing {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::Reviewer;
using ::jalin::curation::v1::Submission;

const absl::Time CurationFixture::kStart = absl::FromUnixSeconds(1'780'000'000);

const std::vector<std::string>& CriterionIds() {
  static const auto* ids = new std::vector<std::string>{
      "quality", "packaging", "legality", "market", "digital"};
  return *ids;
}

void CurationFixture::SetUp() {
  auto db = storage::SqliteDatabase::Open(
      {.path = dir_.File("curation.db"), .synchronous_full = false});
  ASSERT_TRUE(db.ok()) << db.status();
  db_ = *std::move(db);
  ASSERT_TRUE(events::Outbox::Migrate(*db_).ok());
  ASSERT_TRUE(events::EventConsumer::Migrate(*db_).ok());
  ASSERT_TRUE(storage::RequestLog::Migrate(*db_).ok());
  ASSERT_TRUE(MigrateCurationSchema(*db_).ok());
  auto table = regions::RegionTable::Load(std::string(JALIN_SOURCE_DIR) +
                                          "/data/regions.csv");
  ASSERT_TRUE(table.ok()) << table.status();
  regions_ = *std::move(table);
  registry_server_ =
      std::make_unique<jalin::testing::InProcessServer>(&registry_);
  ASSERT_TRUE(registry_server_->ok());
  token_ = std::make_unique<rpc::ServiceToken>("curation", keys_, "",
                                               SystemClock::Get());
  directory_ = std::make_unique<RegistryDirectory>(
      rpc::MakeChannel(registry_server_->address()), token_.get(),
      absl::Seconds(5));
  deps_.db = db_.get();
  deps_.events = EventWriter(&outbox_);
  deps_.clock = &clock_;
  deps_.requests = &requests_;
  deps_.regions = &regions_;
  deps_.directory = directory_.get();
  campaigns_ = std::make_unique<CampaignManager>(&deps_);
  submissions_ = std::make_unique<SubmissionManager>(&deps_);
  panel_ = std::make_unique<PanelManager>(&deps_);
  queue_ = std::make_unique<VerificationQueue>(&deps_);
}

auth::Principal CurationFixture::Admin() {
  auth::Principal p;
  p.subject = "users/admin";
  p.role = auth::Role::kAdmin;
  return p;
}

auth::Principal CurationFixture::Facilitator(std::vector<std::string> regions) {
  auth::Principal p;
  p.subject = "users/fasilitator";
  p.role = auth::Role::kFacilitator;
  p.regions = std::move(regions);
  return p;
}

auth::Principal CurationFixture::Member(const std::string& enterprise) {
  auth::Principal p;
  p.subject = absl::StrCat("users/member-", enterprise);
  p.role = auth::Role::kMember;
  p.organization = enterprise;
  return p;
}

auth::Principal CurationFixture::Curator(const std::string& subject,
                                         std::vector<std::string> regions) {
  auth::Principal p;
  p.subject = subject;
  p.role = auth::Role::kCurator;
  p.regions = std::move(regions);
  return p;
}

Campaign CurationFixture::OpenCampaign(int quota, double threshold,
                                       int reviewers) {
  v1::CreateCampaignRequest req;
  *req.mutable_campaign() = StandardCampaign(
      kStart, kStart + absl::Hours(24 * 30), quota, threshold, reviewers);
  Campaign c;
  absl::Status s = campaigns_->Create(Admin(), req, &c);
  EXPECT_TRUE(s.ok()) << s;
  absl::StatusOr<Campaign> opened = Action(&CampaignManager::Open, c);
  EXPECT_TRUE(opened.ok()) << opened.status();
  return opened.ok() ? *opened : c;
}

absl::StatusOr<Submission> CurationFixture::Apply(
    const auth::Principal& p, const Campaign& c,
    const std::string& enterprise_id, const std::string& region,
    const std::vector<std::string>& clusters, const std::string& product,
    const std::string& request_id) {
  registry_.Put(MakeEnterprise(enterprise_id, region, clusters));
  return ApplyFor(p, c, absl::StrCat("enterprises/", enterprise_id), product,
                  request_id);
}

absl::StatusOr<Submission> CurationFixture::ApplyFor(
    const auth::Principal& p, const Campaign& c, const std::string& enterprise,
    const std::string& product, const std::string& request_id) {
  v1::CreateSubmissionRequest req;
  req.set_parent(c.name());
  req.set_request_id(request_id);
  req.mutable_submission()->set_enterprise(enterprise);
  req.mutable_submission()->set_product_name(product);
  Submission out;
  absl::Status status;
  absl::Notification done;
  submissions_->Create(p, &req, &out, [&](absl::Status s) {
    status = s;
    done.Notify();
  });
  if (!done.WaitForNotificationWithTimeout(absl::Seconds(30))) {
    return absl::DeadlineExceededError("CreateSubmission did not finish");
  }
  if (!status.ok()) return status;
  return out;
}

Reviewer CurationFixture::AddReviewer(const Campaign& c,
                                      const std::string& subject,
                                      std::vector<std::string> regions,
                                      std::vector<std::string> clusters) {
  v1::AddReviewerRequest req;
  req.set_parent(c.name());
  req.mutable_reviewer()->set_subject(subject);
  req.mutable_reviewer()->set_display_name(subject);
  for (auto& r : regions) req.mutable_reviewer()->add_regions(r);
  for (auto& cl : clusters) req.mutable_reviewer()->add_clusters(cl);
  Reviewer out;
  absl::Status s = panel_->AddReviewer(Admin(), req, &out);
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

absl::StatusOr<Campaign> CurationFixture::Action(
    absl::Status (CampaignManager::*fn)(const auth::Principal&,
                                        const v1::CampaignActionRequest&,
                                        Campaign*),
    const Campaign& c, const auth::Principal& p) {
  v1::CampaignActionRequest req;
  req.set_name(c.name());
  Campaign out;
  RETURN_IF_ERROR(((*campaigns_).*fn)(p, req, &out));
  return out;
}

std::vector<Assignment> CurationFixture::Assignments(const Campaign& c) {
  std::vector<Assignment> out;
  v1::ListAssignmentsRequest req;
  req.set_parent(c.name());
  req.set_page_size(1000);
  while (true) {
    v1::ListAssignmentsResponse resp;
    absl::Status s = panel_->ListAssignments(Admin(), req, &resp);
    EXPECT_TRUE(s.ok()) << s;
    if (!s.ok()) break;
    out.insert(out.end(), resp.assignments().begin(), resp.assignments().end());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return out;
}

std::vector<Reviewer> CurationFixture::Reviewers(const Campaign& c) {
  v1::ListReviewersRequest req;
  req.set_parent(c.name());
  req.set_page_size(1000);
  v1::ListReviewersResponse resp;
  absl::Status s = panel_->ListReviewers(Admin(), req, &resp);
  EXPECT_TRUE(s.ok()) << s;
  return {resp.reviewers().begin(), resp.reviewers().end()};
}

absl::StatusOr<v1::Review> CurationFixture::Review(
    const std::string& curator_subject, const std::string& submission,
    const std::vector<int>& scores) {
  v1::SubmitReviewRequest req;
  req.set_submission(submission);
  for (size_t i = 0; i < scores.size() && i < CriterionIds().size(); ++i) {
    (*req.mutable_review()->mutable_scores())[CriterionIds()[i]] = scores[i];
  }
  req.mutable_review()->set_comment("Kemasan rapi, label lengkap.");
  v1::Review out;
  RETURN_IF_ERROR(panel_->SubmitReview(Curator(curator_subject), req, &out));
  return out;
}

void CurationFixture::ReviewAllOpen(const Campaign& c,
                                    const std::vector<int>& scores) {
  std::map<std::string, std::string> subject_of;
  for (const Reviewer& r : Reviewers(c)) subject_of[r.name()] = r.subject();
  for (const Assignment& a : Assignments(c)) {
    if (a.state() != Assignment::OPEN) continue;
    auto r = Review(subject_of[a.reviewer()], a.submission(), scores);
    EXPECT_TRUE(r.ok()) << r.status();
  }
}

std::vector<jalin::events::v1::Event> CurationFixture::OutboxEvents(
    const std::string& type) {
  std::vector<jalin::events::v1::Event> out;
  absl::Status s = db_->Read([&](storage::Transaction& tx) {
    return tx.Query(
        "SELECT payload FROM jalin_outbox WHERE ? = '' OR type = ? ORDER BY "
        "seq",
        {storage::Param(type), storage::Param(type)},
        [&](const storage::Row& row) {
          out.emplace_back();
          out.back().ParseFromString(std::string(row.Blob(0)));
          return absl::OkStatus();
        });
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

}  // namespace jalin::curation::testing
