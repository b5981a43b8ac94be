#include "common/api/resource_name.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "common/strings/abbreviate.h"

namespace jalin::api {

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id.front() == '-' || id.back() == '-') {
    return false;
  }
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<std::vector<std::string>> ParseNestedName(
    absl::string_view name, const std::vector<absl::string_view>& collections,
    absl::string_view field) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  std::string shape;
  for (absl::string_view c : collections) absl::StrAppend(&shape, c, "/{id}/");
  if (!shape.empty()) shape.pop_back();
  auto bad = [&]() {
    return InvalidFieldError(std::string(field),
                             absl::StrCat("must look like ", shape, ", got '",
                                          Abbreviate(name), "'"));
  };
  if (parts.size() != 2 * collections.size()) return bad();
  std::vector<std::string> ids;
  for (size_t i = 0; i < collections.size(); ++i) {
    if (parts[2 * i] != collections[i] || !IsValidId(parts[2 * i + 1])) {
      return bad();
    }
    ids.emplace_back(parts[2 * i + 1]);
  }
  return ids;
}

absl::StatusOr<std::string> ParseName(absl::string_view name,
                                      absl::string_view collection,
                                      absl::string_view field) {
  absl::StatusOr<std::vector<std::string>> ids =
      ParseNestedName(name, {collection}, field);
  if (!ids.ok()) return ids.status();
  return (*ids)[0];
}

absl::string_view CollectionOf(absl::string_view name) {
  size_t slash = name.find('/');
  return slash == absl::string_view::npos ? absl::string_view()
                                          : name.substr(0, slash);
}

std::string Abbreviate(absl::string_view value, size_t max_chars) {
  return strings::AbbreviateUtf8(value, max_chars, strings::kNoLimit, "...");
}

}  // namespace jalin::api
