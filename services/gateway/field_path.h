// Dotted field paths ("cluster.name", "listing.quantity.amount") resolved
// against a message type, by proto names or JSON (lowerCamel) names.

#ifndef SERVICES_GATEWAY_FIELD_PATH_H_
#define SERVICES_GATEWAY_FIELD_PATH_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace jalin::gateway {

using FieldPath = std::vector<const google::protobuf::FieldDescriptor*>;

// Every segment but the last must be a singular message field. NOT_FOUND
// naming the first unknown segment; INVALID_ARGUMENT when a segment before
// the last is not a singular message.
absl::StatusOr<FieldPath> ResolveFieldPath(
    const google::protobuf::Descriptor* type, absl::string_view path);

// "cluster.name" as proto names, whatever names `path` was written with.
std::string ProtoPathName(const FieldPath& path);

// The message holding the last field of `path` inside `root`, created on
// the way (mutable_ semantics).
google::protobuf::Message* MutableParent(google::protobuf::Message* root,
                                         const FieldPath& path);

// True when path `a` equals `b` or one is a prefix of the other
// ("cluster" and "cluster.name").
bool Overlaps(const FieldPath& a, const FieldPath& b);

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_FIELD_PATH_H_
