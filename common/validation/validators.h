// Shape checks shared by every service's request validation. Each returns
// true when the value is acceptable; the caller names the field and adds
// the violation.

#ifndef COMMON_VALIDATION_VALIDATORS_H_
#define COMMON_VALIDATION_VALIDATORS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/status/errors.h"

namespace jalin::validation {

// Nomor Induk Berusaha: exactly 13 digits.
bool IsNib(absl::string_view s);

// An Indonesian phone number: "+62" or "62" or "0", then 8 to 13 digits;
// spaces, dashes, dots and parentheses between digits are allowed.
bool IsPhone(absl::string_view s);
// The phone number in E.164 ("+628123456789"); empty if not a phone number.
std::string NormalizePhone(absl::string_view s);

// local@domain.tld, at most 254 characters, no spaces.
bool IsEmail(absl::string_view s);

// An absolute http or https URI with a host.
bool IsHttpUri(absl::string_view s, bool require_https = false);

// Adds "is required" / "must be at most N characters" (counted in UTF-8
// code points) for `value` to `v`. Returns true if fine.
bool CheckText(FieldViolations& v, absl::string_view field,
               absl::string_view value, size_t max_chars, bool required);

// Number of UTF-8 code points in `s`.
size_t Utf8Length(absl::string_view s);

}  // namespace jalin::validation

#endif  // COMMON_VALIDATION_VALIDATORS_H_
