// What the curation service's queries cost as its tables grow, on a real
// SQLite store: a regional curator's verification tasks, a curator's
// assignments, a member's submissions and one more registry event for the
// verification queue each read the rows concerned, not the whole table.
// Costs are counted in SQLite's virtual machine steps, which depend on the
// plan and the data, not on the machine's speed, so that a plan that reads
// the table fails here without timing anything.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/events/event_builder.h"
#include "common/proto_time.h"
#include "common/storage/database.h"
#include "common/testing/statement_costs.h"
#include "common/testing/synthetic_regions.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/registry_events.pb.h"
#include "services/curation/panel_store.h"
#include "services/curation/progress_store.h"
#include "services/curation/submission_store.h"
#include "services/curation/verification_store.h"
#include "tests/services/curation/curation_fixture.h"

namespace jalin::curation::testing {
namespace {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::Submission;
using ::jalin::curation::v1::VerificationTask;
using ::jalin::registry::v1::Enterprise;
using ::jalin::testing::StatementCosts;

class QueryCostsTest : public CurationFixture {
 protected:
  void SetUp() override {
    // Counting starts before the fixture opens the store's connections.
    costs_ = std::make_unique<StatementCosts>();
    CurationFixture::SetUp();
  }

  // Runs `fn` in one write transaction.
  void Seed(absl::FunctionRef<absl::Status(storage::Transaction&)> fn) {
    absl::Status s = db_->Write(fn);
    ASSERT_TRUE(s.ok()) << s;
  }

  std::unique_ptr<StatementCosts> costs_;
};

// --- a regional curator's verification tasks ----------------------------

// 20,000 tasks (four in five open) spread over the 532 regencies: a
// regency holds about 30 open tasks, a province about 420. A curator's
// first page and total take about 800 steps for a regency (under 3,000
// allowed), 2,000 for two, 10,600 for a province, which sorts its tasks
// (under 35,000), and 15,700 for a province and a regency. With the region
// condition written as "region = ? OR region LIKE ? || '.%'" they take
// 320,000 and 178,000; without "+state", which lets SQLite walk every open
// task by curation_tasks_state, 204,000 and 114,000; with two regions
// and "id" instead of "+id", SQLite walks every task in id order:
// 182,000 and 27,000. A regency's open tasks of one kind take about 900;
// with "reason" instead of "+reason", SQLite reads every task of that kind
// by curation_tasks_reason: 350,000.
TEST_F(QueryCostsTest, RegionalCuratorReadsOnlyItsRegionsTasks) {
  const std::vector<std::string> regencies =
      ::jalin::testing::SyntheticRegencies();
  std::mt19937 rng(33);
  Seed([&](storage::Transaction& tx) -> absl::Status {
    for (int i = 0; i < 20000; ++i) {
      store::StoredTask t;
      VerificationTask& task = t.task;
      task.set_name(absl::StrFormat("verificationTasks/t%06d", i));
      task.set_record(absl::StrFormat("enterprises/e%06d", i));
      task.set_reason(i % 10 == 0 ? VerificationTask::DUPLICATE_NIB
                                  : VerificationTask::INCOMPLETE);
      task.set_state(rng() % 5 == 0 ? VerificationTask::RESOLVED
                                    : VerificationTask::OPEN);
      task.set_region(
          absl::StrCat("regions/", regencies[rng() % regencies.size()]));
      t.finding = "scale,categories";
      absl::Status s = store::InsertTask(tx, t);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  });

  struct Case {
    std::string what;
    std::vector<std::string> regions;
    int64_t max_steps;
    VerificationTask::Reason reason = VerificationTask::REASON_UNSPECIFIED;
  };
  const std::vector<Case> cases = {
      {"a regency curator", {"33.13"}, 3000},
      {"a curator of two regencies", {"33.13", "51.02"}, 3000},
      {"a province curator", {"33"}, 35000},
      {"a curator of a province and a regency in another",
       {"33", "51.02"},
       35000},
      {"a regency curator's tasks of one kind",
       {"33.13"},
       3000,
       VerificationTask::INCOMPLETE},
  };
  for (const Case& c : cases) {
    // The first page of open tasks and their total, as the curator's
    // dashboard asks for them.
    v1::ListVerificationTasksRequest req;
    req.set_state(VerificationTask::OPEN);
    req.set_reason(c.reason);
    req.set_page_size(50);
    v1::ListVerificationTasksResponse resp;
    costs_->Reset();
    absl::Status s =
        queue_->List(Curator("users/kurator", c.regions), req, &resp);
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_GT(resp.total_size(), 0) << c.what;
    const StatementCosts::Cost cost = costs_->Of("FROM curation_tasks");
    EXPECT_EQ(cost.fullscan_steps, 0) << c.what << "\n" << costs_->Report();
    EXPECT_LT(cost.vm_steps, c.max_steps) << c.what << "\n" << costs_->Report();
  }

  // An admin's tasks of one kind in the whole country, by
  // curation_tasks_reason: the 1,591 open duplicate-NIB tasks take about
  // 5,100 steps (page and total; under 10,000), all 2,000 of them, which
  // the page sorts, 30,300 (under 50,000). Without the index, 84,000 either
  // way.
  for (const bool open_only : {true, false}) {
    v1::ListVerificationTasksRequest req;
    if (open_only) req.set_state(VerificationTask::OPEN);
    req.set_reason(VerificationTask::DUPLICATE_NIB);
    req.set_page_size(50);
    v1::ListVerificationTasksResponse resp;
    costs_->Reset();
    absl::Status s = queue_->List(Admin(), req, &resp);
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_EQ(resp.tasks_size(), 50);
    const StatementCosts::Cost cost = costs_->Of("FROM curation_tasks");
    EXPECT_EQ(cost.fullscan_steps, 0) << costs_->Report();
    EXPECT_LT(cost.vm_steps, open_only ? 10000 : 50000) << costs_->Report();
  }
}

// --- a curator's assignments ---------------------------------------------

// 20,000 assignments in one campaign, three per submission among 200
// reviewers: a reviewer holds about 100. A curator's page of 51 takes
// 600 to 950 steps by curation_assignments_reviewer (under 3,000 allowed)
// and all of a reviewer's open ones about 1,300 (under 6,000); with the
// filters written as "(? = '' OR reviewer_id = ?)" SQLite walks the
// campaign's assignments: 59,000 to 81,000 steps for a first page,
// 114,000 for a later one, 121,000 for all.
TEST_F(QueryCostsTest, CuratorReadsOnlyItsOwnAssignments) {
  const std::string campaign = "c-kurasi";
  std::mt19937 rng(17);
  Seed([&](storage::Transaction& tx) -> absl::Status {
    std::vector<store::AssignmentRow> rows;
    for (int i = 0; i < 20000; ++i) {
      const int submission = i / 3;
      store::AssignmentRow a;
      a.submission_id = absl::StrFormat("s%06d", submission);
      a.reviewer_id =
          absl::StrFormat("r%03d", (submission * 7 + (i % 3) * 67) % 200);
      a.review_round = 1;
      a.state = rng() % 4 == 0 ? Assignment::REVIEWED : Assignment::OPEN;
      a.create_time = kStart;
      rows.push_back(std::move(a));
    }
    return store::InsertAssignments(tx, campaign, rows);
  });

  struct Case {
    std::string what;
    store::AssignmentQuery query;
    int64_t max_steps;
  };
  const std::vector<Case> cases = {
      {"a curator's first page",
       {.campaign_id = campaign, .reviewer_id = "r017", .limit = 51},
       3000},
      {"... its open ones",
       {.campaign_id = campaign,
        .reviewer_id = "r017",
        .state = Assignment::OPEN,
        .limit = 51},
       3000},
      {"... a later page",
       {.campaign_id = campaign,
        .reviewer_id = "r017",
        .after_submission = "s003000",
        .limit = 51},
       3000},
      {"every open one of a reviewer leaving the pool",
       {.campaign_id = campaign,
        .reviewer_id = "r017",
        .state = Assignment::OPEN,
        .limit = INT32_MAX},
       6000},
  };
  for (const Case& c : cases) {
    costs_->Reset();
    size_t found = 0;
    absl::Status s = db_->Read([&](storage::Transaction& tx) -> absl::Status {
      auto rows = store::ListAssignments(tx, c.query);
      if (!rows.ok()) return rows.status();
      found = rows->size();
      return absl::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_GT(found, 0u) << c.what;
    const StatementCosts::Cost cost = costs_->Of("FROM curation_assignments");
    EXPECT_EQ(cost.fullscan_steps, 0) << c.what << "\n" << costs_->Report();
    EXPECT_LT(cost.vm_steps, c.max_steps) << c.what << "\n" << costs_->Report();
  }
}

// --- a member's submissions ----------------------------------------------

// 20,000 submissions in one campaign from 8,000 enterprises (two or three
// products each), and as many in an earlier campaign. A member's page and
// total take 150 to 190 steps by curation_submissions_enterprise (under
// 600 allowed); with the filters written as "(? = '' OR enterprise = ?)"
// they read the campaign twice, 300,000 to 380,000 steps, and without
// "+campaign_id" SQLite walks the campaign in id order for the page,
// 100,000. A regency's page and total (38 submissions) take about 1,000
// steps by curation_submissions_region (under 3,000), a province's (532)
// 8,300 (under 25,000); without that index, 300,000 each, and with "id"
// instead of "+id" SQLite walks the campaign in id order for the page:
// 131,000 for the regency.
TEST_F(QueryCostsTest, MemberReadsOnlyItsOwnSubmissions) {
  const std::vector<std::string> regencies =
      ::jalin::testing::SyntheticRegencies();
  const std::string campaign = "c-kurasi";
  Seed([&](storage::Transaction& tx) -> absl::Status {
    for (const std::string& c : {std::string("c-lalu"), campaign}) {
      for (int i = 0; i < 20000; ++i) {
        const int enterprise = i % 8000;
        Submission s;
        s.set_name(store::SubmissionName(c, absl::StrFormat("s%06d", i)));
        s.set_enterprise(absl::StrFormat("enterprises/e%05d", enterprise));
        s.set_product_name(absl::StrCat("Produk ", i / 8000));
        s.set_region(
            absl::StrCat("regions/", regencies[enterprise % regencies.size()]));
        s.add_clusters("clusters/k1");
        // The second product of each enterprise is in review.
        s.set_state(i / 8000 == 1 ? Submission::IN_REVIEW
                                  : Submission::SUBMITTED);
        ToProtoTime(kStart, s.mutable_create_time());
        ToProtoTime(kStart, s.mutable_update_time());
        absl::Status st = store::InsertSubmission(tx, s);
        if (!st.ok()) return st;
      }
    }
    return absl::OkStatus();
  });

  struct Case {
    std::string what;
    store::SubmissionQuery query;
    int64_t max_steps;
  };
  const std::string member = "enterprises/e00123";
  const std::string member_region =
      absl::StrCat("regions/", regencies[123 % regencies.size()]);
  const std::vector<Case> cases = {
      {"a member's list",
       {.campaign_id = campaign, .enterprise = member, .limit = 51},
       600},
      {"... in one state",
       {.campaign_id = campaign,
        .state = Submission::SUBMITTED,
        .enterprise = member,
        .limit = 51},
       600},
      {"... in its regency",
       {.campaign_id = campaign,
        .region = member_region,
        .enterprise = member,
        .limit = 51},
       600},
      {"a regency's list",
       {.campaign_id = campaign, .region = member_region, .limit = 51},
       3000},
      {"a province's list",
       {.campaign_id = campaign, .region = "regions/33", .limit = 51},
       25000},
  };
  for (const Case& c : cases) {
    // The page and the total, as SubmissionManager::List reads them.
    costs_->Reset();
    size_t found = 0;
    int64_t total = 0;
    absl::Status s = db_->Read([&](storage::Transaction& tx) -> absl::Status {
      auto subs = store::ListSubmissions(tx, c.query);
      if (!subs.ok()) return subs.status();
      found = subs->size();
      auto n = store::CountSubmissions(tx, c.query);
      if (!n.ok()) return n.status();
      total = *n;
      return absl::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s;
    const StatementCosts::Cost cost = costs_->Of("FROM curation_submissions");
    EXPECT_EQ(static_cast<int64_t>(found), std::min<int64_t>(total, 51))
        << c.what;
    EXPECT_EQ(cost.fullscan_steps, 0) << c.what << "\n" << costs_->Report();
    EXPECT_LT(cost.vm_steps, c.max_steps) << c.what << "\n" << costs_->Report();
  }

  // The campaign's progress by region counts every submission; it reads
  // curation_submissions_region alone: about 450 pages for the 20,000.
  // Through the primary key and the rows in id order it took 1,200, and
  // through an index of the region alone, row by row, 80,000.
  costs_->Reset();
  absl::Status progress =
      db_->Read([&](storage::Transaction& tx) -> absl::Status {
        return store::LoadProgress(tx, campaign).status();
      });
  ASSERT_TRUE(progress.ok()) << progress;
  const StatementCosts::Cost cost = costs_->Of("FROM curation_submissions");
  EXPECT_LT(cost.pages, 1000) << costs_->Report();
}

// --- the verification queue following the registry ------------------------

// Records per village; villages fill one after another.
constexpr int kPerVillage = 40;

// Name words far apart in edit distance: two names of a village that
// differ in a word are never near-duplicates.
constexpr const char* kCrafts[] = {
    "batik",  "jamu",   "keripik", "anyaman", "gerabah", "tenun", "dodol",
    "kopi",   "madu",   "rotan",   "bordir",  "wayang",  "mebel", "perak",
    "emping", "sambal", "lurik",   "songket", "terasi",  "tapai"};
constexpr const char* kFortunes[] = {"makmur", "sentosa"};

std::string VillageCode(int village) {
  return absl::StrFormat("33.%02d.%02d.%04d", 1 + village % 35,
                         1 + village % 20, 2000 + village);
}

// The k-th record of a village is named after kCrafts[k % 20] and
// kFortunes[k / 20], each pair once per village.
std::string NameOf(int k) {
  return absl::StrCat("UD ", kCrafts[k % 20], " ", kFortunes[k / 20]);
}

// Record i, the (i % 40)-th of village i / 40, lacks a scale and
// categories, as after an import: each gets an open INCOMPLETE task. In
// each village the 13th and the 33rd records share their NIB with the
// 20th and the 40th (5% of the records), and the last nearly repeats the
// name of the first, so that every village has open DUPLICATE_NIB and
// NEAR_DUPLICATE_NAME tasks too.
Enterprise ImportedRecord(int i) {
  const int village = i / kPerVillage;
  const int k = i % kPerVillage;
  Enterprise e;
  e.set_name(absl::StrFormat("enterprises/imp%06d", i));
  const int nib_of = k % 20 == 19 ? i - 7 : i;
  e.set_nib(absl::StrFormat("%013d", 3300000000000LL + nib_of));
  e.set_display_name(k == kPerVillage - 1 ? absl::StrCat(NameOf(0), "s")
                                          : NameOf(k));
  auto* loc = e.mutable_location();
  loc->set_region(absl::StrFormat("regions/33.%02d", 1 + village % 35));
  loc->set_district_code(VillageCode(village).substr(0, 8));
  loc->set_village_code(VillageCode(village));
  e.set_verification_state(jalin::registry::v1::UNVERIFIED);
  return e;
}

jalin::events::v1::Event Created(const Enterprise& e, absl::Time now) {
  jalin::events::v1::EnterpriseEvent payload;
  *payload.mutable_enterprise() = e;
  return events::MakeEvent({.service = "registry",
                            .type = "jalin.registry.enterprise.created",
                            .subject = e.name()},
                           payload, now);
}

class VerificationQueueCostTest : public QueryCostsTest {
 protected:
  // Applies the creation of records [from, to) in one transaction.
  void Import(int from, int to) {
    Seed([&](storage::Transaction& tx) -> absl::Status {
      for (int i = from; i < to; ++i) {
        absl::Status s = queue_->Apply(Created(ImportedRecord(i), kStart), tx);
        if (!s.ok()) return s;
      }
      return absl::OkStatus();
    });
  }

  // The cost of one more record in full `village`: it shares the NIB of
  // the village's 13th and 20th records and nearly repeats the name of its
  // 6th, so that it opens all three kinds of task and re-checks the
  // village's open duplicate tasks. `report` gets each statement's cost.
  StatementCosts::Cost CostOfOneMore(int village, std::string* report) {
    Enterprise e = ImportedRecord(village * kPerVillage + 19);
    e.set_name(absl::StrFormat("enterprises/new%04d", village));
    e.set_display_name(absl::StrCat(NameOf(5), "s"));
    costs_->Reset();
    absl::Status s = db_->Write([&](storage::Transaction& tx) {
      return queue_->Apply(Created(e, kStart), tx);
    });
    EXPECT_TRUE(s.ok()) << s;
    const StatementCosts::Cost cost = costs_->Of("");
    *report = costs_->Report();
    // It opened a task of each kind.
    int64_t opened = -1;
    s = db_->Read([&](storage::Transaction& tx) -> absl::Status {
      auto n = storage::QueryInt(
          tx, "SELECT COUNT(*) FROM curation_tasks WHERE record = ?",
          {storage::Param(e.name())});
      if (!n.ok()) return n.status();
      opened = *n;
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    EXPECT_EQ(opened, 3) << e.name();
    return cost;
  }

  int64_t OpenTasks(VerificationTask::Reason reason) {
    int64_t n = -1;
    absl::Status s = db_->Read([&](storage::Transaction& tx) -> absl::Status {
      auto count = store::CountTasks(
          tx, {.state = VerificationTask::OPEN, .reason = reason});
      if (!count.ok()) return count.status();
      n = *count;
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return n;
  }
};

// One more "enterprise.created" event costs about 3,800 steps, every
// statement counted, with 500 records stored as with 5,000: it reads the
// record's NIB group and village and their tasks by record. It must stay
// under 12,000 and cost less than twice at 5,000 what it did at 500. Plans
// that read the open tasks (most of the tasks after an import) grow with
// the records: looking up a record's open tasks without "+state" takes
// 36,000 steps at 500 and 327,000 at 5,000; finding the records near it
// from the open tasks by state, 8,800 and 60,000; finding the tasks that
// name it with LIKE over the open tasks, 9,200 and 59,000. Re-checking
// every record of its village that has any open task (an INCOMPLETE one
// depends on its record alone) takes 34,000 at both.
TEST_F(VerificationQueueCostTest, OneMoreEventCostsTheSameAtAnySize) {
  Import(0, 500);
  std::string small_report;
  const StatementCosts::Cost small = CostOfOneMore(3, &small_report);
  Import(500, 5000);
  // The import and the first new record opened what the test means them
  // to.
  ASSERT_EQ(OpenTasks(VerificationTask::INCOMPLETE), 5001);
  ASSERT_EQ(OpenTasks(VerificationTask::DUPLICATE_NIB), 2 * 125 + 1);
  ASSERT_EQ(OpenTasks(VerificationTask::NEAR_DUPLICATE_NAME), 125 + 1);
  std::string large_report;
  const StatementCosts::Cost large = CostOfOneMore(7, &large_report);
  const std::string both = absl::StrCat("at 500 records:\n", small_report,
                                        "at 5,000 records:\n", large_report);
  EXPECT_EQ(large.fullscan_steps, 0) << both;
  EXPECT_LT(large.vm_steps, 2 * small.vm_steps) << both;
  EXPECT_LT(large.vm_steps, 12000) << both;
}

}  // namespace
}  // namespace jalin::curation::testing
