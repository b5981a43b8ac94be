// Command-line flags for the fields of a request message, found by
// reflection: `jalinctl list enterprises --region 33.13 --scale mikro`
// sets ListEnterprisesRequest.region and .scale.

#ifndef TOOLS_JALINCTL_REQUEST_FLAGS_H_
#define TOOLS_JALINCTL_REQUEST_FLAGS_H_

#include <deque>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/config/config.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace jalin::ctl {

// Not thread-safe.
class RequestFlags {
 public:
  // One flag for each field of `request` that is a string, number, bool,
  // enum, Timestamp or a list of those, except the fields named in `skip`.
  RequestFlags(const google::protobuf::Descriptor* request,
               const std::vector<std::string>& skip);

  // Registers the flags; `this` must outlive the Parse.
  void AddFlags(Config& config);

  // Sets on `request` the fields whose flags were given. Region codes may be
  // short ("33.13" for "regions/33.13"), categories too ("jamu"), enums in
  // any case, lists comma-separated. INVALID_ARGUMENT naming the flag when a
  // value does not fit its field.
  absl::Status Apply(google::protobuf::Message* request) const;

  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    const google::protobuf::FieldDescriptor* field;
    std::string value;
  };
  // A deque: Config keeps pointers to the values.
  std::deque<Entry> entries_;
};

// A string field's value with short forms expanded: "33.13" ->
// "regions/33.13"; for fields named category or sector, "jamu" ->
// "categories/jamu".
std::string ExpandName(const google::protobuf::FieldDescriptor* field,
                       const std::string& value);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_REQUEST_FLAGS_H_
