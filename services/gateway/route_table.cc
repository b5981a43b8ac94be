#include "services/gateway/route_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"
#include "jalin/curation/v1/curation_service.pb.h"
#include "jalin/matching/v1/matching_service.pb.h"
#include "jalin/notification/v1/notification_service.pb.h"
#include "jalin/registry/v1/registry_service.pb.h"

namespace jalin::gateway {
namespace {

using google::protobuf::MethodDescriptor;

// The verb and pattern of one HttpRule.
std::pair<std::string, std::string> VerbAndPattern(
    const google::api::HttpRule& rule) {
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      return {"GET", rule.get()};
    case google::api::HttpRule::kPut:
      return {"PUT", rule.put()};
    case google::api::HttpRule::kPost:
      return {"POST", rule.post()};
    case google::api::HttpRule::kDelete:
      return {"DELETE", rule.delete_()};
    case google::api::HttpRule::kPatch:
      return {"PATCH", rule.patch()};
    case google::api::HttpRule::kCustom:
      return {rule.custom().kind(), rule.custom().path()};
    default:
      return {"", ""};
  }
}

absl::StatusOr<Route> MakeRoute(const google::api::HttpRule& rule,
                                const MethodDescriptor* method,
                                const std::string& backend) {
  const std::string where = method->full_name();
  auto [verb, pattern] = VerbAndPattern(rule);
  if (verb.empty() || pattern.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": http binding without a pattern"));
  }
  absl::StatusOr<PathTemplate> path = PathTemplate::Parse(pattern);
  if (!path.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": ", path.status().message()));
  }
  Route r;
  r.http_method = verb;
  r.path = *std::move(path);
  r.method = method;
  r.backend = backend;
  r.grpc_path =
      absl::StrCat("/", method->service()->full_name(), "/", method->name());
  r.label = absl::StrCat(verb, " ", pattern);
  r.body = rule.body();
  r.response_body = rule.response_body();
  const google::protobuf::Descriptor* input = method->input_type();
  for (const PathTemplate::Variable& v : r.path.variables()) {
    absl::StatusOr<FieldPath> f = ResolveFieldPath(input, v.field_path);
    if (!f.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": path variable ", f.status().message()));
    }
    if (f->back()->is_repeated() ||
        f->back()->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": path variable ", v.field_path, " must be a scalar field"));
    }
    r.variable_fields.push_back(*std::move(f));
  }
  if (!r.body.empty() && r.body != "*") {
    absl::StatusOr<FieldPath> f = ResolveFieldPath(input, r.body);
    if (!f.ok() || f->size() != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": body \"", r.body, "\" is not a field of the request"));
    }
    r.body_field = *std::move(f);
  }
  if (!r.response_body.empty()) {
    absl::StatusOr<FieldPath> f =
        ResolveFieldPath(method->output_type(), r.response_body);
    if (!f.ok() || f->size() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": response_body \"", r.response_body,
                       "\" is not a field of the response"));
    }
    r.response_body_field = *std::move(f);
  }
  return r;
}

// HEAD asks for what GET would answer without its body (RFC 9110 §9.3.2):
// a GET route answered with one message takes it too. A stream has no
// length to announce, so HEAD is not one of its methods.
bool TakesHead(const Route& r) {
  return r.http_method == "GET" && !r.method->server_streaming() &&
         !r.method->client_streaming();
}

void AddMethod(absl::string_view method, std::vector<std::string>* methods) {
  if (std::find(methods->begin(), methods->end(), method) == methods->end()) {
    methods->emplace_back(method);
  }
}

}  // namespace

std::vector<ServiceBackend> JalinServices() {
  // Naming each service file's descriptor table links that file, and so its
  // service descriptor, into the binary's generated pool (a static library
  // member nobody references would be left out).
  static const void* const kLinked[] = {
      &descriptor_table_jalin_2fregistry_2fv1_2fregistry_5fservice_2eproto,
      &descriptor_table_jalin_2fmatching_2fv1_2fmatching_5fservice_2eproto,
      &descriptor_table_jalin_2fcuration_2fv1_2fcuration_5fservice_2eproto,
      &descriptor_table_jalin_2fnotification_2fv1_2fnotification_5fservice_2eproto,
  };
  // Stored through a volatile so that the references cannot be dropped.
  const void* const* volatile linked = kLinked;
  (void)linked;
  return {
      {"jalin.registry.v1.RegistryService", "registry"},
      {"jalin.matching.v1.MatchingService", "matching"},
      {"jalin.curation.v1.CurationService", "curation"},
      {"jalin.notification.v1.NotificationService", "notification"},
  };
}

absl::StatusOr<RouteTable> RouteTable::Build(
    const std::vector<ServiceBackend>& services) {
  RouteTable table;
  table.services_ = services;
  const google::protobuf::DescriptorPool* pool =
      google::protobuf::DescriptorPool::generated_pool();
  for (const ServiceBackend& sb : services) {
    const google::protobuf::ServiceDescriptor* service =
        pool->FindServiceByName(sb.service);
    if (service == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown service ", sb.service));
    }
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* m = service->method(i);
      if (!m->options().HasExtension(google::api::http)) {
        return absl::InvalidArgumentError(
            absl::StrCat(m->full_name(), ": no google.api.http binding"));
      }
      const google::api::HttpRule& rule =
          m->options().GetExtension(google::api::http);
      std::vector<const google::api::HttpRule*> rules = {&rule};
      for (const auto& extra : rule.additional_bindings()) {
        rules.push_back(&extra);
      }
      for (const google::api::HttpRule* r : rules) {
        absl::StatusOr<Route> route = MakeRoute(*r, m, sb.backend);
        if (!route.ok()) return route.status();
        table.routes_.push_back(*std::move(route));
      }
    }
  }
  std::stable_sort(table.routes_.begin(), table.routes_.end(),
                   [](const Route& a, const Route& b) {
                     return a.path.Specificity() > b.path.Specificity();
                   });
  return table;
}

RouteTable::Lookup RouteTable::Match(absl::string_view http_method,
                                     const SplitPath& path) const {
  Lookup out;
  for (const Route& r : routes_) {
    std::optional<std::vector<PathTemplate::Binding>> b = r.path.Match(path);
    if (!b.has_value()) continue;
    if (r.http_method == http_method ||
        (http_method == "HEAD" && TakesHead(r))) {
      out.route = &r;
      out.bindings = *std::move(b);
      out.allowed_methods.clear();
      return out;
    }
    AddMethod(r.http_method, &out.allowed_methods);
    if (TakesHead(r)) AddMethod("HEAD", &out.allowed_methods);
  }
  return out;
}

}  // namespace jalin::gateway
