// Steering SQLite's choice of index from a query's text.
//
// The stores run without planner statistics (no ANALYZE), so plans stay the
// same whatever the data; but then SQLite may serve a query from any index
// one of its terms offers, including one that reads far more rows than
// another term's would (every task in a state, a whole region, the table
// in id order to skip a sort). Writing a column as "+column" keeps that
// term out of the choice: it is checked on the rows the chosen index gives.
// The store tests under tests/services/*/ bound what such queries read
// (common/testing/statement_costs.h).

#ifndef COMMON_STORAGE_INDEX_HINT_H_
#define COMMON_STORAGE_INDEX_HINT_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace jalin::storage {

// `column`, or "+column" when its indexes must not serve the query.
inline std::string Column(absl::string_view column, bool indexed) {
  return absl::StrCat(indexed ? "" : "+", column);
}

}  // namespace jalin::storage

#endif  // COMMON_STORAGE_INDEX_HINT_H_
