// AIP-122 resource names: "clusters/{id}", "campaigns/{c}/submissions/{s}".

#ifndef COMMON_API_RESOURCE_NAME_H_
#define COMMON_API_RESOURCE_NAME_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jalin::api {

// True for ids jalin issues or accepts from clients (AIP-122/133): 1 to 63
// characters of lower-case letters, digits and '-', starting with a letter
// or digit, not ending with '-'.
bool IsValidId(absl::string_view id);

// The id in "<collection>/<id>"; INVALID_ARGUMENT naming `field` when
// `name` has another shape.
//   ParseName("clusters/abc", "clusters", "cluster.name") -> "abc"
absl::StatusOr<std::string> ParseName(absl::string_view name,
                                      absl::string_view collection,
                                      absl::string_view field);

// The ids of a nested name, checked against `collections`:
//   ParseNestedName("campaigns/c1/submissions/s9",
//                   {"campaigns", "submissions"}, "name") -> {"c1", "s9"}
absl::StatusOr<std::vector<std::string>> ParseNestedName(
    absl::string_view name, const std::vector<absl::string_view>& collections,
    absl::string_view field);

// The collection of a name: "enterprises" for "enterprises/x".
absl::string_view CollectionOf(absl::string_view name);

// Most characters of a client's value that an error message repeats.
inline constexpr size_t kMaxEchoedChars = 64;

// `value`, a client-supplied string, as an error message or field
// violation may repeat it: unchanged when at most `max_chars` UTF-8 code
// points long, otherwise its first `max_chars` code points and "...". Every
// message that echoes client input goes through this, so that a long value
// cannot make an error larger than the metadata a client accepts.
//   Abbreviate("regions/33.98") -> "regions/33.98"
std::string Abbreviate(absl::string_view value,
                       size_t max_chars = kMaxEchoedChars);

}  // namespace jalin::api

#endif  // COMMON_API_RESOURCE_NAME_H_
