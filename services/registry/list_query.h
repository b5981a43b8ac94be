// A filtered, keyset-paged read of one record table: rows in id order
// after the last id of the previous page, so that pages stay correct while
// records are added or removed between calls (AIP-158).

#ifndef SERVICES_REGISTRY_LIST_QUERY_H_
#define SERVICES_REGISTRY_LIST_QUERY_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/regions/region_table.h"
#include "common/status/errors.h"
#include "common/storage/database.h"
#include "google/protobuf/message.h"

namespace jalin::registry {

// Not thread-safe; build, run, discard. The table is aliased "t".
class ListQuery {
 public:
  using Value = std::variant<int64_t, std::string>;

  explicit ListQuery(absl::string_view table) : table_(table) {}

  // Adds "AND (<condition>)"; `values` bind its "?" in order.
  void Where(absl::string_view condition, std::vector<Value> values = {});
  // Adds "AND (<condition>)" where the "{values}" in `condition` becomes
  // one "?" per value: "t.sector IN ({values})". No rows match when
  // `values` is empty.
  void WhereIn(absl::string_view condition,
               const std::vector<std::string>& values);

  // Region filter on t.region/t.province: "regions/33" selects a province,
  // "regions/33.13" a kabupaten/kota. A violation of `field` for anything
  // else. With `narrowed` (the request also names a few records: an owner,
  // a NIB, a cluster), the term is written "+t.region": SQLite, without
  // statistics, would otherwise take the region index for the id order and
  // read the whole region instead of those few records.
  void WhereRegion(absl::string_view field, absl::string_view region,
                   const regions::RegionTable& regions, FieldViolations& v,
                   bool narrowed = false);

  // Calls `row` with (id, data) for at most `limit` rows after `after_id`
  // (all rows from the start when empty).
  absl::Status Run(storage::Transaction& tx, absl::string_view after_id,
                   int limit,
                   absl::FunctionRef<absl::Status(absl::string_view id,
                                                  absl::string_view data)>
                       row) const;
  // Rows matching the filters, regardless of paging.
  absl::StatusOr<int64_t> Count(storage::Transaction& tx) const;

 private:
  std::vector<storage::Param> Params(
      const std::vector<Value>& extra = {}) const;

  std::string table_;
  std::string where_;
  std::vector<Value> values_;
};

// The fingerprint of a List request for its page tokens: every field but
// page_size and page_token.
std::string QueryFingerprint(const google::protobuf::Message& request);

// One page of records of type T read with `query`: fills `out`, the next
// page token (empty on the last page) and the total count. `page_token`
// must come from the same request.
template <typename T>
absl::Status ReadPage(storage::Database& db, const ListQuery& query,
                      const google::protobuf::Message& request, int page_size,
                      absl::string_view page_token,
                      absl::FunctionRef<void(T record)> add,
                      std::string* next_page_token, int32_t* total_size);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_LIST_QUERY_H_
