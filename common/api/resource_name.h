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

}  // namespace jalin::api

#endif  // COMMON_API_RESOURCE_NAME_H_
