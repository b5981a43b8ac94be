// HTTP/JSON ⇄ protobuf for one route: builds the request message from the
// path variables, the query string and the JSON body, following the
// route's google.api.http binding; prints responses as proto3 JSON
// (lowerCamel names).
//
// Bad input fails with INVALID_ARGUMENT and one google.rpc.BadRequest
// naming every violation (the field is "body", "body line 3", a query
// parameter or a path variable). Stateless and thread-safe.

#ifndef SERVICES_GATEWAY_TRANSCODER_H_
#define SERVICES_GATEWAY_TRANSCODER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/gateway/route_table.h"

namespace jalin::gateway {

struct HttpInput {
  std::vector<PathTemplate::Binding> bindings;
  // Raw query string without '?'.
  absl::string_view query;
  absl::string_view body;
};

// The request message of a unary or server-streaming route.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> BuildRequest(
    const Route& route, const HttpInput& input);

// The request messages of a client-streaming route: the body holds one JSON
// request per line (NDJSON; blank lines skipped), each completed with the
// path variables and query parameters.
absl::StatusOr<std::vector<std::unique_ptr<google::protobuf::Message>>>
BuildStreamRequests(const Route& route, const HttpInput& input);

// A new, empty message of `type` (the generated class when linked).
std::unique_ptr<google::protobuf::Message> NewMessage(
    const google::protobuf::Descriptor* type);

// The JSON body of a response (its response_body field when the binding
// names one). INTERNAL if the message cannot be printed.
absl::StatusOr<std::string> ResponseToJson(const Route& route,
                                           const google::protobuf::Message& m);

// The value of the string field `field` of `m`, "" if it has none.
std::string StringField(const google::protobuf::Message& m,
                        absl::string_view field);
// Sets the string field `field` of `m` if it has one; returns whether it did.
bool SetStringField(google::protobuf::Message* m, absl::string_view field,
                    const std::string& value);

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_TRANSCODER_H_
