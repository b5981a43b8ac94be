// The scenario against the real binary: 800 applicants, three
// reviewers each from a pool of 24, quota 600, a threshold below most
// scores. Exactly 600 pass, in the order the documented tie-break gives;
// no reviewer reviews a submission from their own region or cluster; loads
// differ by at most one. Then the service is killed -9 while the outbox
// relay publishes the 800 decided events, and restarted: every applicant
// gets exactly one decided event (one distinct event id) on the stream. A
// second campaign with the same applicants arriving in reverse order, and
// reviews in another order, ranks them identically.

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/curation_events.pb.h"
#include "services/curation/decision_engine.h"
#include "tests/services/curation/service_fixture.h"
#include "tests/services/curation/test_campaigns.h"

namespace jalin::curation::testing {
namespace {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::Decision;
using ::jalin::curation::v1::Reviewer;
using ::jalin::curation::v1::Submission;

constexpr int kApplicants = 800;
constexpr int kReviewers = 24;
constexpr int kQuota = 600;
constexpr double kThreshold = 45;
const std::vector<std::string> kCriteria = {"quality", "packaging", "legality",
                                            "market", "digital"};
const std::vector<double> kWeights = {30, 20, 20, 15, 15};

std::string EnterpriseName(int i) {
  return absl::StrFormat("enterprises/umkm-%03d", i);
}
std::string RegionOf(int i) {
  return absl::StrFormat("regions/33.%02d", 1 + i % 10);
}
std::string ClusterOf(int i) { return absl::StrCat("clusters/k", i % 8); }

// The mean score each applicant gets per criterion (2..5): few distinct
// vectors, so that many totals tie, some exactly at the quota's edge.
std::vector<int> MeanScores(int i) {
  static const int kDiv[] = {1, 3, 7, 13, 29};
  static const int kMul[] = {3, 2, 1, 3, 1};
  std::vector<int> v;
  for (int c = 0; c < 5; ++c) v.push_back(2 + ((i / kDiv[c]) * kMul[c]) % 4);
  return v;
}

// What reviewer slot `slot` (0, 1, 2) of an applicant scores: the mean, one
// criterion moved up, kept, or moved down, so the mean stays exact.
std::vector<int> ReviewerScores(int i, int slot) {
  std::vector<int> v = MeanScores(i);
  const int c = i % 5;
  if (v[c] >= 2 && v[c] <= 4) v[c] += 1 - slot;
  return v;
}

struct Expected {
  Decision::Result result;
  int rank;
};

// The documented ranking, computed independently of the service: total at
// six decimals, then criteria by descending weight (quality; packaging and
// legality in rubric order; market; digital), then the enterprise name.
std::map<std::string, Expected> Oracle() {
  struct Row {
    int64_t key;
    std::vector<int64_t> ties;
    std::string name;
  };
  std::vector<Row> rows;
  for (int i = 0; i < kApplicants; ++i) {
    std::vector<int> v = MeanScores(i);
    double total = 0;
    Row r;
    for (int c = 0; c < 5; ++c) {
      const double part = kWeights[c] * (v[c] - 1) / 4.0;
      total += part;
      r.ties.push_back(ScoreKey(part));
    }
    r.key = ScoreKey(total);
    r.name = EnterpriseName(i);
    rows.push_back(r);
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.key != b.key) return a.key > b.key;
    if (a.ties != b.ties) return a.ties > b.ties;
    return a.name < b.name;
  });
  std::map<std::string, Expected> out;
  int passed = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    Decision::Result r = Decision::FAILED;
    if (rows[i].key >= ScoreKey(kThreshold)) {
      r = passed < kQuota ? Decision::PASSED : Decision::WAITLISTED;
      passed += r == Decision::PASSED;
    }
    out[rows[i].name] = {r, static_cast<int>(i) + 1};
  }
  return out;
}

// Runs fn(i) for i in [0, n) on `threads` threads.
void ParallelFor(int n, int threads, const std::function<void(int)>& fn) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < n; i = next++) fn(i);
    });
  }
  for (auto& t : pool) t.join();
}

class CurationScaleTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    for (int i = 0; i < kApplicants; ++i) {
      registry_->Put(MakeEnterprise(EnterpriseName(i).substr(12), RegionOf(i),
                                    {ClusterOf(i)}));
    }
  }

  // Creates and opens a campaign with a pool of 24 reviewers: reviewer k
  // belongs to region 33.(k % 10 + 1) and cluster k % 8.
  Campaign StartCampaign(const std::string& id) {
    v1::CreateCampaignRequest create;
    const absl::Time now = absl::Now();
    *create.mutable_campaign() = StandardCampaign(
        now - absl::Minutes(5), now + absl::Hours(2), kQuota, kThreshold);
    create.set_campaign_id(id);
    Campaign c;
    grpc::Status s = Call(&Stub::CreateCampaign, create, &c, AdminToken());
    EXPECT_TRUE(s.ok()) << s.error_message();
    v1::CampaignActionRequest open;
    open.set_name(c.name());
    s = Call(&Stub::OpenCampaign, open, &c, AdminToken());
    EXPECT_TRUE(s.ok()) << s.error_message();
    for (int k = 0; k < kReviewers; ++k) {
      v1::AddReviewerRequest add;
      add.set_parent(c.name());
      add.mutable_reviewer()->set_subject(absl::StrCat("users/kurator-", k));
      add.mutable_reviewer()->add_regions(RegionOf(k));
      add.mutable_reviewer()->add_clusters(ClusterOf(k));
      Reviewer r;
      s = Call(&Stub::AddReviewer, add, &r, AdminToken());
      EXPECT_TRUE(s.ok()) << s.error_message();
      reviewers_[r.name()] = r;
    }
    return c;
  }

  // Every applicant applies (as its member), in `order`.
  void ApplyAll(const Campaign& c, const std::vector<int>& order) {
    std::atomic<int> failures{0};
    ParallelFor(kApplicants, 4, [&](int k) {
      const int i = order[k];
      v1::CreateSubmissionRequest req;
      req.set_parent(c.name());
      req.set_request_id(absl::StrCat("apply-", c.name(), "-", i));
      req.mutable_submission()->set_enterprise(EnterpriseName(i));
      req.mutable_submission()->set_product_name("Keripik Tempe Sagu");
      Submission s;
      if (!Call(&Stub::CreateSubmission, req, &s,
                MemberToken(EnterpriseName(i)))
               .ok()) {
        ++failures;
      }
    });
    ASSERT_EQ(failures.load(), 0);
  }

  std::vector<Assignment> ListAllAssignments(const Campaign& c) {
    std::vector<Assignment> out;
    v1::ListAssignmentsRequest req;
    req.set_parent(c.name());
    req.set_page_size(1000);
    while (true) {
      v1::ListAssignmentsResponse resp;
      grpc::Status s = Call(&Stub::ListAssignments, req, &resp, AdminToken());
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      out.insert(out.end(), resp.assignments().begin(),
                 resp.assignments().end());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return out;
  }

  std::map<std::string, Submission> ListAllSubmissions(const Campaign& c) {
    std::map<std::string, Submission> out;
    v1::ListSubmissionsRequest req;
    req.set_parent(c.name());
    req.set_page_size(1000);
    while (true) {
      v1::ListSubmissionsResponse resp;
      grpc::Status s = Call(&Stub::ListSubmissions, req, &resp, AdminToken());
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      for (const auto& sub : resp.submissions()) out[sub.name()] = sub;
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return out;
  }

  // Closes the campaign and checks the assignment: three reviewers each, no
  // conflict of interest, loads within one.
  void CloseAndCheckAssignment(const Campaign& c) {
    v1::CampaignActionRequest close;
    close.set_name(c.name());
    Campaign closed;
    grpc::Status s = Call(&Stub::CloseCampaign, close, &closed, AdminToken());
    ASSERT_TRUE(s.ok()) << s.error_message();
    submissions_ = ListAllSubmissions(c);
    ASSERT_EQ(submissions_.size(), static_cast<size_t>(kApplicants));
    assignments_ = ListAllAssignments(c);
    ASSERT_EQ(assignments_.size(), static_cast<size_t>(3 * kApplicants));
    std::map<std::string, std::set<std::string>> per_submission;
    for (const Assignment& a : assignments_) {
      const Submission& sub = submissions_.at(a.submission());
      const Reviewer& r = reviewers_.at(a.reviewer());
      EXPECT_NE(r.regions(0), sub.region()) << a.name();
      EXPECT_NE(r.clusters(0), sub.clusters(0)) << a.name();
      per_submission[a.submission()].insert(a.reviewer());
    }
    for (const auto& [name, rs] : per_submission) {
      EXPECT_EQ(rs.size(), 3u) << name;
    }
    v1::ListReviewersRequest lr;
    lr.set_parent(c.name());
    lr.set_page_size(100);
    v1::ListReviewersResponse pool;
    ASSERT_TRUE(Call(&Stub::ListReviewers, lr, &pool, AdminToken()).ok());
    ASSERT_EQ(pool.reviewers_size(), kReviewers);
    int mn = INT32_MAX, mx = 0;
    for (const Reviewer& r : pool.reviewers()) {
      mn = std::min(mn, r.open_assignments());
      mx = std::max(mx, r.open_assignments());
    }
    EXPECT_LE(mx - mn, 1) << "loads from " << mn << " to " << mx;
  }

  // Each assigned curator reviews; `slot_shift` changes which reviewer
  // gives which of the three score variants.
  void ReviewAll(int slot_shift) {
    std::map<std::string, int> index;
    for (int i = 0; i < kApplicants; ++i) index[EnterpriseName(i)] = i;
    std::map<std::string, int> slot;
    std::vector<std::pair<Assignment, int>> work;
    for (const Assignment& a : assignments_) {
      work.push_back({a, (slot[a.submission()]++ + slot_shift) % 3});
    }
    std::atomic<int> failures{0};
    ParallelFor(static_cast<int>(work.size()), 4, [&](int k) {
      const auto& [a, s] = work[k];
      const int i = index.at(submissions_.at(a.submission()).enterprise());
      v1::SubmitReviewRequest req;
      req.set_submission(a.submission());
      std::vector<int> scores = ReviewerScores(i, s);
      for (int c = 0; c < 5; ++c) {
        (*req.mutable_review()->mutable_scores())[kCriteria[c]] = scores[c];
      }
      v1::Review out;
      grpc::Status st =
          Call(&Stub::SubmitReview, req, &out,
               CuratorToken(reviewers_.at(a.reviewer()).subject()));
      if (!st.ok()) {
        ++failures;
        ADD_FAILURE() << st.error_message();
      }
    });
    ASSERT_EQ(failures.load(), 0);
  }

  // enterprise -> (result, rank) as decided by the service.
  std::map<std::string, Expected> Decide(const Campaign& c) {
    v1::CampaignActionRequest decide;
    decide.set_name(c.name());
    Campaign decided;
    grpc::Status s =
        Call(&Stub::DecideCampaign, decide, &decided, AdminToken());
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::map<std::string, Expected> out;
    for (const auto& [name, sub] : ListAllSubmissions(c)) {
      out[sub.enterprise()] = {sub.decision().result(), sub.decision().rank()};
    }
    return out;
  }

  std::map<std::string, Reviewer> reviewers_;
  std::map<std::string, Submission> submissions_;
  std::vector<Assignment> assignments_;
};

TEST_F(CurationScaleTest, SixHundredOfEightHundredPassEachToldOnceDespiteKill) {
  const std::map<std::string, Expected> oracle = Oracle();
  {
    // The scenario's premises: most reach the threshold, and the quota's
    // edge falls inside a tie, so the tie-break decides who passes.
    int above = 0;
    for (const auto& [name, e] : oracle) above += e.result != Decision::FAILED;
    ASSERT_GT(above, kQuota);
    ASSERT_LT(above, kApplicants);
    std::vector<int64_t> keys;
    for (int i = 0; i < kApplicants; ++i) {
      double total = 0;
      std::vector<int> v = MeanScores(i);
      for (int c = 0; c < 5; ++c) total += kWeights[c] * (v[c] - 1) / 4.0;
      keys.push_back(ScoreKey(total));
    }
    std::sort(keys.rbegin(), keys.rend());
    ASSERT_EQ(keys[kQuota - 1], keys[kQuota]) << "no tie at the quota's edge";
  }

  std::vector<int> order(kApplicants);
  for (int i = 0; i < kApplicants; ++i) order[i] = i;
  Campaign c = StartCampaign("kurasi-2026");
  ApplyAll(c, order);
  CloseAndCheckAssignment(c);
  ReviewAll(/*slot_shift=*/0);
  const std::map<std::string, Expected> first = Decide(c);
  ASSERT_EQ(first.size(), static_cast<size_t>(kApplicants));
  int passed = 0;
  for (const auto& [enterprise, got] : first) {
    passed += got.result == Decision::PASSED;
    EXPECT_EQ(got.result, oracle.at(enterprise).result) << enterprise;
    EXPECT_EQ(got.rank, oracle.at(enterprise).rank) << enterprise;
  }
  EXPECT_EQ(passed, kQuota);

  // Publish while Redis is away, so the 800 decided events wait in the
  // outbox; bring Redis back and kill the service as soon as the relay has
  // put the first of them on the stream.
  const std::string stream = "jalin.curation.events";
  const int64_t before = StreamLength(stream);
  ASSERT_GT(before, kApplicants);  // submission.received and the rest
  ASSERT_TRUE(suite_->redis().Stop().ok());
  v1::CampaignActionRequest publish;
  publish.set_name(c.name());
  publish.set_request_id("publish-kurasi-2026");
  Campaign published;
  ASSERT_TRUE(
      Call(&Stub::PublishCampaign, publish, &published, AdminToken()).ok());
  ASSERT_TRUE(suite_->redis().Restart().ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  int64_t at_kill = before;
  while (absl::Now() < deadline) {
    at_kill = StreamLength(stream);
    if (at_kill > before) break;
  }
  suite_->Kill("curation");
  ASSERT_GT(at_kill, before) << "the relay never published";
  std::cerr << "killed with " << (at_kill - before) << " of "
            << (kApplicants + 1) << " publication events on the stream\n";
  ASSERT_TRUE(suite_->Restart("curation").ok());
  Connect();
  // The client retries the publication; the request id makes it a replay.
  ASSERT_TRUE(
      Call(&Stub::PublishCampaign, publish, &published, AdminToken()).ok());
  EXPECT_EQ(published.state(), Campaign::PUBLISHED);

  std::map<std::string, std::set<std::string>> ids_per_applicant;
  int published_events = 0;
  const absl::Time wait_until = absl::Now() + absl::Seconds(60);
  while (absl::Now() < wait_until) {
    ids_per_applicant.clear();
    published_events = 0;
    for (const auto& e : StreamEvents(stream)) {
      if (e.type() == "jalin.curation.campaign.published") ++published_events;
      if (e.type() != "jalin.curation.submission.decided") continue;
      jalin::events::v1::SubmissionEvent payload;
      ASSERT_TRUE(e.data().UnpackTo(&payload));
      ASSERT_EQ(e.parties_size(), 1);
      ASSERT_EQ(e.parties(0), payload.submission().enterprise());
      ids_per_applicant[payload.submission().enterprise()].insert(e.id());
    }
    if (ids_per_applicant.size() == kApplicants && published_events > 0) break;
    // Wait for the stream to grow (or a short timeout) before looking again.
    redis_
        ->Command({"XREAD", "BLOCK", "200", "STREAMS", stream, "$"},
                  absl::Seconds(2))
        .IgnoreError();
  }
  ASSERT_EQ(ids_per_applicant.size(), static_cast<size_t>(kApplicants));
  for (const auto& [enterprise, ids] : ids_per_applicant) {
    EXPECT_EQ(ids.size(), 1u) << enterprise << " was told more than once";
  }

  // Another run: the same applicants apply in reverse order and reviewers
  // score in another order. The ranking is the same.
  std::reverse(order.begin(), order.end());
  reviewers_.clear();
  Campaign again = StartCampaign("kurasi-2026-ulang");
  ApplyAll(again, order);
  CloseAndCheckAssignment(again);
  ReviewAll(/*slot_shift=*/1);
  const std::map<std::string, Expected> second = Decide(again);
  ASSERT_EQ(second.size(), first.size());
  for (const auto& [enterprise, got] : first) {
    EXPECT_EQ(second.at(enterprise).result, got.result) << enterprise;
    EXPECT_EQ(second.at(enterprise).rank, got.rank) << enterprise;
  }
}

}  // namespace
}  // namespace jalin::curation::testing
