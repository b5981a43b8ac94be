// The HTTP routes of the gateway, built from the google.api.http
// annotations of every method of the jalin services as compiled into this
// binary (DescriptorPool::generated_pool()). No route is written by hand.
//
// Immutable after Build; thread-safe.

#ifndef SERVICES_GATEWAY_ROUTE_TABLE_H_
#define SERVICES_GATEWAY_ROUTE_TABLE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "services/gateway/field_path.h"
#include "services/gateway/path_template.h"

namespace jalin::gateway {

// A gRPC service the gateway fronts, and the backend that serves it.
struct ServiceBackend {
  // "jalin.registry.v1.RegistryService".
  std::string service;
  // "registry": names the backend (its <name>_address setting).
  std::string backend;
};

// The four jalin services and their backends. Also makes sure their
// descriptors are linked into the binary.
std::vector<ServiceBackend> JalinServices();

struct Route {
  // "GET", "POST", "PATCH", "PUT", "DELETE" or a custom method.
  std::string http_method;
  PathTemplate path;
  // The resolved path of each variable of `path`, in template order.
  std::vector<FieldPath> variable_fields;
  // "" (no body), "*" (the whole request) or a top-level field name.
  std::string body;
  // Resolved `body` when it names a field.
  FieldPath body_field;
  // Field of the response sent as the body; "" for the whole response.
  std::string response_body;
  FieldPath response_body_field;
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string backend;
  // "/jalin.registry.v1.RegistryService/GetRegion".
  std::string grpc_path;
  // "GET /v1/{name=regions/*}": the metrics label.
  std::string label;
};

class RouteTable {
 public:
  // Every binding (and additional binding) of every method of `services`.
  // INVALID_ARGUMENT naming the method when a service is unknown, a method
  // has no binding, or a binding names fields its request lacks.
  static absl::StatusOr<RouteTable> Build(
      const std::vector<ServiceBackend>& services);

  struct Lookup {
    // Null when nothing matched path and method.
    const Route* route = nullptr;
    std::vector<PathTemplate::Binding> bindings;
    // When the path matched but not the method: the methods it allows.
    std::vector<std::string> allowed_methods;
  };
  // The most specific route for `http_method` and `path`. HEAD takes a GET
  // route that answers with one message (not a stream), and is then listed
  // in `allowed_methods` next to GET.
  Lookup Match(absl::string_view http_method, const SplitPath& path) const;

  const std::vector<Route>& routes() const { return routes_; }
  const std::vector<ServiceBackend>& services() const { return services_; }

 private:
  std::vector<ServiceBackend> services_;
  // Most specific first.
  std::vector<Route> routes_;
};

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_ROUTE_TABLE_H_
