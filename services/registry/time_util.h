// Conversions between absl::Time and the protobuf time types the registry
// stores (google.protobuf.Timestamp, google.type.Date). Days are counted in
// UTC.

#ifndef SERVICES_REGISTRY_TIME_UTIL_H_
#define SERVICES_REGISTRY_TIME_UTIL_H_

#include <cstdint>
#include <optional>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace jalin::registry {

google::protobuf::Timestamp ToTimestamp(absl::Time t);
absl::Time FromTimestamp(const google::protobuf::Timestamp& ts);

// True when any part of the date is set.
bool IsSet(const google::type::Date& d);
// Days since 1970-01-01 of a complete, valid calendar date; nullopt for an
// unset, partial or impossible date (2025-02-30).
std::optional<int64_t> DayNumber(const google::type::Date& d);
// The day `t` falls on.
int64_t DayNumber(absl::Time t);
google::type::Date DateOf(absl::Time t);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_TIME_UTIL_H_
