// Unit normalisation for capacity coverage: amounts become base units of
// their dimension (kg, litre, piece, metre, m², hour, session) and recurring
// amounts become amounts per month, so that "2 TON per MONTH" and
// "500 KILOGRAM per WEEK" can be compared.

#ifndef SERVICES_MATCHING_INDEX_UNITS_H_
#define SERVICES_MATCHING_INDEX_UNITS_H_

#include <cstdint>
#include <optional>

#include "jalin/type/v1/quantity.pb.h"

namespace jalin::matching {

enum class Dimension : uint8_t {
  kNone,
  kMass,
  kVolume,
  kCount,
  kLength,
  kArea,
  kTime,
  // A training or mentoring session is not a number of hours.
  kSessions,
};

// Dimension and factor to the base unit of `unit`.
struct UnitInfo {
  Dimension dimension = Dimension::kNone;
  double to_base = 0;
};
UnitInfo Unit(type::v1::Unit unit);

// How many times `period` recurs in a month; 0 for a one-off (ONCE or
// unspecified).
double PerMonth(type::v1::Period period);

struct NormalizedAmount {
  Dimension dimension = Dimension::kNone;
  // Base units, per month when recurring.
  double amount = 0;
  bool recurring = false;
};
// Empty when the amount is not positive or the unit is unknown.
std::optional<NormalizedAmount> Normalize(double amount, type::v1::Unit unit,
                                          type::v1::Period period);

// Share of the need that the offer covers, in [0, 1]: min(offer / need, 1)
// after normalisation. A one-off amount is compared with a monthly one as
// if it were that month's. Empty when the two cannot be compared (missing
// amounts or different dimensions).
std::optional<double> Coverage(const std::optional<NormalizedAmount>& offer,
                               const std::optional<NormalizedAmount>& need);

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_INDEX_UNITS_H_
