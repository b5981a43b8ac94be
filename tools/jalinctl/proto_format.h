// Proto messages as text for people: table cells, a "field: value" view of
// one resource, and JSON for scripts.

#ifndef TOOLS_JALINCTL_PROTO_FORMAT_H_
#define TOOLS_JALINCTL_PROTO_FORMAT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace jalin::ctl {

// The value at a dotted field path as one cell: "location.region",
// "certifications.kind" (a repeated message maps the rest of the path over
// its elements). Lists are joined with ", "; enums by name; well-known
// values read naturally: a Timestamp as RFC 3339 (or a date), a Quantity as
// "2 TON/MONTH", a Rupiah as "Rp 15,000,000", a LocalizedText in
// Indonesian. Empty when unset or when the path does not exist.
std::string FieldText(const google::protobuf::Message& message,
                      absl::string_view path);

// The text of one value of field `f` of `message` (`index` for repeated
// fields, -1 otherwise).
std::string ValueText(const google::protobuf::Message& message,
                      const google::protobuf::FieldDescriptor* f, int index);

// Every set field, depth first, as (path, text): ("location.region",
// "regions/33.13"), ("certifications[0].kind", "HALAL"). Messages with a
// natural text form stay one line.
std::vector<std::pair<std::string, std::string>> FlattenFields(
    const google::protobuf::Message& message);

// Canonical proto3 JSON (lowerCamelCase names, enums by name); indented
// when `pretty`, else one line.
std::string ToJson(const google::protobuf::Message& message, bool pretty);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_PROTO_FORMAT_H_
