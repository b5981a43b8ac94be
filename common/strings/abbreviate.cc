#include "common/strings/abbreviate.h"

#include "absl/strings/str_cat.h"

namespace jalin::strings {

std::string AbbreviateUtf8(absl::string_view text, size_t max_chars,
                           size_t max_bytes, absl::string_view marker) {
  // `cut` is the end of the longest prefix found within both limits;
  // `chars` counts the code points before `i`.
  size_t cut = 0;
  size_t chars = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    // A byte that does not continue a UTF-8 sequence starts a code point:
    // the text may be cut before it.
    if (i < text.size() &&
        (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
      continue;
    }
    if (chars > max_chars || i > max_bytes) break;
    cut = i;
    ++chars;
  }
  if (cut == text.size()) return std::string(text);
  return absl::StrCat(text.substr(0, cut), marker);
}

std::string BoundUtf8Bytes(absl::string_view text, size_t max_bytes,
                           absl::string_view marker) {
  if (text.size() <= max_bytes) return std::string(text);
  return AbbreviateUtf8(text, kNoLimit, max_bytes - marker.size(), marker);
}

}  // namespace jalin::strings
