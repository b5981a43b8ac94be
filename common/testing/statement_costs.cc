#include "common/testing/statement_costs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/storage/sqlite_setup.h"

namespace jalin::testing {
namespace {

// The instance counting now, if any.
std::atomic<StatementCosts*> active{nullptr};

// The pages a connection asked of its page cache since the last call
// (cleared on reading).
int64_t PagesSinceLastCall(sqlite3* db) {
  int64_t pages = 0;
  for (const int op : {SQLITE_DBSTATUS_CACHE_HIT, SQLITE_DBSTATUS_CACHE_MISS}) {
    int current = 0;
    int highwater = 0;
    sqlite3_db_status(db, op, &current, &highwater, 1);
    pages += current;
  }
  return pages;
}

// Called by SQLite when a statement finishes; reads and clears the
// statement's counters, so that each run is counted once. A connection is
// used by one thread at a time and runs one statement at a time here, so
// the pages it asked for since the previous statement finished are this
// statement's.
int OnProfile(unsigned type, void* /*context*/, void* p, void* /*x*/) {
  if (type != SQLITE_TRACE_PROFILE) return 0;
  auto* stmt = static_cast<sqlite3_stmt*>(p);
  StatementCosts::Cost cost;
  cost.runs = 1;
  cost.vm_steps = sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 1);
  cost.fullscan_steps =
      sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
  cost.pages = PagesSinceLastCall(sqlite3_db_handle(stmt));
  StatementCosts* costs = active.load();
  const char* sql = sqlite3_sql(stmt);
  if (costs != nullptr && sql != nullptr) costs->Add(sql, cost);
  return 0;
}

// Installed on every connection opened after registration.
int TraceConnection(sqlite3* db, const char** /*error*/,
                    const struct sqlite3_api_routines* /*api*/) {
  sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, &OnProfile, nullptr);
  return SQLITE_OK;
}

void RegisterOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Registering initialises SQLite, after which the process-wide
    // settings the stores rely on could no longer be applied.
    storage::ConfigureSqlite();
    sqlite3_auto_extension(reinterpret_cast<void (*)(void)>(&TraceConnection));
  });
}

}  // namespace

StatementCosts::StatementCosts() {
  RegisterOnce();
  StatementCosts* expected = nullptr;
  if (!active.compare_exchange_strong(expected, this)) {
    // Two at once would split the counts between them unpredictably.
    std::abort();
  }
}

StatementCosts::~StatementCosts() { active.store(nullptr); }

void StatementCosts::Add(absl::string_view sql, const Cost& cost) {
  absl::MutexLock lock(&mu_);
  auto it = by_sql_.find(sql);
  if (it == by_sql_.end()) it = by_sql_.emplace(std::string(sql), Cost{}).first;
  it->second.runs += cost.runs;
  it->second.vm_steps += cost.vm_steps;
  it->second.fullscan_steps += cost.fullscan_steps;
  it->second.pages += cost.pages;
}

void StatementCosts::Reset() {
  absl::MutexLock lock(&mu_);
  by_sql_.clear();
}

StatementCosts::Cost StatementCosts::Of(absl::string_view fragment) const {
  absl::MutexLock lock(&mu_);
  Cost sum;
  for (const auto& [sql, cost] : by_sql_) {
    if (!absl::StrContains(sql, fragment)) continue;
    sum.runs += cost.runs;
    sum.vm_steps += cost.vm_steps;
    sum.fullscan_steps += cost.fullscan_steps;
    sum.pages += cost.pages;
  }
  return sum;
}

std::string StatementCosts::Report() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  for (const auto& [sql, cost] : by_sql_) {
    absl::StrAppend(&out, cost.runs, " runs, ", cost.vm_steps, " steps, ",
                    cost.fullscan_steps, " in full scans, ", cost.pages,
                    " pages: ", sql, "\n");
  }
  return out;
}

}  // namespace jalin::testing
