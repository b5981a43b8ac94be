// Subscription and webhook filters (jalin.notification.v1.Filter): checking
// what a caller asks for, and matching events against it.

#ifndef SERVICES_NOTIFICATION_FILTER_H_
#define SERVICES_NOTIFICATION_FILTER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "common/status/errors.h"
#include "jalin/notification/v1/notification.pb.h"
#include "services/notification/event_facts.h"

namespace jalin::notification {

// Adds a violation under `field` ("subscription.filter") for every value of
// the wrong shape, and for a filter with no field set (it would match
// everything).
void ValidateFilter(const v1::Filter& filter, absl::string_view field,
                    FieldViolations& v);

// Applies the caller's region scope to a filter it submits. Global callers
// (admin, service) keep the filter as it is. A region-scoped caller may only
// name regions inside its scope (PERMISSION_DENIED otherwise); a filter
// without regions gets the caller's regions, so that nobody subscribes to
// events outside their scope. A non-global caller without any region scope
// is refused.
absl::Status ScopeFilter(const auth::Principal& principal, v1::Filter& filter);

// True when an event of `type` with `facts` matches every non-empty field
// of `filter`.
bool FilterMatches(const v1::Filter& filter, absl::string_view type,
                   const EventFacts& facts);

// True when `pattern` ("jalin.matching.proposal.*", "*" or an exact type)
// matches `type`.
bool EventTypeMatches(absl::string_view pattern, absl::string_view type);

// True when `region_code` ("33.13.05") lies inside `filter_code` ("33" or
// "33.13"): equal, or a dotted extension of it.
bool RegionWithin(absl::string_view region_code, absl::string_view filter_code);

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_FILTER_H_
