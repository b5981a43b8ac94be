#include "common/api/field_mask.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/resource_name.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/field_mask_util.h"

namespace jalin::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::util::FieldMaskUtil;

// True when `path` ("a.b.c") names a field of `d`, descending only through
// singular message fields.
bool PathExists(const Descriptor* d, absl::string_view path) {
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (d == nullptr) return false;
    const FieldDescriptor* f = d->FindFieldByName(std::string(part));
    if (f == nullptr) return false;
    d = (f->type() == FieldDescriptor::TYPE_MESSAGE && !f->is_repeated())
            ? f->message_type()
            : nullptr;
  }
  return true;
}

void PopulatedPaths(const google::protobuf::Message& m,
                    google::protobuf::FieldMask* out) {
  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) out->add_paths(f->name());
}

}  // namespace

void ApplyFieldMask(const google::protobuf::Message& patch,
                    const google::protobuf::FieldMask& mask,
                    const std::vector<std::string>& immutable,
                    google::protobuf::Message* target,
                    FieldViolations& violations, absl::string_view mask_field) {
  auto is_frozen = [&immutable](absl::string_view path) {
    for (const std::string& f : immutable) {
      if (path == f || absl::StartsWith(path, f + ".")) return true;
    }
    return false;
  };
  google::protobuf::FieldMask effective;
  if (mask.paths_size() == 0 ||
      (mask.paths_size() == 1 && mask.paths(0) == "*")) {
    // No mask: every field set in the patch. "*": every field (a full
    // replacement). Identifying and output-only fields are kept either way.
    google::protobuf::FieldMask candidates;
    if (mask.paths_size() == 0) {
      PopulatedPaths(patch, &candidates);
    } else {
      const Descriptor* d = patch.GetDescriptor();
      for (int i = 0; i < d->field_count(); ++i) {
        candidates.add_paths(d->field(i)->name());
      }
    }
    for (const std::string& p : candidates.paths()) {
      if (!is_frozen(p)) effective.add_paths(p);
    }
  } else {
    const size_t before = violations.size();
    for (int i = 0; i < mask.paths_size(); ++i) {
      const std::string& path = mask.paths(i);
      const std::string field = absl::StrCat(mask_field, ".paths[", i, "]");
      if (!PathExists(patch.GetDescriptor(), path)) {
        violations.Add(field,
                       absl::StrCat("'", Abbreviate(path), "' is not a field"));
      } else if (is_frozen(path)) {
        violations.Add(
            field, absl::StrCat("'", Abbreviate(path), "' cannot be changed"));
      }
    }
    if (violations.size() != before) return;
    effective = mask;
  }
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, effective, options, target);
}

}  // namespace jalin::api
