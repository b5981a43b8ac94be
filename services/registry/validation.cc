#include "services/registry/validation.h"

#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/resource_name.h"
#include "common/validation/validators.h"
#include "google/protobuf/util/message_differencer.h"
#include "jalin/type/v1/certification.pb.h"
#include "jalin/type/v1/quantity.pb.h"
#include "services/registry/time_util.h"

namespace jalin::registry {
namespace {

namespace tv1 = jalin::type::v1;
using validation::CheckText;

std::string At(absl::string_view field, int i) {
  return absl::StrCat(field, "[", i, "]");
}
std::string Sub(absl::string_view field, absl::string_view sub) {
  return absl::StrCat(field, ".", sub);
}

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

// A required enum: "is required" when unset, "unknown value" otherwise.
template <typename IsValid>
void CheckEnum(FieldViolations& v, absl::string_view field, int value,
               IsValid is_valid, bool required) {
  if (value == 0) {
    if (required) v.Add(std::string(field), "is required");
  } else if (!is_valid(value)) {
    v.Add(std::string(field), absl::StrCat("unknown value ", value));
  }
}

// A list of enum values, each valid and listed once; at most as many as
// the enum has values.
template <typename IsValid>
void CheckEnumSet(FieldViolations& v, absl::string_view field,
                  const google::protobuf::RepeatedField<int>& values,
                  IsValid is_valid, int max_value) {
  if (!CheckCount(v, field, values.size(), max_value)) return;
  std::set<int> seen;
  for (int i = 0; i < values.size(); ++i) {
    CheckEnum(v, At(field, i), values[i], is_valid, true);
    if (!seen.insert(values[i]).second) v.Add(At(field, i), "is listed twice");
  }
}

// "<collection>/<id>" with a valid id.
void CheckName(FieldViolations& v, absl::string_view field,
               absl::string_view name, absl::string_view collection,
               absl::string_view what) {
  if (IdOf(name, collection).empty() ||
      !api::IsValidId(IdOf(name, collection))) {
    v.Add(std::string(field),
          absl::StrCat("must be ", what, " name (", collection, "/{id})"));
  }
}

// Every entry of `names` named once (the caller checked the count).
void CheckDistinct(
    FieldViolations& v, absl::string_view field,
    const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::set<std::string> seen;
  for (int i = 0; i < names.size(); ++i) {
    if (!seen.insert(names[i]).second) v.Add(At(field, i), "is listed twice");
  }
}

void CheckCategories(FieldViolations& v, absl::string_view field,
                     const google::protobuf::RepeatedPtrField<std::string>& c,
                     const TaxonomyData& taxonomy) {
  if (!CheckCount(v, field, c.size(), kMaxReferences)) return;
  for (int i = 0; i < c.size(); ++i) {
    CheckCategoryName(v, At(field, i), c[i], taxonomy);
  }
  CheckDistinct(v, field, c);
}

void CheckLocation(FieldViolations& v, absl::string_view field,
                   const tv1::Location& loc, const CheckContext& ctx) {
  CheckRegionName(v, Sub(field, "region"), loc.region(), ctx.regions, true);
  const std::string region = RegionCodeOf(loc.region());
  if (!loc.district_code().empty()) {
    absl::string_view rest = loc.district_code();
    if (region.empty() || !absl::ConsumePrefix(&rest, region + ".") ||
        rest.size() != 2 || !AllDigits(rest)) {
      v.Add(Sub(field, "district_code"),
            absl::StrCat("must be a kecamatan code inside the region (",
                         region.empty() ? "33.13" : region, ".05)"));
    }
  }
  if (!loc.village_code().empty()) {
    absl::string_view rest = loc.village_code();
    if (loc.district_code().empty() ||
        !absl::ConsumePrefix(&rest, loc.district_code() + ".") ||
        rest.size() != 4 || !AllDigits(rest)) {
      v.Add(Sub(field, "village_code"),
            "must be a desa code inside district_code (33.13.05.2001)");
    }
  }
  if (loc.has_point()) {
    const double lat = loc.point().latitude();
    const double lng = loc.point().longitude();
    if (!std::isfinite(lat) || lat < -90 || lat > 90) {
      v.Add(Sub(field, "point.latitude"), "must be within [-90, 90]");
    }
    if (!std::isfinite(lng) || lng < -180 || lng > 180) {
      v.Add(Sub(field, "point.longitude"), "must be within [-180, 180]");
    }
  }
  CheckText(v, Sub(field, "address"), loc.address(), kMaxAddressChars, false);
}

void CheckContact(FieldViolations& v, absl::string_view field,
                  const tv1::Contact& c) {
  CheckText(v, Sub(field, "display_name"), c.display_name(), kMaxNameChars,
            true);
  CheckText(v, Sub(field, "role"), c.role(), 100, false);
  if (!c.phone().empty() && !validation::IsPhone(c.phone())) {
    v.Add(Sub(field, "phone"),
          "must be an Indonesian phone number (+62... or 08...)");
  }
  if (!c.email().empty() && !validation::IsEmail(c.email())) {
    v.Add(Sub(field, "email"), "must be an email address");
  }
}

void CheckContacts(FieldViolations& v, absl::string_view field,
                   const google::protobuf::RepeatedPtrField<tv1::Contact>& c) {
  if (!CheckCount(v, field, c.size(), kMaxContacts)) return;
  for (int i = 0; i < c.size(); ++i) CheckContact(v, At(field, i), c[i]);
}

// A date field: complete and valid when set.
std::optional<int64_t> CheckDate(FieldViolations& v, absl::string_view field,
                                 const google::type::Date& d) {
  if (!IsSet(d)) return std::nullopt;
  std::optional<int64_t> day = DayNumber(d);
  if (!day) v.Add(std::string(field), "is not a valid calendar date");
  return day;
}

bool SameCertification(const tv1::Certification& a,
                       const tv1::Certification& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

void CheckCertifications(
    FieldViolations& v, absl::string_view field,
    const google::protobuf::RepeatedPtrField<tv1::Certification>& certs,
    const google::protobuf::RepeatedPtrField<tv1::Certification>* before,
    absl::Time now) {
  if (!CheckCount(v, field, certs.size(), kMaxCertifications)) return;
  const int64_t today = DayNumber(now);
  for (int i = 0; i < certs.size(); ++i) {
    const tv1::Certification& c = certs[i];
    const std::string f = At(field, i);
    CheckEnum(v, Sub(f, "kind"), c.kind(), tv1::CertificationKind_IsValid,
              true);
    CheckText(v, Sub(f, "number"), c.number(), 100, false);
    std::optional<int64_t> issued =
        CheckDate(v, Sub(f, "issue_date"), c.issue_date());
    std::optional<int64_t> expires =
        CheckDate(v, Sub(f, "expire_date"), c.expire_date());
    if (issued && *issued > today) {
      v.Add(Sub(f, "issue_date"), "is in the future");
    }
    if (issued && expires && *expires < *issued) {
      v.Add(Sub(f, "expire_date"), "is before issue_date");
    }
    bool stored = false;
    if (before != nullptr) {
      for (const auto& b : *before) stored = stored || SameCertification(b, c);
    }
    if (expires && *expires < today && !stored) {
      v.Add(Sub(f, "expire_date"),
            "is in the past: only a valid certificate can be recorded");
    }
  }
}

}  // namespace

bool CheckCount(FieldViolations& v, absl::string_view field, int size,
                int max) {
  if (size <= max) return true;
  v.Add(std::string(field),
        absl::StrCat("must have at most ", max, " entries"));
  return false;
}

bool CheckTimestamp(FieldViolations& v, absl::string_view field,
                    const google::protobuf::Timestamp& ts) {
  // 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in Unix seconds.
  constexpr int64_t kMinSeconds = -62135596800;
  constexpr int64_t kMaxSeconds = 253402300799;
  bool ok = true;
  if (ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds) {
    v.Add(absl::StrCat(field, ".seconds"),
          "must lie within 0001-01-01 and 9999-12-31");
    ok = false;
  }
  if (ts.nanos() < 0 || ts.nanos() > 999999999) {
    v.Add(absl::StrCat(field, ".nanos"), "must be within [0, 999999999]");
    ok = false;
  }
  return ok;
}

void CheckRegionName(FieldViolations& v, absl::string_view field,
                     absl::string_view name,
                     const regions::RegionTable& regions, bool regency_only) {
  if (name.empty()) {
    v.Add(std::string(field), "is required");
    return;
  }
  if (!absl::StartsWith(name, "regions/")) {
    v.Add(std::string(field), "must be a region name (regions/33.13)");
    return;
  }
  const regions::RegionInfo* info = regions.Find(name);
  if (info == nullptr) {
    v.Add(std::string(field),
          absl::StrCat("unknown region ", api::Abbreviate(name)));
  } else if (regency_only && info->level == regions::Level::kProvince) {
    v.Add(std::string(field), "must be a kabupaten/kota, not a province");
  }
}

void CheckCategoryName(FieldViolations& v, absl::string_view field,
                       absl::string_view name, const TaxonomyData& taxonomy) {
  if (name.empty()) {
    v.Add(std::string(field), "is required");
  } else if (!absl::StartsWith(name, "categories/")) {
    v.Add(std::string(field), "must be a category name (categories/{id})");
  } else if (taxonomy.Find(name) == nullptr) {
    v.Add(std::string(field),
          absl::StrCat("unknown category ", api::Abbreviate(name)));
  }
}

void CheckRecord(const v1::Cluster& r, const v1::Cluster*,
                 const CheckContext& ctx, FieldViolations& v) {
  CheckText(v, "display_name", r.display_name(), kMaxNameChars, true);
  CheckLocation(v, "location", r.location(), ctx);
  CheckCategoryName(v, "sector", r.sector(), ctx.taxonomy);
  CheckEnumSet(v, "roles", r.roles(), v1::ValueChainRole_IsValid,
               v1::ValueChainRole_MAX);
  if (r.member_count() < 0) v.Add("member_count", "must not be negative");
  if (r.has_leader()) CheckContact(v, "leader", r.leader());
  if (!r.parent_cluster().empty()) {
    CheckName(v, "parent_cluster", r.parent_cluster(), "clusters", "a cluster");
  }
  CheckText(v, "description", r.description(), kMaxDescriptionChars, false);
}

void CheckRecord(const v1::Enterprise& r, const v1::Enterprise* before,
                 const CheckContext& ctx, FieldViolations& v) {
  if (!r.nib().empty() && !validation::IsNib(r.nib())) {
    v.Add("nib", "must be 13 digits");
  }
  CheckText(v, "display_name", r.display_name(), kMaxNameChars, true);
  CheckEnum(v, "scale", r.scale(), v1::Scale_IsValid, true);
  CheckLocation(v, "location", r.location(), ctx);
  if (CheckCount(v, "clusters", r.clusters_size(), kMaxReferences)) {
    for (int i = 0; i < r.clusters_size(); ++i) {
      CheckName(v, At("clusters", i), r.clusters(i), "clusters", "a cluster");
    }
    CheckDistinct(v, "clusters", r.clusters());
  }
  CheckCategories(v, "categories", r.categories(), ctx.taxonomy);
  CheckCertifications(v, "certifications", r.certifications(),
                      before == nullptr ? nullptr : &before->certifications(),
                      ctx.now);
  CheckContacts(v, "contacts", r.contacts());
  if (r.employee_count() < 0) v.Add("employee_count", "must not be negative");
}

void CheckRecord(const v1::Partner& r, const v1::Partner*,
                 const CheckContext& ctx, FieldViolations& v) {
  CheckText(v, "display_name", r.display_name(), kMaxNameChars, true);
  CheckEnum(v, "kind", r.kind(), v1::Partner::Kind_IsValid, true);
  CheckLocation(v, "location", r.location(), ctx);
  CheckCategories(v, "categories", r.categories(), ctx.taxonomy);
  CheckContacts(v, "contacts", r.contacts());
  CheckText(v, "description", r.description(), kMaxDescriptionChars, false);
}

void CheckRecord(const v1::Listing& r, const v1::Listing* before,
                 const CheckContext& ctx, FieldViolations& v) {
  CheckEnum(v, "kind", r.kind(), v1::Listing::Kind_IsValid, true);
  CheckEnum(v, "type", r.type(), v1::CategoryKind_IsValid, true);
  if (r.owner().empty()) {
    v.Add("owner", "is required");
  } else if (IdOf(r.owner(), "clusters").empty() &&
             IdOf(r.owner(), "enterprises").empty() &&
             IdOf(r.owner(), "partners").empty()) {
    v.Add("owner", "must name a cluster, an enterprise or a partner");
  }
  CheckCategoryName(v, "category", r.category(), ctx.taxonomy);
  CheckText(v, "title", r.title(), kMaxNameChars, true);
  CheckText(v, "description", r.description(), kMaxDescriptionChars, false);
  if (r.has_quantity()) {
    const tv1::Quantity& q = r.quantity();
    if (!std::isfinite(q.amount()) || q.amount() <= 0) {
      v.Add("quantity.amount", "must be positive");
    }
    CheckEnum(v, "quantity.unit", q.unit(), tv1::Unit_IsValid, true);
    CheckEnum(v, "quantity.period", q.period(), tv1::Period_IsValid, true);
  }
  CheckEnum(v, "continuity", r.continuity(), v1::Listing::Continuity_IsValid,
            false);
  if (r.has_price()) {
    const auto& p = r.price();
    if (p.min().amount() < 0) v.Add("price.min.amount", "must not be negative");
    if (p.max().amount() < 0) v.Add("price.max.amount", "must not be negative");
    if (p.has_min() && p.has_max() && p.max().amount() < p.min().amount()) {
      v.Add("price.max.amount", "must not be below price.min.amount");
    }
    CheckEnum(v, "price.per_unit", p.per_unit(), tv1::Unit_IsValid, false);
  }
  CheckEnumSet(v, "required_certifications", r.required_certifications(),
               tv1::CertificationKind_IsValid, tv1::CertificationKind_MAX);
  if (!std::isfinite(r.delivery_radius_km()) || r.delivery_radius_km() < 0 ||
      r.delivery_radius_km() > kMaxRadiusKm) {
    v.Add("delivery_radius_km",
          absl::StrCat("must be between 0 and ", kMaxRadiusKm));
  }
  if (!r.current_source_region().empty()) {
    CheckRegionName(v, "current_source_region", r.current_source_region(),
                    ctx.regions, false);
  }
  if (r.has_valid_until() &&
      CheckTimestamp(v, "valid_until", r.valid_until())) {
    const bool unchanged = before != nullptr && before->has_valid_until() &&
                           google::protobuf::util::MessageDifferencer::Equals(
                               before->valid_until(), r.valid_until());
    if (!unchanged && FromTimestamp(r.valid_until()) <= ctx.now) {
      v.Add("valid_until", "must be in the future");
    }
  }
  CheckEnum(v, "status", r.status(), v1::Listing::Status_IsValid, true);
}

void CheckRecord(const v1::Agreement& r, const v1::Agreement*,
                 const CheckContext& ctx, FieldViolations& v) {
  CheckText(v, "title", r.title(), kMaxNameChars, true);
  bool has_region = false;
  const bool few_parties =
      CheckCount(v, "parties", r.parties_size(), kMaxReferences);
  for (int i = 0; few_parties && i < r.parties_size(); ++i) {
    const std::string& p = r.parties(i);
    if (absl::StartsWith(p, "regions/")) {
      CheckRegionName(v, At("parties", i), p, ctx.regions, false);
      has_region = true;
    } else if (!IdOf(p, "partners").empty()) {
      CheckName(v, At("parties", i), p, "partners", "a partner");
    } else {
      v.Add(At("parties", i), "must name a region or a partner");
    }
  }
  if (r.parties_size() < 2) {
    v.Add("parties", "needs at least two parties");
  } else if (few_parties && !has_region) {
    v.Add("parties", "needs at least one region");
  }
  if (few_parties) CheckDistinct(v, "parties", r.parties());
  CheckCategories(v, "categories", r.categories(), ctx.taxonomy);
  std::optional<int64_t> signed_day = CheckDate(v, "sign_date", r.sign_date());
  std::optional<int64_t> expires = CheckDate(v, "expire_date", r.expire_date());
  if (signed_day && expires && *expires < *signed_day) {
    v.Add("expire_date", "is before sign_date");
  }
  if (!r.document_uri().empty() && !validation::IsHttpUri(r.document_uri())) {
    v.Add("document_uri", "must be an http or https URI");
  }
  CheckEnum(v, "status", r.status(), v1::Agreement::Status_IsValid, true);
}

}  // namespace jalin::registry
