#include "services/matching/index/units.h"

#include <algorithm>

namespace jalin::matching {

UnitInfo Unit(type::v1::Unit unit) {
  switch (unit) {
    case type::v1::GRAM:
      return {Dimension::kMass, 0.001};
    case type::v1::KILOGRAM:
      return {Dimension::kMass, 1};
    case type::v1::QUINTAL:
      return {Dimension::kMass, 100};
    case type::v1::TON:
      return {Dimension::kMass, 1000};
    case type::v1::MILLILITER:
      return {Dimension::kVolume, 0.001};
    case type::v1::LITER:
      return {Dimension::kVolume, 1};
    case type::v1::CUBIC_METER:
      return {Dimension::kVolume, 1000};
    case type::v1::PIECE:
      return {Dimension::kCount, 1};
    case type::v1::DOZEN:
      return {Dimension::kCount, 12};
    case type::v1::THOUSAND_PIECES:
      return {Dimension::kCount, 1000};
    case type::v1::METER:
      return {Dimension::kLength, 1};
    case type::v1::SQUARE_METER:
      return {Dimension::kArea, 1};
    case type::v1::HECTARE:
      return {Dimension::kArea, 10000};
    case type::v1::HOUR:
      return {Dimension::kTime, 1};
    case type::v1::PERSON_DAY:
      return {Dimension::kTime, 8};
    case type::v1::SESSION:
      return {Dimension::kSessions, 1};
    default:
      return {};
  }
}

double PerMonth(type::v1::Period period) {
  switch (period) {
    case type::v1::DAY:
      return 30;
    case type::v1::WEEK:
      return 52.0 / 12.0;
    case type::v1::MONTH:
      return 1;
    case type::v1::YEAR:
      return 1.0 / 12.0;
    default:
      return 0;
  }
}

std::optional<NormalizedAmount> Normalize(double amount, type::v1::Unit unit,
                                          type::v1::Period period) {
  const UnitInfo info = Unit(unit);
  if (!(amount > 0) || info.dimension == Dimension::kNone) return std::nullopt;
  NormalizedAmount out;
  out.dimension = info.dimension;
  out.amount = amount * info.to_base;
  const double per_month = PerMonth(period);
  if (per_month > 0) {
    out.amount *= per_month;
    out.recurring = true;
  }
  return out;
}

std::optional<double> Coverage(const std::optional<NormalizedAmount>& offer,
                               const std::optional<NormalizedAmount>& need) {
  if (!offer || !need || offer->dimension != need->dimension) {
    return std::nullopt;
  }
  return std::min(1.0, offer->amount / need->amount);
}

}  // namespace jalin::matching
