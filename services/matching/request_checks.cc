#include "services/matching/request_checks.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/api/resource_name.h"
#include "common/regions/region_code.h"
#include "common/validation/validators.h"
#include "google/protobuf/util/time_util.h"

namespace jalin::matching {
namespace {

std::string F(absl::string_view field, absl::string_view sub) {
  return absl::StrCat(field, ".", sub);
}

}  // namespace

bool CheckName(FieldViolations& v, absl::string_view field,
               absl::string_view value, absl::string_view collection,
               bool required) {
  if (value.empty()) {
    if (required) v.Add(std::string(field), "is required");
    return !required;
  }
  absl::string_view id = value;
  if (!absl::ConsumePrefix(&id, collection) || !absl::ConsumePrefix(&id, "/") ||
      !api::IsValidId(id)) {
    v.Add(std::string(field),
          absl::StrCat("must be a resource name \"", collection, "/{id}\""));
    return false;
  }
  return true;
}

bool CheckOwner(FieldViolations& v, absl::string_view field,
                absl::string_view value, bool required) {
  if (value.empty()) {
    if (required) v.Add(std::string(field), "is required");
    return !required;
  }
  const absl::string_view collection = api::CollectionOf(value);
  if (collection != "clusters" && collection != "enterprises" &&
      collection != "partners") {
    v.Add(std::string(field),
          "must name a cluster, an enterprise or a partner "
          "(\"clusters/{id}\", \"enterprises/{id}\", \"partners/{id}\")");
    return false;
  }
  return CheckName(v, field, value, collection, required);
}

bool CheckRegion(FieldViolations& v, absl::string_view field,
                 absl::string_view value, bool required) {
  if (value.empty()) {
    if (required) v.Add(std::string(field), "is required");
    return !required;
  }
  absl::string_view code = value;
  if (!absl::ConsumePrefix(&code, "regions/") || !regions::IsRegionCode(code)) {
    v.Add(std::string(field),
          "must be a province or regency: \"regions/33\" or "
          "\"regions/33.13\"");
    return false;
  }
  return true;
}

bool CheckTimestamp(FieldViolations& v, absl::string_view field,
                    const google::protobuf::Timestamp& t, bool present) {
  if (!present) return true;
  using google::protobuf::util::TimeUtil;
  if (t.seconds() < TimeUtil::kTimestampMinSeconds ||
      t.seconds() > TimeUtil::kTimestampMaxSeconds || t.nanos() < 0 ||
      t.nanos() > 999999999) {
    v.Add(std::string(field), "is not a valid timestamp");
    return false;
  }
  return true;
}

void CheckOutcome(FieldViolations& v, absl::string_view field,
                  const matching::v1::Outcome& o, absl::Time now) {
  if (!o.has_volume() && o.value().amount() <= 0) {
    v.Add(std::string(field), "must record the volume or the value traded");
  }
  if (o.has_volume()) {
    if (!(o.volume().amount() > 0) || !std::isfinite(o.volume().amount())) {
      v.Add(F(field, "volume.amount"), "must be positive");
    }
    if (o.volume().unit() == type::v1::UNIT_UNSPECIFIED ||
        !type::v1::Unit_IsValid(o.volume().unit())) {
      v.Add(F(field, "volume.unit"), "must be a unit");
    }
    if (!type::v1::Period_IsValid(o.volume().period())) {
      v.Add(F(field, "volume.period"), "must be a period");
    }
  }
  if (o.value().amount() < 0) {
    v.Add(F(field, "value.amount"), "must not be negative");
  } else if (o.value().amount() > kMaxOutcomeValue) {
    v.Add(F(field, "value.amount"),
          absl::StrCat("must be at most ", kMaxOutcomeValue, " rupiah"));
  }
  if (o.has_deal_date()) {
    const auto& d = o.deal_date();
    // A day of the calendar: CivilDay normalises 2027-02-31 to 2027-03-03.
    const absl::CivilDay day(d.year(), d.month(), d.day());
    const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
    const absl::CivilDay latest(today.year() + kMaxDealDateYearsAhead,
                                today.month(), today.day());
    if (d.year() < 1 || d.year() > 9999 || day.year() != d.year() ||
        day.month() != d.month() || day.day() != d.day()) {
      v.Add(F(field, "deal_date"), "is not a valid date");
    } else if (day > latest) {
      v.Add(F(field, "deal_date"),
            absl::StrCat("must be no later than a year from today (",
                         absl::FormatCivilTime(latest), ")"));
    }
  }
  validation::CheckText(v, F(field, "note"), o.note(), 2000, false);
}

void CheckProbe(FieldViolations& v, absl::string_view field,
                const registry::v1::Listing& p) {
  using registry::v1::Listing;
  if (p.kind() != Listing::OFFER && p.kind() != Listing::NEED) {
    v.Add(F(field, "kind"), "must be OFFER or NEED");
  }
  if (p.type() == registry::v1::CATEGORY_KIND_UNSPECIFIED ||
      !registry::v1::CategoryKind_IsValid(p.type())) {
    v.Add(F(field, "type"),
          "must be GOODS, SERVICE, KNOW_HOW or MARKET_ACCESS");
  }
  CheckName(v, F(field, "category"), p.category(), "categories", true);
  CheckRegion(v, F(field, "region"), p.region(), true);
  CheckOwner(v, F(field, "owner"), p.owner(), false);
  if (p.has_quantity()) {
    if (!(p.quantity().amount() > 0) || !std::isfinite(p.quantity().amount())) {
      v.Add(F(field, "quantity.amount"), "must be positive");
    }
    if (!type::v1::Unit_IsValid(p.quantity().unit())) {
      v.Add(F(field, "quantity.unit"), "must be a unit");
    }
    if (!type::v1::Period_IsValid(p.quantity().period())) {
      v.Add(F(field, "quantity.period"), "must be a period");
    }
  }
  if (p.delivery_radius_km() < 0 || !std::isfinite(p.delivery_radius_km())) {
    v.Add(F(field, "delivery_radius_km"), "must be zero or positive");
  }
  for (int i = 0; i < p.required_certifications_size(); ++i) {
    if (!type::v1::CertificationKind_IsValid(p.required_certifications(i)) ||
        p.required_certifications(i) == type::v1::CERTIFICATION_KIND_UNSPECIFIED) {
      v.Add(absl::StrCat(field, ".required_certifications[", i, "]"),
            "is not a certification");
    }
  }
  for (int i = 0; i < p.owner_profile().certifications_size(); ++i) {
    if (!type::v1::CertificationKind_IsValid(
            p.owner_profile().certifications(i))) {
      v.Add(absl::StrCat(field, ".owner_profile.certifications[", i, "]"),
            "is not a certification");
    }
  }
  if (!p.current_source_region().empty()) {
    CheckRegion(v, F(field, "current_source_region"), p.current_source_region(),
                false);
  }
  if (!Listing::Continuity_IsValid(p.continuity())) {
    v.Add(F(field, "continuity"), "is not a continuity");
  }
}

}  // namespace jalin::matching
