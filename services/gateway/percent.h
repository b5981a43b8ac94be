// Percent-decoding of URL paths and query strings, and UTF-8 checks: the
// text that reaches a protobuf string field must be valid UTF-8.

#ifndef SERVICES_GATEWAY_PERCENT_H_
#define SERVICES_GATEWAY_PERCENT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jalin::gateway {

// Decodes "%XX" escapes (and '+' as a space when `plus_is_space`, as in
// query strings). With `keep_encoded_slash`, "%2F" and "%2f" stay as they
// are (google.api.http: a variable spanning several path segments keeps
// them encoded). INVALID_ARGUMENT for a broken escape, a decoded value that
// is not UTF-8, or a control character.
absl::StatusOr<std::string> PercentDecode(absl::string_view text,
                                          bool plus_is_space,
                                          bool keep_encoded_slash = false);

// Encodes every byte outside the URL-unreserved set (and outside `keep`).
std::string PercentEncode(absl::string_view text, absl::string_view keep = "");

bool IsValidUtf8(absl::string_view text);

// "a=1&b=x%20y&a=2" as raw (still encoded) key/value pairs, in order; a key
// without '=' has an empty value; empty pieces are skipped.
std::vector<std::pair<std::string, std::string>> SplitQuery(
    absl::string_view query);

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_PERCENT_H_
