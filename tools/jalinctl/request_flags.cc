#include "tools/jalinctl/request_flags.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/timestamp.pb.h"
#include "tools/jalinctl/proto_text.h"

namespace jalin::ctl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool Supported(const FieldDescriptor* f) {
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    return !f->is_repeated() &&
           f->message_type()->full_name() == "google.protobuf.Timestamp";
  }
  return true;
}

// "33", "33.13": a region code.
bool IsRegionCode(absl::string_view s) {
  auto two_digits = [](absl::string_view p) {
    return p.size() == 2 && absl::ascii_isdigit(p[0]) &&
           absl::ascii_isdigit(p[1]);
  };
  if (s.size() == 2) return two_digits(s);
  return s.size() == 5 && s[2] == '.' && two_digits(s.substr(0, 2)) &&
         two_digits(s.substr(3));
}

// Sets one value (for repeated fields: adds it).
absl::Status SetOne(Message* m, const FieldDescriptor* f,
                    const std::string& text) {
  const Reflection* r = m->GetReflection();
  const bool rep = f->is_repeated();
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", f->name(), "=", text, ": ", why));
  };
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v = ExpandName(f, text);
      rep ? r->AddString(m, f, v) : r->SetString(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64: {
      int64_t v;
      if (!absl::SimpleAtoi(text, &v)) return bad("not a whole number");
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_INT32:
          rep ? r->AddInt32(m, f, static_cast<int32_t>(v))
              : r->SetInt32(m, f, static_cast<int32_t>(v));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          rep ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          rep ? r->AddUInt32(m, f, static_cast<uint32_t>(v))
              : r->SetUInt32(m, f, static_cast<uint32_t>(v));
          break;
        default:
          rep ? r->AddUInt64(m, f, static_cast<uint64_t>(v))
              : r->SetUInt64(m, f, static_cast<uint64_t>(v));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!absl::SimpleAtod(text, &v)) return bad("not a number");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        rep ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
      } else {
        rep ? r->AddFloat(m, f, static_cast<float>(v))
            : r->SetFloat(m, f, static_cast<float>(v));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (!absl::SimpleAtob(text, &v)) return bad("not true or false");
      rep ? r->AddBool(m, f, v) : r->SetBool(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      std::optional<int> v = ParseEnum(f->enum_type(), text);
      if (!v) return bad(absl::StrCat("one of ", EnumChoices(f->enum_type())));
      rep ? r->AddEnumValue(m, f, *v) : r->SetEnumValue(m, f, *v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      google::protobuf::Timestamp ts;
      if (!ParseTimestamp(text, &ts)) {
        return bad("not a date (YYYY-MM-DD) or an RFC 3339 time");
      }
      r->MutableMessage(m, f)->CopyFrom(ts);
      return absl::OkStatus();
    }
  }
  return bad("unsupported field");
}

}  // namespace

std::string ExpandName(const FieldDescriptor* field, const std::string& value) {
  if (IsRegionCode(value)) return RegionName(value);
  if (field->name() == "category" || field->name() == "sector" ||
      field->name() == "categories") {
    return CategoryName(value);
  }
  return value;
}

RequestFlags::RequestFlags(const google::protobuf::Descriptor* request,
                           const std::vector<std::string>& skip) {
  for (int i = 0; i < request->field_count(); ++i) {
    const FieldDescriptor* f = request->field(i);
    if (!Supported(f) ||
        std::find(skip.begin(), skip.end(), f->name()) != skip.end()) {
      continue;
    }
    entries_.push_back({f, ""});
  }
}

void RequestFlags::AddFlags(Config& config) {
  for (Entry& e : entries_) {
    std::string help = absl::StrCat("sets ", e.field->containing_type()->name(),
                                    ".", e.field->name());
    if (e.field->enum_type() != nullptr) {
      absl::StrAppend(&help, ": ", EnumChoices(e.field->enum_type()));
    }
    if (e.field->is_repeated()) absl::StrAppend(&help, " (comma-separated)");
    config.AddString(e.field->name(), &e.value, help);
  }
}

absl::Status RequestFlags::Apply(Message* request) const {
  for (const Entry& e : entries_) {
    if (e.value.empty()) continue;
    if (e.field->is_repeated()) {
      for (absl::string_view part :
           absl::StrSplit(e.value, ',', absl::SkipEmpty())) {
        absl::Status s = SetOne(request, e.field,
                                std::string(absl::StripAsciiWhitespace(part)));
        if (!s.ok()) return s;
      }
    } else {
      absl::Status s = SetOne(request, e.field, e.value);
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace jalin::ctl
