// The checks the verification queue runs on registry records: name
// similarity (for near-duplicates in one village) and completeness.
//
// Pure functions; thread-safe.

#ifndef SERVICES_CURATION_RECORD_CHECKS_H_
#define SERVICES_CURATION_RECORD_CHECKS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "jalin/registry/v1/enterprise.pb.h"

namespace jalin::curation {

// A business name folded for comparison: lower case, punctuation as
// spaces, and without legal forms and titles that do not tell businesses
// apart ("CV", "UD", "PT", "Koperasi", "UMKM", "Bu", "Pak", ...).
//   NameKey("UD. Batik Tulis Bu Sri") == "batik tulis sri"
std::string NameKey(absl::string_view display_name);

// 1 for equal keys, 0 for nothing in common: one minus the edit distance
// over the longer length.
double NameSimilarity(absl::string_view a_key, absl::string_view b_key);

// Two name keys that most likely name the same business: the same words in
// any order, or a similarity of at least kNearDuplicateSimilarity (keys of
// at least four characters).
inline constexpr double kNearDuplicateSimilarity = 0.85;
bool NearDuplicateNames(absl::string_view a_key, absl::string_view b_key);

// Fields a record needs for curation and matching that `e` lacks, as field
// paths: "display_name", "scale", "categories", "location.region",
// "location.district_code".
std::vector<std::string> MissingFields(
    const jalin::registry::v1::Enterprise& e);

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_RECORD_CHECKS_H_
