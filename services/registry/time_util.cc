#include "services/registry/time_util.h"

namespace jalin::registry {

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t seconds = absl::ToUnixSeconds(t);
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
  return ts;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

bool IsSet(const google::type::Date& d) {
  return d.year() != 0 || d.month() != 0 || d.day() != 0;
}

std::optional<int64_t> DayNumber(const google::type::Date& d) {
  if (d.year() < 1900 || d.year() > 9999 || d.month() < 1 || d.month() > 12 ||
      d.day() < 1 || d.day() > 31) {
    return std::nullopt;
  }
  const absl::CivilDay day(d.year(), d.month(), d.day());
  // CivilDay normalises 02-30 to 03-02; a normalised date was impossible.
  if (day.year() != d.year() || day.month() != d.month() ||
      day.day() != d.day()) {
    return std::nullopt;
  }
  return day - absl::CivilDay(1970, 1, 1);
}

int64_t DayNumber(absl::Time t) {
  return absl::ToCivilDay(t, absl::UTCTimeZone()) - absl::CivilDay(1970, 1, 1);
}

google::type::Date DateOf(absl::Time t) {
  const absl::CivilDay day = absl::ToCivilDay(t, absl::UTCTimeZone());
  google::type::Date d;
  d.set_year(static_cast<int32_t>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

}  // namespace jalin::registry
