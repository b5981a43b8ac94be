// The OpenAPI 3 document of the HTTP API, generated from the route table
// (the google.api.http bindings) and the message descriptors: paths with
// their parameters, request bodies, responses, and a schema for every
// message and enum reached. Served as /openapi.json so that integrators
// can generate clients.

#ifndef SERVICES_GATEWAY_OPENAPI_H_
#define SERVICES_GATEWAY_OPENAPI_H_

#include <string>

#include "services/gateway/route_table.h"

namespace jalin::gateway {

// The OpenAPI path of a template and the names it gives the template's
// wildcards: "/v1/{name=campaigns/*/submissions/*}" becomes
// "/v1/campaigns/{campaign}/submissions/{submission}".
struct OpenApiPath {
  std::string path;
  struct Parameter {
    std::string name;
    // The request field the wildcard belongs to, and the field's full
    // pattern ("campaigns/{campaign}/submissions/{submission}").
    std::string field;
    std::string pattern;
  };
  std::vector<Parameter> parameters;
};
OpenApiPath ToOpenApiPath(const PathTemplate& path);

// The whole document as JSON text.
std::string BuildOpenApi(const RouteTable& routes, const std::string& version);

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_OPENAPI_H_
