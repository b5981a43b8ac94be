// Field checks shared by the matching API's request validation. Each adds
// a violation naming the field to `v` (AIP-193: the caller learns every
// problem at once) and returns true when the value is acceptable.

#ifndef SERVICES_MATCHING_REQUEST_CHECKS_H_
#define SERVICES_MATCHING_REQUEST_CHECKS_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "google/protobuf/timestamp.pb.h"
#include "jalin/matching/v1/proposal.pb.h"
#include "jalin/registry/v1/listing.pb.h"

namespace jalin::matching {

// "<collection>/<id>" with a valid id.
bool CheckName(FieldViolations& v, absl::string_view field,
               absl::string_view value, absl::string_view collection,
               bool required);
// "clusters/{id}", "enterprises/{id}" or "partners/{id}".
bool CheckOwner(FieldViolations& v, absl::string_view field,
                absl::string_view value, bool required);
// "regions/33" or "regions/33.13" (shape only; see RegionGrid for
// existence).
bool CheckRegion(FieldViolations& v, absl::string_view field,
                 absl::string_view value, bool required);
// Seconds and nanos within the protobuf Timestamp range.
bool CheckTimestamp(FieldViolations& v, absl::string_view field,
                    const google::protobuf::Timestamp& t, bool present);
// The largest outcome value accepted: Rp 10^15 (a thousand trillion), far
// beyond any one deal, and small enough that sums over many deals stay
// exact in an int64.
inline constexpr int64_t kMaxOutcomeValue = 1'000'000'000'000'000;
// A deal date may lie at most this long after today (UTC).
inline constexpr int kMaxDealDateYearsAhead = 1;

// An outcome records something traded (a volume, or a value above zero);
// the value is at most kMaxOutcomeValue; the deal date, if any, is a day of
// the calendar no more than a year after `now`'s day.
void CheckOutcome(FieldViolations& v, absl::string_view field,
                  const matching::v1::Outcome& outcome, absl::Time now);
// An ad-hoc need or offer for FindMatches: kind, type, category and region
// required; quantity, radius, certifications and owner well formed.
void CheckProbe(FieldViolations& v, absl::string_view field,
                const registry::v1::Listing& probe);

}  // namespace jalin::matching

#endif  // SERVICES_MATCHING_REQUEST_CHECKS_H_
