// Scenario "curation-decide": deciding a curation campaign of 100,000
// submissions (x scale) with three reviews each, five weighted criteria.
//
// Measured, on one SQLite store, through the service's own code
// (services/curation):
//   - assignment: closing the campaign gives every submission three
//     reviewers from a pool of 100, never from its own region or cluster,
//     balanced (planning plus writing 300,000 assignment rows, committed);
//   - decision: aggregating each criterion, weighting, ranking with the
//     documented tie-break, quota and threshold, grades, reasons in two
//     languages, and writing every decision (committed).
// Baselines, same run, same data:
//   - assignment: one INSERT ... SELECT writing the same number of rows,
//     round-robin, with no conflict or balance rules;
//   - decision: the same aggregation (mean per criterion, weighted to
//     0-100, ordered by score) as one SQL query, results read out, no
//     writes. Its scores are compared with the service's: they must agree.
//
// Goal: the full decision costs at most four times the bare SQL
// aggregation, i.e. ratio = baseline / decide >= 0.25. The decision does
// all the aggregation does, plus ranking and durable writes of every
// decision, which on SQLite cost about as much as the reading; four times
// leaves room for a noisy shared machine.

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/events/event_consumer.h"
#include "common/events/outbox.h"
#include "common/proto_time.h"
#include "common/status/status_macros.h"
#include "common/storage/request_log.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/temp_dir.h"
#include "services/curation/campaign_store.h"
#include "services/curation/curation_schema.h"
#include "services/curation/decision_runner.h"
#include "services/curation/panel_assigner.h"
#include "services/curation/panel_store.h"
#include "services/curation/submission_store.h"
#include "tools/bench/bench.h"

namespace jalin::bench {
namespace {

using ::jalin::curation::v1::Assignment;
using ::jalin::curation::v1::Campaign;
using ::jalin::curation::v1::Submission;
using storage::Param;

constexpr int kReviewers = 100;
constexpr int kPerSubmission = 3;
constexpr char kCampaign[] = "bench";

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

Campaign MakeCampaign(int n) {
  Campaign c;
  c.set_name(absl::StrCat("campaigns/", kCampaign));
  c.set_display_name("Kurasi Produk Unggulan (bench)");
  c.set_region("regions/33");
  c.set_quota(n * 3 / 4);
  c.set_pass_threshold(50);
  c.set_reviewers_per_submission(kPerSubmission);
  const char* ids[] = {"quality", "packaging", "legality", "market", "digital"};
  const double weights[] = {30, 20, 20, 15, 15};
  for (int i = 0; i < 5; ++i) {
    auto* cr = c.add_criteria();
    cr->set_id(ids[i]);
    cr->set_label_id(ids[i]);
    cr->set_label_en(ids[i]);
    cr->set_weight(weights[i]);
    cr->set_min_score(1);
    cr->set_max_score(5);
  }
  for (auto [g, m] :
       {std::pair<const char*, double>{"A", 85}, {"B", 70}, {"C", 50}}) {
    auto* b = c.add_grade_bands();
    b->set_grade(g);
    b->set_min_score(m);
  }
  c.set_state(Campaign::OPEN);
  c.set_validity_days(365);
  return c;
}

absl::Status Populate(storage::Database& db, const Campaign& c, int n,
                      absl::Time now) {
  return db.Write([&](storage::Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(curation::store::InsertCampaign(tx, c));
    for (int r = 0; r < kReviewers; ++r) {
      curation::v1::Reviewer rv;
      rv.set_subject(absl::StrCat("users/kurator-", r));
      rv.add_regions(absl::StrFormat("regions/33.%02d", 1 + r % 35));
      rv.add_clusters(absl::StrCat("clusters/k", r % 11));
      const std::string id = absl::StrFormat("r%03d", r);
      rv.set_name(curation::store::ReviewerName(kCampaign, id));
      RETURN_IF_ERROR(curation::store::InsertReviewer(tx, kCampaign, id, rv));
    }
    for (int i = 0; i < n; ++i) {
      Submission s;
      s.set_name(curation::store::SubmissionName(kCampaign,
                                                 absl::StrFormat("s%07d", i)));
      s.set_enterprise(absl::StrFormat("enterprises/umkm-%07d", i));
      s.set_region(absl::StrFormat("regions/33.%02d", 1 + i % 35));
      s.add_clusters(absl::StrCat("clusters/k", i % 11));
      s.set_product_name("Keripik Tempe");
      s.set_state(Submission::SUBMITTED);
      ToProtoTime(now, s.mutable_create_time());
      ToProtoTime(now, s.mutable_update_time());
      RETURN_IF_ERROR(curation::store::InsertSubmission(tx, s));
    }
    return absl::OkStatus();
  });
}

// Every assigned reviewer scores (deterministic pseudo-random 1-5).
absl::Status ReviewEverything(storage::Database& db, absl::Time now) {
  return db.Write([&](storage::Transaction& tx) -> absl::Status {
    std::mt19937 rng(2026);
    std::vector<std::pair<std::string, std::string>> pairs;
    RETURN_IF_ERROR(curation::store::ForEachAssignment(
        tx, kCampaign, [&](const curation::store::AssignmentRow& a) {
          pairs.emplace_back(a.submission_id, a.reviewer_id);
          return absl::OkStatus();
        }));
    for (const auto& [s, r] : pairs) {
      curation::v1::Review review;
      for (const char* c :
           {"quality", "packaging", "legality", "market", "digital"}) {
        (*review.mutable_scores())[c] = 1 + static_cast<int>(rng() % 5);
      }
      review.set_comment("Cukup baik.");
      ToProtoTime(now, review.mutable_update_time());
      RETURN_IF_ERROR(
          curation::store::UpsertReview(tx, kCampaign, s, r, review));
    }
    RETURN_IF_ERROR(tx.Exec(
        "UPDATE curation_assignments SET state = ? WHERE campaign_id = ?",
        {Param(static_cast<int>(Assignment::REVIEWED)), Param(kCampaign)}));
    return tx.Exec(
        "UPDATE curation_submissions SET state = ? WHERE campaign_id = ?",
        {Param(static_cast<int>(Submission::REVIEWED)), Param(kCampaign)});
  });
}

constexpr char kBaselineQuery[] = R"sql(
SELECT a.submission_id,
       SUM(c.weight * (a.mean - c.min_score) / (c.max_score - c.min_score))
         AS score
FROM (SELECT submission_id, criterion, AVG(score) AS mean
      FROM curation_review_scores
      WHERE campaign_id = ? AND review_round = 0
      GROUP BY submission_id, criterion) a
JOIN curation_criteria c
  ON c.campaign_id = ? AND c.criterion = a.criterion
GROUP BY a.submission_id
ORDER BY score DESC, a.submission_id
)sql";

absl::StatusOr<absl::Duration> Baseline(
    storage::Database& db, absl::flat_hash_map<std::string, double>* scores) {
  const absl::Time t0 = absl::Now();
  RETURN_IF_ERROR(db.Read([&](storage::Transaction& tx) {
    return tx.Query(kBaselineQuery, {Param(kCampaign), Param(kCampaign)},
                    [&](const storage::Row& row) {
                      (*scores)[std::string(row.Text(0))] = row.Double(1);
                      return absl::OkStatus();
                    });
  }));
  return absl::Now() - t0;
}

// The scratch table of the assignment baseline has the assignment table's
// shape and indexes.
constexpr char kScratch[] = R"sql(
CREATE TABLE bench_assignments (
  campaign_id TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  reviewer_id TEXT NOT NULL,
  review_round INTEGER NOT NULL,
  state INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, submission_id, reviewer_id)
);
CREATE INDEX bench_assignments_reviewer
  ON bench_assignments (campaign_id, reviewer_id, submission_id);
)sql";

// Reviewer ids are "r000".."r099" (Populate).
constexpr char kRoundRobin[] = R"sql(
INSERT INTO bench_assignments
SELECT ?, s.id, printf('r%03d', (s.n * 3 + k.k) % ?), 0, 1, 0
FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS n
      FROM curation_submissions WHERE campaign_id = ?) s,
     (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2) k
)sql";

}  // namespace

int CurationDecideScenario(const Args& args);

JALIN_BENCH_SCENARIO(curation_decide_scenario, "curation-decide",
                     "assign and decide a campaign of 100,000 submissions x "
                     "3 reviews vs the same writes / aggregation as one SQL "
                     "statement",
                     CurationDecideScenario);

int CurationDecideScenario(const Args& args) {
  const int n = std::max(1000, static_cast<int>(100'000 * args.scale));
  testing::TempDir dir;
  auto opened =
      storage::SqliteDatabase::Open({.path = dir.File("curation.db")});
  if (!opened.ok()) return Fail("store", opened.status());
  storage::SqliteDatabase& db = **opened;
  for (absl::Status s :
       {events::Outbox::Migrate(db), events::EventConsumer::Migrate(db),
        storage::RequestLog::Migrate(db),
        curation::MigrateCurationSchema(db)}) {
    if (!s.ok()) return Fail("migrate", s);
  }
  const absl::Time now = absl::Now();
  Campaign c = MakeCampaign(n);
  if (absl::Status s = Populate(db, c, n, now); !s.ok()) {
    return Fail("populate", s);
  }
  Print("submissions", n, "submissions");
  Print("reviewers", kReviewers, "reviewers");

  // Assignment baseline: the same number of rows, round-robin, one
  // statement, committed.
  absl::Status scratch =
      db.Write([&](storage::Transaction& tx) { return tx.Exec(kScratch); });
  if (!scratch.ok()) return Fail("scratch table", scratch);
  absl::Time t0 = absl::Now();
  absl::Status rr = db.Write([&](storage::Transaction& tx) {
    return tx.Exec(kRoundRobin,
                   {Param(kCampaign), Param(kReviewers), Param(kCampaign)});
  });
  const absl::Duration assign_baseline = absl::Now() - t0;
  if (!rr.ok()) return Fail("assignment baseline", rr);

  // Assignment by the service's code: close the campaign.
  curation::AssignmentSummary summary;
  t0 = absl::Now();
  absl::Status assigned =
      db.Write([&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(summary, curation::AssignReviewers(tx, c, true, now));
        c.set_state(Campaign::CLOSED);
        return curation::store::UpdateCampaign(tx, c);
      });
  const absl::Duration assign_time = absl::Now() - t0;
  if (!assigned.ok()) return Fail("assignment", assigned);
  Print("assignments", summary.added, "assignments");
  Print("assignment_spread", summary.spread, "reviews");
  Print("assignment_baseline_round_robin_sql", Ms(assign_baseline), "ms");
  Print("assignment_time", Ms(assign_time), "ms");
  Print("assignment_ratio", Ms(assign_baseline) / Ms(assign_time), "x");

  if (absl::Status s = ReviewEverything(db, now); !s.ok()) {
    return Fail("reviews", s);
  }
  Print("reviews", n * kPerSubmission, "reviews");

  // Decision baseline: best of three runs of the SQL aggregation (the
  // first also warms the page cache for both).
  absl::flat_hash_map<std::string, double> baseline_scores;
  absl::Duration baseline = absl::InfiniteDuration();
  for (int i = 0; i < 3; ++i) {
    baseline_scores.clear();
    absl::StatusOr<absl::Duration> d = Baseline(db, &baseline_scores);
    if (!d.ok()) return Fail("baseline", d.status());
    baseline = std::min(baseline, *d);
  }

  int decided = 0;
  t0 = absl::Now();
  absl::Status decide = db.Write([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(decided, curation::DecideSubmissions(tx, c, now));
    c.set_state(Campaign::DECIDED);
    return curation::store::UpdateCampaign(tx, c);
  });
  const absl::Duration decide_time = absl::Now() - t0;
  if (!decide.ok()) return Fail("decide", decide);

  // The two must agree on every score.
  int disagreements = 0, passed = 0;
  absl::Status check = db.Read([&](storage::Transaction& tx) {
    return curation::store::ForEachDecision(
        tx, kCampaign,
        [&](const curation::store::SubmissionBrief& b,
            const curation::v1::Decision& d) {
          auto it = baseline_scores.find(b.id);
          if (it == baseline_scores.end() ||
              std::fabs(it->second - d.score()) > 1e-6) {
            ++disagreements;
          }
          passed += d.result() == curation::v1::Decision::PASSED;
          return absl::OkStatus();
        });
  });
  if (!check.ok()) return Fail("check", check);
  if (disagreements > 0 || decided != n) {
    std::fprintf(stderr,
                 "curation-decide: %d scores disagree with the baseline, %d "
                 "of %d decided\n",
                 disagreements, decided, n);
    return 2;
  }
  Print("decided", decided, "submissions");
  Print("passed", passed, "submissions");
  Print("baseline_sql_aggregation", Ms(baseline), "ms");
  Print("decide_time", Ms(decide_time), "ms");
  Print("peak_rss", static_cast<double>(PeakRssBytes()) / (1 << 20), "MiB");
  return PrintRatio(Ms(baseline) / Ms(decide_time), 0.25);
}

}  // namespace jalin::bench
