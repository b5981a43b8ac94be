#include "services/notification/filter.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/auth/policy.h"
#include "common/regions/region_code.h"

namespace jalin::notification {
namespace {

constexpr int kMaxValuesPerField = 100;

bool IsEventTypePattern(absl::string_view p) {
  if (p.empty() || p.size() > 200) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    const char ch = p[i];
    if (ch == '*') {
      if (i + 1 != p.size()) return false;  // only trailing
      continue;
    }
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' ||
          ch == '_' || ch == '-')) {
      return false;
    }
  }
  return true;
}

void CheckCount(int n, const std::string& field, FieldViolations& v) {
  if (n > kMaxValuesPerField) {
    v.Add(field, absl::StrCat("at most ", kMaxValuesPerField, " values"));
  }
}

bool Contains(const std::vector<std::string>& sorted, const std::string& x) {
  return std::binary_search(sorted.begin(), sorted.end(), x);
}

}  // namespace

bool EventTypeMatches(absl::string_view pattern, absl::string_view type) {
  if (absl::EndsWith(pattern, "*")) {
    return absl::StartsWith(type, pattern.substr(0, pattern.size() - 1));
  }
  return pattern == type;
}

bool RegionWithin(absl::string_view region_code,
                  absl::string_view filter_code) {
  if (!absl::StartsWith(region_code, filter_code)) return false;
  return region_code.size() == filter_code.size() ||
         region_code[filter_code.size()] == '.';
}

void ValidateFilter(const v1::Filter& filter, absl::string_view field,
                    FieldViolations& v) {
  const std::string f(field);
  if (filter.event_types().empty() && filter.regions().empty() &&
      filter.clusters().empty() && filter.categories().empty()) {
    v.Add(f, "set at least one of event_types, regions, clusters, categories");
    return;
  }
  CheckCount(filter.event_types_size(), f + ".event_types", v);
  CheckCount(filter.regions_size(), f + ".regions", v);
  CheckCount(filter.clusters_size(), f + ".clusters", v);
  CheckCount(filter.categories_size(), f + ".categories", v);
  for (int i = 0; i < filter.event_types_size(); ++i) {
    if (!IsEventTypePattern(filter.event_types(i))) {
      v.Add(absl::StrCat(f, ".event_types[", i, "]"),
            "must be an event type (\"jalin.matching.proposal.agreed\") or "
            "a prefix ending in \"*\"");
    }
  }
  for (int i = 0; i < filter.regions_size(); ++i) {
    const std::string& r = filter.regions(i);
    if (!absl::StartsWith(r, "regions/") ||
        regions::CodeDepth(r.substr(8)) == 0) {
      v.Add(absl::StrCat(f, ".regions[", i, "]"),
            "must be \"regions/{code}\", e.g. \"regions/33\" or "
            "\"regions/33.13\"");
    }
  }
  for (int i = 0; i < filter.clusters_size(); ++i) {
    if (!api::ParseName(filter.clusters(i), "clusters", "").ok()) {
      v.Add(absl::StrCat(f, ".clusters[", i, "]"), "must be \"clusters/{id}\"");
    }
  }
  for (int i = 0; i < filter.categories_size(); ++i) {
    if (!api::ParseName(filter.categories(i), "categories", "").ok()) {
      v.Add(absl::StrCat(f, ".categories[", i, "]"),
            "must be \"categories/{id}\"");
    }
  }
}

absl::Status ScopeFilter(const auth::Principal& principal, v1::Filter& filter) {
  if (principal.IsGlobal()) return absl::OkStatus();
  if (principal.regions.empty()) {
    return auth::PermissionDenied(
        "a filter needs a region scope: the caller's token has none");
  }
  if (filter.regions().empty()) {
    for (const std::string& r : principal.regions) {
      filter.add_regions(absl::StrCat("regions/", auth::RegionCode(r)));
    }
    return absl::OkStatus();
  }
  for (const std::string& r : filter.regions()) {
    if (!principal.CoversRegion(r)) {
      return auth::PermissionDenied(absl::StrCat(
          "region ", api::Abbreviate(r), " is outside the caller's scope"));
    }
  }
  return absl::OkStatus();
}

bool FilterMatches(const v1::Filter& filter, absl::string_view type,
                   const EventFacts& facts) {
  if (!filter.event_types().empty() &&
      std::none_of(
          filter.event_types().begin(), filter.event_types().end(),
          [&](const std::string& p) { return EventTypeMatches(p, type); })) {
    return false;
  }
  if (!filter.regions().empty() &&
      std::none_of(filter.regions().begin(), filter.regions().end(),
                   [&](const std::string& r) {
                     const std::string code = auth::RegionCode(r);
                     return std::any_of(facts.regions.begin(),
                                        facts.regions.end(),
                                        [&](const std::string& e) {
                                          return RegionWithin(e, code);
                                        });
                   })) {
    return false;
  }
  if (!filter.clusters().empty() &&
      std::none_of(
          filter.clusters().begin(), filter.clusters().end(),
          [&](const std::string& c) { return Contains(facts.clusters, c); })) {
    return false;
  }
  if (!filter.categories().empty() &&
      std::none_of(filter.categories().begin(), filter.categories().end(),
                   [&](const std::string& c) {
                     return Contains(facts.categories, c);
                   })) {
    return false;
  }
  return true;
}

}  // namespace jalin::notification
