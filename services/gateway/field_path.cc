#include "services/gateway/field_path.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/resource_name.h"
#include "google/protobuf/message.h"

namespace jalin::gateway {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

namespace {

const FieldDescriptor* FindByJsonName(const Descriptor* type,
                                      absl::string_view name) {
  for (int i = 0; i < type->field_count(); ++i) {
    if (type->field(i)->json_name() == name) return type->field(i);
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<FieldPath> ResolveFieldPath(const Descriptor* type,
                                           absl::string_view path) {
  FieldPath out;
  const Descriptor* current = type;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (current == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", api::Abbreviate(path), "\": \"", out.back()->name(),
          "\" is not a message field and has no sub-fields"));
    }
    const FieldDescriptor* f = current->FindFieldByName(std::string(part));
    if (f == nullptr) f = FindByJsonName(current, part);
    if (f == nullptr) {
      return absl::NotFoundError(absl::StrCat(
          "\"", api::Abbreviate(path), "\": ", current->full_name(),
          " has no field \"", api::Abbreviate(part), "\""));
    }
    if (!out.empty() && (out.back()->is_repeated() ||
                         out.back()->type() != FieldDescriptor::TYPE_MESSAGE)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", api::Abbreviate(path), "\": \"", out.back()->name(),
          "\" is not a singular message field"));
    }
    out.push_back(f);
    current = (f->type() == FieldDescriptor::TYPE_MESSAGE && !f->is_repeated())
                  ? f->message_type()
                  : nullptr;
  }
  return out;
}

std::string ProtoPathName(const FieldPath& path) {
  return absl::StrJoin(path, ".",
                       [](std::string* out, const FieldDescriptor* f) {
                         out->append(f->name());
                       });
}

google::protobuf::Message* MutableParent(google::protobuf::Message* root,
                                         const FieldPath& path) {
  google::protobuf::Message* m = root;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    m = m->GetReflection()->MutableMessage(m, path[i]);
  }
  return m;
}

bool Overlaps(const FieldPath& a, const FieldPath& b) {
  const size_t n = std::min(a.size(), b.size());
  return std::equal(a.begin(), a.begin() + n, b.begin());
}

}  // namespace jalin::gateway
