#include "services/curation/record_checks.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace jalin::curation {
namespace {

// Legal forms, group labels and honorifics.
const absl::flat_hash_set<std::string>& Noise() {
  static const auto* words = new absl::flat_hash_set<std::string>{
      "cv",    "pt",   "ud",  "pd",  "tbk",    "koperasi", "kop",
      "ukm",   "umkm", "ikm", "kub", "bumdes", "ibu",      "bu",
      "bapak", "pak",  "hj",  "h",   "mbak",   "mas"};
  return *words;
}

std::vector<std::string> Words(absl::string_view key) {
  return absl::StrSplit(key, ' ', absl::SkipEmpty());
}

}  // namespace

std::string NameKey(absl::string_view display_name) {
  std::string folded;
  folded.reserve(display_name.size());
  for (char c : display_name) {
    const unsigned char u = static_cast<unsigned char>(c);
    // Bytes of multi-byte UTF-8 characters are kept as they are.
    folded.push_back(
        u >= 0x80 || absl::ascii_isalnum(u) ? absl::ascii_tolower(u) : ' ');
  }
  std::vector<std::string> kept;
  for (auto& w : Words(folded)) {
    if (!Noise().contains(w)) kept.push_back(std::move(w));
  }
  return absl::StrJoin(kept, " ");
}

double NameSimilarity(absl::string_view a, absl::string_view b) {
  if (a == b) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1,
                         prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  const double longest = static_cast<double>(std::max(a.size(), b.size()));
  return 1.0 - static_cast<double>(prev[b.size()]) / longest;
}

bool NearDuplicateNames(absl::string_view a, absl::string_view b) {
  if (a.empty() || b.empty()) return false;
  std::vector<std::string> wa = Words(a), wb = Words(b);
  std::sort(wa.begin(), wa.end());
  std::sort(wb.begin(), wb.end());
  if (wa == wb) return true;
  if (a.size() < 4 || b.size() < 4) return false;
  return NameSimilarity(a, b) >= kNearDuplicateSimilarity;
}

std::vector<std::string> MissingFields(
    const jalin::registry::v1::Enterprise& e) {
  std::vector<std::string> missing;
  if (absl::StripAsciiWhitespace(e.display_name()).empty()) {
    missing.push_back("display_name");
  }
  if (e.scale() == jalin::registry::v1::SCALE_UNSPECIFIED) {
    missing.push_back("scale");
  }
  if (e.categories_size() == 0) missing.push_back("categories");
  if (e.location().region().empty()) missing.push_back("location.region");
  if (e.location().district_code().empty()) {
    missing.push_back("location.district_code");
  }
  return missing;
}

}  // namespace jalin::curation
