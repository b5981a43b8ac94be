// Scenario "curation-verification": the verification queue following the
// registry's event stream while 20,000 enterprises (x scale) are created,
// as after a bulk import.
//
// Measured, on one SQLite store, through the service's own code
// (services/curation/verification_queue.h): every
// "jalin.registry.enterprise.created" event goes through
// VerificationQueue::Apply in transactions of 100 events, as the consumer
// batches them: the record is upserted, its NIB, near-duplicate-name and
// completeness checks run, and tasks are opened (with their events in the
// outbox). Every record lacks a scale and categories, so each gets an open
// INCOMPLETE task, as in the demo import; one in twenty shares a NIB with
// an earlier record; villages of 40 records fill one after another (500 at
// scale 1), and one in a hundred records nearly repeats the name of a
// record of its village. The figure is the apply time per event (commits
// included) over the first and the last 10% of the events.
// Baseline, same run, same events, into a fresh store: each event's record
// read out of the event and upserted into the same records table with one
// INSERT ... ON CONFLICT DO UPDATE (store::UpsertRecord), no checks, same
// transactions; its first and last windows are printed alike.
//
// Goal: the cost per event does not grow with the queue more than a plain
// upsert's does as its tables grow: growth (last window / first) at most
// twice the baseline's, i.e. ratio = 2 * baseline growth / growth >= 1.
// Checking a record reads its village and the records sharing its NIB,
// which stay as large all along here, and nothing that grows with the
// queue. Until the
// queue looked up a record's open tasks by the record (not by state), each
// event read every open task, and following an import of 6,159 incomplete
// records left curation 20 s behind: per-event cost growing with the open
// tasks is what this catches. Applying stops once it has taken 30 s x scale
// (a queue that meets the goal needs a few): events_applied says how far it
// got, and the windows are the first and last tenth of the events applied
// (a cost per event that grows with the events grows as much within any
// prefix of them).

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/clock.h"
#include "common/events/event_builder.h"
#include "common/events/event_consumer.h"
#include "common/events/outbox.h"
#include "common/status/status_macros.h"
#include "common/storage/request_log.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/temp_dir.h"
#include "jalin/events/v1/registry_events.pb.h"
#include "services/curation/curation_deps.h"
#include "services/curation/curation_schema.h"
#include "services/curation/record_checks.h"
#include "services/curation/verification_queue.h"
#include "services/curation/verification_store.h"
#include "tools/bench/bench.h"

namespace jalin::bench {
namespace {

using ::jalin::curation::v1::VerificationTask;
using ::jalin::events::v1::EnterpriseEvent;
using ::jalin::events::v1::Event;
using ::jalin::registry::v1::Enterprise;

// Events per consumer transaction.
constexpr int kBatch = 100;
// Records per village: villages fill one after another, so that a record's
// village holds as many records early in the run as late in it.
constexpr int kPerVillage = 40;

// Name words, far apart from each other in edit distance, so that two
// records of a village are near-duplicates only where the scenario makes
// them so.
constexpr const char* kTrades[] = {
    "batik",  "jamu", "keripik", "anyaman", "gerabah", "tenun",  "dodol",
    "sambal", "kopi", "madu",    "tempe",   "rotan",   "bordir", "wayang",
    "sepatu", "kue",  "mebel",   "perak",   "rendang", "emping"};
constexpr const char* kQualities[] = {
    "sejahtera", "makmur", "barokah", "abadi",  "gemilang",
    "jaya",      "mulia",  "sentosa", "lancar", "utama"};

// Enterprise i: it is the k-th of village i / kPerVillage.
Enterprise MakeRecord(int i) {
  const int village = i / kPerVillage;
  int k = i % kPerVillage;
  Enterprise e;
  e.set_name(absl::StrFormat("enterprises/bv%07d", i));
  // One in twenty shares the NIB of an earlier record.
  const int nib_of = i % 20 == 19 ? i - 7 : i;
  e.set_nib(absl::StrFormat("%013d", 3300000000000LL + nib_of));
  // About one in a hundred nearly repeats the name of the previous record of
  // its village (one letter more). Otherwise the two words of a name differ
  // from those of every other record of the village in at least one word,
  // and names are short, so that one word apart is not a near-duplicate.
  const bool near = i % 101 == 50 && k > 0;
  if (near) --k;
  const int nt = static_cast<int>(std::size(kTrades));
  const int nq = static_cast<int>(std::size(kQualities));
  std::string name = absl::StrCat("UD ", kTrades[k % nt], near ? "s " : " ",
                                  kQualities[(k + k / nt) % nq]);
  if (k >= nt * nq) absl::StrAppend(&name, " ", k / (nt * nq) + 1);
  e.set_display_name(name);
  // No scale and no categories: every record is incomplete.
  auto* loc = e.mutable_location();
  loc->set_region(absl::StrFormat("regions/33.%02d", 1 + village % 35));
  loc->set_district_code(
      absl::StrFormat("33.%02d.%02d", 1 + village % 35, 1 + village % 20));
  loc->set_village_code(
      absl::StrFormat("%s.%04d", loc->district_code(), 2000 + village));
  e.set_verification_state(jalin::registry::v1::UNVERIFIED);
  return e;
}

// Per-event apply time over the first and the last 10% of the events
// applied.
struct Windows {
  int applied = 0;
  double first_us = 0;
  double last_us = 0;
  absl::Duration total;
};

using ApplyFn =
    std::function<absl::Status(const Event&, storage::Transaction&)>;

// Applies `events` in transactions of kBatch, timing each transaction. Once
// `budget` is spent (after 20 transactions at least) it stops; the windows
// are then the first and the last tenth of the events applied.
absl::StatusOr<Windows> Feed(storage::Database& db,
                             const std::vector<Event>& events,
                             const ApplyFn& apply, absl::Duration budget) {
  const int batches = static_cast<int>(events.size()) / kBatch;
  std::vector<absl::Duration> times;
  Windows w;
  for (int b = 0; b < batches; ++b) {
    if (w.total > budget && b >= 20) break;
    const absl::Time t0 = absl::Now();
    RETURN_IF_ERROR(db.Write([&](storage::Transaction& tx) -> absl::Status {
      for (int i = b * kBatch; i < (b + 1) * kBatch; ++i) {
        RETURN_IF_ERROR(apply(events[i], tx));
      }
      return absl::OkStatus();
    }));
    times.push_back(absl::Now() - t0);
    w.total += times.back();
  }
  const int window = std::max<int>(1, times.size() / 10);
  absl::Duration first, last;
  for (int b = 0; b < window; ++b) {
    first += times[b];
    last += times[times.size() - 1 - b];
  }
  w.applied = static_cast<int>(times.size()) * kBatch;
  w.first_us = absl::ToDoubleMicroseconds(first) / (window * kBatch);
  w.last_us = absl::ToDoubleMicroseconds(last) / (window * kBatch);
  return w;
}

// A store migrated as the curation service migrates its own.
absl::StatusOr<std::unique_ptr<storage::SqliteDatabase>> OpenStore(
    const testing::TempDir& dir, const std::string& file) {
  ASSIGN_OR_RETURN(auto db,
                   storage::SqliteDatabase::Open({.path = dir.File(file)}));
  RETURN_IF_ERROR(events::Outbox::Migrate(*db));
  RETURN_IF_ERROR(events::EventConsumer::Migrate(*db));
  RETURN_IF_ERROR(storage::RequestLog::Migrate(*db));
  RETURN_IF_ERROR(curation::MigrateCurationSchema(*db));
  return db;
}

// The baseline's work per event: the record out of the event, one upsert.
absl::Status UpsertOnly(const Event& event, storage::Transaction& tx) {
  EnterpriseEvent payload;
  if (!event.data().UnpackTo(&payload)) {
    return absl::InvalidArgumentError("unreadable event");
  }
  const Enterprise& e = payload.enterprise();
  curation::store::RecordFacts f;
  f.record = e.name();
  f.nib = e.nib();
  f.name_key = curation::NameKey(e.display_name());
  f.village_code = e.location().village_code();
  f.region = e.location().region();
  f.active = true;
  f.enterprise = e;
  return curation::store::UpsertRecord(tx, f);
}

absl::StatusOr<int64_t> OpenTasks(storage::Database& db,
                                  VerificationTask::Reason reason) {
  int64_t n = 0;
  RETURN_IF_ERROR(db.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(
        n, curation::store::CountTasks(
               tx, {.state = VerificationTask::OPEN, .reason = reason}));
    return absl::OkStatus();
  }));
  return n;
}

}  // namespace

int CurationVerificationScenario(const Args& args);

JALIN_BENCH_SCENARIO(curation_verification_scenario, "curation-verification",
                     "20,000 enterprise.created events through the "
                     "verification queue, per-event cost of the first vs the "
                     "last 10%, vs plain record upserts",
                     CurationVerificationScenario);

int CurationVerificationScenario(const Args& args) {
  const int n =
      std::max(10, static_cast<int>(20'000 * args.scale) / kBatch) * kBatch;
  const absl::Time now = absl::Now();
  std::vector<Event> events;
  events.reserve(n);
  for (int i = 0; i < n; ++i) {
    EnterpriseEvent payload;
    *payload.mutable_enterprise() = MakeRecord(i);
    events.push_back(
        events::MakeEvent({.service = "registry",
                           .type = "jalin.registry.enterprise.created",
                           .subject = payload.enterprise().name()},
                          payload, now));
  }
  testing::TempDir dir;

  // Baseline: plain upserts into a fresh store.
  auto base_db = OpenStore(dir, "baseline.db");
  if (!base_db.ok()) return Fail("baseline store", base_db.status());
  absl::StatusOr<Windows> base =
      Feed(**base_db, events, UpsertOnly, absl::InfiniteDuration());
  if (!base.ok()) return Fail("baseline", base.status());

  // The queue as the service builds it (curation_module.cc); Apply uses the
  // store, the outbox writer and the clock.
  auto db = OpenStore(dir, "curation.db");
  if (!db.ok()) return Fail("store", db.status());
  events::Outbox outbox;
  curation::CurationDeps deps;
  deps.db = db->get();
  deps.events = curation::EventWriter(&outbox);
  deps.clock = SystemClock::Get();
  curation::VerificationQueue queue(&deps);
  // A healthy queue applies the events in a few seconds; one that takes
  // longer than the budget has failed already, and is stopped.
  const absl::Duration budget = absl::Seconds(30 * args.scale);
  absl::StatusOr<Windows> applied = Feed(
      **db, events,
      [&](const Event& e, storage::Transaction& tx) {
        return queue.Apply(e, tx);
      },
      budget);
  if (!applied.ok()) return Fail("apply", applied.status());

  Print("events", n, "events");
  if (applied->applied < n) {
    std::fprintf(stderr,
                 "curation-verification: stopped after the %s budget; the "
                 "windows are the first and last tenth of the events applied\n",
                 absl::FormatDuration(budget).c_str());
  }
  Print("events_applied", applied->applied, "events");
  Print("baseline_upsert_first_window", base->first_us, "us/event");
  Print("baseline_upsert_last_window", base->last_us, "us/event");
  Print("baseline_upsert_total", absl::ToDoubleMilliseconds(base->total), "ms");
  Print("apply_first_window", applied->first_us, "us/event");
  Print("apply_last_window", applied->last_us, "us/event");
  Print("apply_total", absl::ToDoubleMilliseconds(applied->total), "ms");
  const double base_growth = base->last_us / base->first_us;
  const double growth = applied->last_us / applied->first_us;
  Print("baseline_growth", base_growth, "x");
  Print("growth", growth, "x");
  for (auto [label, reason] :
       {std::pair<const char*, VerificationTask::Reason>{
            "open_tasks", VerificationTask::REASON_UNSPECIFIED},
        {"open_incomplete", VerificationTask::INCOMPLETE},
        {"open_duplicate_nib", VerificationTask::DUPLICATE_NIB},
        {"open_near_duplicate_name", VerificationTask::NEAR_DUPLICATE_NAME}}) {
    absl::StatusOr<int64_t> open = OpenTasks(**db, reason);
    if (!open.ok()) return Fail("count", open.status());
    Print(label, static_cast<double>(*open), "tasks");
  }
  return PrintRatio(2 * base_growth / growth, 1.0);
}

}  // namespace jalin::bench
