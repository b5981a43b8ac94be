#include "services/gateway/cors.h"

#include <algorithm>

#include "absl/strings/str_join.h"

namespace jalin::gateway {

CorsPolicy::CorsPolicy(std::vector<std::string> origins) {
  for (std::string& o : origins) {
    if (o == "*") {
      any_ = true;
    } else if (!o.empty()) {
      while (!o.empty() && o.back() == '/') o.pop_back();
      origins_.push_back(std::move(o));
    }
  }
}

bool CorsPolicy::Allows(absl::string_view origin) const {
  if (origin.empty()) return false;
  return any_ ||
         std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

HeaderList CorsPolicy::ResponseHeaders(absl::string_view origin) const {
  if (!Allows(origin)) return {};
  return {{"Access-Control-Allow-Origin", std::string(origin)},
          {"Access-Control-Expose-Headers", std::string(kExposedHeaders)},
          {"Vary", "Origin"}};
}

HeaderList CorsPolicy::PreflightHeaders(
    absl::string_view origin, const std::vector<std::string>& methods) const {
  if (!Allows(origin)) return {};
  std::vector<std::string> allowed = methods;
  allowed.push_back("OPTIONS");
  return {{"Access-Control-Allow-Origin", std::string(origin)},
          {"Access-Control-Allow-Methods", absl::StrJoin(allowed, ", ")},
          {"Access-Control-Allow-Headers", std::string(kAllowedHeaders)},
          {"Access-Control-Max-Age", "600"},
          {"Vary", "Origin"}};
}

}  // namespace jalin::gateway
