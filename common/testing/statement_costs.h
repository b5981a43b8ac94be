// The work SQLite does for the statements a test runs, in virtual machine
// steps, full-scan steps and pages visited. They depend only on the data
// and the query plan, never on the machine's speed, so a test can bound how a
// query's cost grows (a plan that reads a whole table where an index would read
// one region's rows) without timing anything.
//
// Counts the statements of every connection opened while an instance is
// alive, whatever store or thread runs them (an auto extension traces each
// new connection); connections opened before it are not seen, so create it
// before opening the store.

#ifndef COMMON_TESTING_STATEMENT_COSTS_H_
#define COMMON_TESTING_STATEMENT_COSTS_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace jalin::testing {

// Thread-safe. At most one instance at a time.
class StatementCosts {
 public:
  struct Cost {
    // Times the statements ran to completion (or were reset).
    int64_t runs = 0;
    // Virtual machine steps: the statements' work.
    int64_t vm_steps = 0;
    // Steps forward in a full scan of a table or an index.
    int64_t fullscan_steps = 0;
    // Pages asked of the page cache (found there or read): the B-tree
    // pages the statements visited, which steps do not show (reading a
    // row's columns from its table costs a page or more, from a covering
    // index nothing).
    int64_t pages = 0;
  };

  StatementCosts();
  ~StatementCosts();
  StatementCosts(const StatementCosts&) = delete;
  StatementCosts& operator=(const StatementCosts&) = delete;

  // Forgets what was counted so far.
  void Reset();
  // The sum over the statements whose text contains `fragment` (all of
  // them for "").
  Cost Of(absl::string_view fragment = "") const;
  // Each statement counted with its cost, one per line, for a failure
  // message.
  std::string Report() const;

  // For the trace callback.
  void Add(absl::string_view sql, const Cost& cost);

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, Cost, std::less<>> by_sql_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jalin::testing

#endif  // COMMON_TESTING_STATEMENT_COSTS_H_
