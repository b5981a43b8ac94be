// AIP-134 updates with AIP-161 field masks.

#ifndef COMMON_API_FIELD_MASK_H_
#define COMMON_API_FIELD_MASK_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/status/errors.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace jalin::api {

// Copies the fields named by `mask` from `patch` onto `target` (same message
// type); a named field that is unset in `patch` is cleared on `target`
// (AIP-134). Repeated and message fields named are replaced, not merged.
// An empty mask means every field that is set in `patch`; "*" means every
// field (a full replacement). Fields in `immutable` (identifying and
// output-only fields such as "name", "meta") are never copied.
//
// Explicit paths that do not exist or are immutable are violations of
// "<mask_field>.paths[i]"; nothing is applied if there is any.
void ApplyFieldMask(const google::protobuf::Message& patch,
                    const google::protobuf::FieldMask& mask,
                    const std::vector<std::string>& immutable,
                    google::protobuf::Message* target,
                    FieldViolations& violations,
                    absl::string_view mask_field = "update_mask");

}  // namespace jalin::api

#endif  // COMMON_API_FIELD_MASK_H_
