// Collecting the violations of several parsers into one AIP-193 answer.

#ifndef SERVICES_NOTIFICATION_VIOLATIONS_H_
#define SERVICES_NOTIFICATION_VIOLATIONS_H_

#include "absl/status/status.h"
#include "common/status/errors.h"

namespace jalin::notification {

// Adds the field violations carried by `status` (an INVALID_ARGUMENT from a
// parser such as ParseRecipientParent) to `v`; nothing for OK. A status
// without a BadRequest payload becomes one violation of `fallback_field`.
void AddViolationsOf(const absl::Status& status,
                     absl::string_view fallback_field, FieldViolations& v);

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_VIOLATIONS_H_
