// Text repeated back to a caller (a value echoed in an error message, a
// field violation, a status message at the edge), cut to a bound without
// splitting a UTF-8 code point. The one copy of that logic: api::Abbreviate,
// FieldViolations and ToRpcStatus (common/status) all cut through it.

#ifndef COMMON_STRINGS_ABBREVIATE_H_
#define COMMON_STRINGS_ABBREVIATE_H_

#include <cstddef>
#include <limits>
#include <string>

#include "absl/strings/string_view.h"

namespace jalin::strings {

inline constexpr size_t kNoLimit = std::numeric_limits<size_t>::max();

// `text` unchanged when it has at most `max_chars` code points and at most
// `max_bytes` bytes; otherwise its longest prefix within both limits that
// ends between two code points, followed by `marker` (so the result may be
// up to marker.size() bytes longer than `max_bytes`). A byte that continues
// a UTF-8 sequence never starts the cut-off part, so a multi-byte character
// is kept whole or left out; text that is not UTF-8 is cut between bytes.
//   AbbreviateUtf8("héllo", 2, kNoLimit, "...") -> "hé..."
//   AbbreviateUtf8("héllo", kNoLimit, 2, "...") -> "h..."  (é is 2 bytes)
std::string AbbreviateUtf8(absl::string_view text, size_t max_chars,
                           size_t max_bytes, absl::string_view marker);

// `text` unchanged when it has at most `max_bytes` bytes; otherwise cut as
// above so that, `marker` included, it has at most `max_bytes` (which must
// be at least marker.size()).
//   BoundUtf8Bytes("héllo", 5, "..") -> "hé.."
std::string BoundUtf8Bytes(absl::string_view text, size_t max_bytes,
                           absl::string_view marker = "...");

}  // namespace jalin::strings

#endif  // COMMON_STRINGS_ABBREVIATE_H_
