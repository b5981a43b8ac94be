#include "tools/jalinctl/proto_format.h"

#include <cmath>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/type/date.pb.h"
#include "tools/jalinctl/progress.h"
#include "tools/jalinctl/proto_text.h"

namespace jalin::ctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// "15.000.000": rupiah amounts as Indonesians write them.
std::string Rupiah(int64_t amount) {
  std::string s = WithThousands(amount);
  for (char& c : s) {
    if (c == ',') c = '.';
  }
  return absl::StrCat("Rp ", s);
}

int64_t IntField(const Message& m, absl::string_view name) {
  const FieldDescriptor* f =
      m.GetDescriptor()->FindFieldByName(std::string(name));
  if (f == nullptr) return 0;
  const Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return r->GetInt32(m, f);
    case FieldDescriptor::CPPTYPE_INT64:
      return r->GetInt64(m, f);
    case FieldDescriptor::CPPTYPE_ENUM:
      return r->GetEnumValue(m, f);
    default:
      return 0;
  }
}

const Message* SubMessage(const Message& m, absl::string_view name) {
  const FieldDescriptor* f =
      m.GetDescriptor()->FindFieldByName(std::string(name));
  if (f == nullptr || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
      f->is_repeated() || !m.GetReflection()->HasField(m, f)) {
    return nullptr;
  }
  return &m.GetReflection()->GetMessage(m, f);
}

std::string EnumNameOf(const Message& m, absl::string_view field) {
  const FieldDescriptor* f =
      m.GetDescriptor()->FindFieldByName(std::string(field));
  if (f == nullptr || f->enum_type() == nullptr) return "";
  const int v = m.GetReflection()->GetEnumValue(m, f);
  return v == 0 ? "" : FormatEnum(f->enum_type(), v);
}

// The natural text of messages people know as one value; nothing for
// others.
std::optional<std::string> NaturalText(const Message& m) {
  const std::string& type = m.GetDescriptor()->full_name();
  if (type == "google.protobuf.Timestamp") {
    return FormatTimestamp(static_cast<const google::protobuf::Timestamp&>(m));
  }
  if (type == "google.type.Date") {
    return FormatDate(static_cast<const google::type::Date&>(m));
  }
  if (type == "jalin.type.v1.Rupiah") return Rupiah(IntField(m, "amount"));
  if (type == "jalin.type.v1.Quantity") {
    const Reflection* r = m.GetReflection();
    const double amount =
        r->GetDouble(m, m.GetDescriptor()->FindFieldByName("amount"));
    std::string text = FormatNumber(std::round(amount * 1000) / 1000);
    const std::string unit = EnumNameOf(m, "unit");
    const std::string period = EnumNameOf(m, "period");
    if (!unit.empty()) absl::StrAppend(&text, " ", unit);
    if (!period.empty() && period != "ONCE")
      absl::StrAppend(&text, "/", period);
    return text;
  }
  if (type == "jalin.type.v1.PriceRange") {
    const Message* min = SubMessage(m, "min");
    const Message* max = SubMessage(m, "max");
    std::string text;
    if (min != nullptr && max != nullptr) {
      text = absl::StrCat(Rupiah(IntField(*min, "amount")), "–",
                          Rupiah(IntField(*max, "amount")).substr(3));
    } else if (min != nullptr) {
      text = absl::StrCat("from ", Rupiah(IntField(*min, "amount")));
    } else if (max != nullptr) {
      text = absl::StrCat("up to ", Rupiah(IntField(*max, "amount")));
    }
    const std::string unit = EnumNameOf(m, "per_unit");
    if (!unit.empty()) absl::StrAppend(&text, "/", unit);
    return text;
  }
  if (type == "jalin.type.v1.GeoPoint") {
    const Reflection* r = m.GetReflection();
    const Descriptor* d = m.GetDescriptor();
    return absl::StrCat(
        FormatNumber(r->GetDouble(m, d->FindFieldByName("latitude"))), ", ",
        FormatNumber(r->GetDouble(m, d->FindFieldByName("longitude"))));
  }
  if (type == "jalin.matching.v1.LocalizedText") {
    const Reflection* r = m.GetReflection();
    std::string id = r->GetString(m, m.GetDescriptor()->FindFieldByName("id"));
    if (!id.empty()) return id;
    return r->GetString(m, m.GetDescriptor()->FindFieldByName("en"));
  }
  return std::nullopt;
}

bool IsSet(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  if (f->is_repeated()) return r->FieldSize(m, f) > 0;
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    return r->HasField(m, f);
  }
  // proto3 scalars: set when not the default.
  return r->HasField(m, f);
}

void Flatten(const Message& m, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>* out) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (!IsSet(m, f)) continue;
    const std::string path =
        prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      std::vector<std::string> values;
      const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
      for (int j = 0; j < n; ++j) {
        values.push_back(ValueText(m, f, f->is_repeated() ? j : -1));
      }
      out->emplace_back(path, absl::StrJoin(values, ", "));
      continue;
    }
    if (!f->is_repeated()) {
      const Message& sub = r->GetMessage(m, f);
      if (auto text = NaturalText(sub)) {
        out->emplace_back(path, *text);
      } else {
        Flatten(sub, path, out);
      }
      continue;
    }
    for (int j = 0; j < r->FieldSize(m, f); ++j) {
      const Message& sub = r->GetRepeatedMessage(m, f, j);
      const std::string item = absl::StrCat(path, "[", j, "]");
      if (auto text = NaturalText(sub)) {
        out->emplace_back(item, *text);
      } else {
        Flatten(sub, item, out);
      }
    }
  }
}

// Values at `path` below `m`, in order.
void Collect(const Message& m, absl::string_view path,
             std::vector<std::string>* out) {
  const size_t dot = path.find('.');
  const std::string head(path.substr(0, dot));
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(head);
  if (f == nullptr) return;
  const Reflection* r = m.GetReflection();
  if (dot == absl::string_view::npos) {
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        out->push_back(ValueText(m, f, i));
      }
    } else if (IsSet(m, f)) {
      out->push_back(ValueText(m, f, -1));
    }
    return;
  }
  if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return;
  const absl::string_view rest = path.substr(dot + 1);
  if (f->is_repeated()) {
    for (int i = 0; i < r->FieldSize(m, f); ++i) {
      Collect(r->GetRepeatedMessage(m, f, i), rest, out);
    }
  } else if (r->HasField(m, f)) {
    Collect(r->GetMessage(m, f), rest, out);
  }
}

}  // namespace

std::string ValueText(const Message& m, const FieldDescriptor* f, int index) {
  const Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r->GetRepeatedInt32(m, f, index)
                              : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(rep ? r->GetRepeatedInt64(m, f, index)
                              : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r->GetRepeatedUInt32(m, f, index)
                              : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r->GetRepeatedUInt64(m, f, index)
                              : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      const double v =
          rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f);
      return FormatNumber(std::round(v * 1000) / 1000);
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const double v =
          rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f);
      return FormatNumber(std::round(v * 1000) / 1000);
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return FormatEnum(
          f->enum_type(),
          rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f));
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& sub =
          rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f);
      if (auto text = NaturalText(sub)) return *text;
      return ToJson(sub, /*pretty=*/false);
    }
  }
  return "";
}

std::string FieldText(const Message& message, absl::string_view path) {
  std::vector<std::string> values;
  Collect(message, path, &values);
  return absl::StrJoin(values, ", ");
}

std::vector<std::pair<std::string, std::string>> FlattenFields(
    const Message& message) {
  std::vector<std::pair<std::string, std::string>> out;
  Flatten(message, "", &out);
  return out;
}

std::string ToJson(const Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, options)
           .ok()) {
    return "{}";
  }
  if (pretty && !out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace jalin::ctl
