// The resources jalin's services expose, found in their descriptors: for
// each List method with one repeated message field in its answer there is a
// collection ("clusters", "supplyLinks", "notifications"), and the Get
// method returning that message, if any. New resources in the protos show
// up in `jalinctl get` and `list` without code here.

#ifndef TOOLS_JALINCTL_RESOURCES_H_
#define TOOLS_JALINCTL_RESOURCES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "tools/jalinctl/connection.h"

namespace jalin::ctl {

struct Resource {
  // The collection: "clusters", "supplyLinks".
  std::string collection;
  // The resource message: jalin.registry.v1.Cluster.
  const google::protobuf::Descriptor* type = nullptr;
  const google::protobuf::ServiceDescriptor* service = nullptr;
  // GetCluster, or null when the resource has no Get method.
  const google::protobuf::MethodDescriptor* get = nullptr;
  // ListClusters.
  const google::protobuf::MethodDescriptor* list = nullptr;
  // The repeated field of the List answer holding the resources.
  const google::protobuf::FieldDescriptor* list_field = nullptr;
  // Field paths shown as table columns.
  std::vector<std::string> columns;
};

// Every resource, in service order (registry, matching, curation,
// notification). Built once; thread-safe.
const std::vector<Resource>& Resources();

// By collection ("clusters", "cluster", "supply-links" in any case) or by
// resource name ("clusters/abc", "recipients/x/notifications/y": the
// collection before the last id). Null when unknown.
const Resource* FindResource(absl::string_view collection_or_name);

// The address of the service that serves `resource`.
const std::string& AddressOf(const Connection& connection,
                             const Resource& resource);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_RESOURCES_H_
