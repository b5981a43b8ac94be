// Field checks of registry records that need no store: shapes, lengths,
// enums, regions and categories. Each check adds every violation it finds,
// with paths relative to the record ("nib", "location.region",
// "certifications[1].expire_date"); callers prefix them with the request
// field ("enterprise.nib"). References to other records (clusters,
// owners, partners) are checked against the store in references.h.

#ifndef SERVICES_REGISTRY_VALIDATION_H_
#define SERVICES_REGISTRY_VALIDATION_H_

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/regions/region_table.h"
#include "common/status/errors.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/registry/record_kinds.h"
#include "services/registry/taxonomy.h"

namespace jalin::registry {

// Limits of text, in characters.
inline constexpr size_t kMaxNameChars = 200;
inline constexpr size_t kMaxDescriptionChars = 5000;
inline constexpr size_t kMaxAddressChars = 500;
// Limits of repeated fields, in entries. A list above its limit is reported
// once, without checking its entries. Enum lists (a cluster's roles, a
// listing's required certifications) hold each value at most once, so at
// most as many entries as the enum has values.
inline constexpr int kMaxContacts = 20;
inline constexpr int kMaxReferences = 50;  // clusters, categories, parties
inline constexpr int kMaxCertifications = 50;
inline constexpr int kMaxKbliCodes = 20;
inline constexpr double kMaxRadiusKm = 6000;

struct CheckContext {
  const regions::RegionTable& regions;
  const TaxonomyData& taxonomy;
  absl::Time now;
};

// `before` is the stored record for an update (null on create): values
// that depend on the date (a certificate's expiry, a listing's
// valid_until) must lie in the future only when this request sets them.
void CheckRecord(const v1::Cluster& r, const v1::Cluster* before,
                 const CheckContext& ctx, FieldViolations& v);
void CheckRecord(const v1::Enterprise& r, const v1::Enterprise* before,
                 const CheckContext& ctx, FieldViolations& v);
void CheckRecord(const v1::Partner& r, const v1::Partner* before,
                 const CheckContext& ctx, FieldViolations& v);
void CheckRecord(const v1::Listing& r, const v1::Listing* before,
                 const CheckContext& ctx, FieldViolations& v);
void CheckRecord(const v1::Agreement& r, const v1::Agreement* before,
                 const CheckContext& ctx, FieldViolations& v);

// A region name: "regions/33.13"; `regency_only` refuses provinces.
void CheckRegionName(FieldViolations& v, absl::string_view field,
                     absl::string_view name,
                     const regions::RegionTable& regions, bool regency_only);

// Adds "must have at most `max` entries" for `field` when `size` is above
// `max`. Returns true if fine.
bool CheckCount(FieldViolations& v, absl::string_view field, int size, int max);

// A google.protobuf.Timestamp that can be printed (RFC 3339): seconds
// within 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z, nanos within
// [0, 999999999]. Returns true if fine.
bool CheckTimestamp(FieldViolations& v, absl::string_view field,
                    const google::protobuf::Timestamp& ts);

// A category name that exists: "categories/jamu".
void CheckCategoryName(FieldViolations& v, absl::string_view field,
                       absl::string_view name, const TaxonomyData& taxonomy);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_VALIDATION_H_
