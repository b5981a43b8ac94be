#include "services/gateway/transcoder.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/api/resource_name.h"
#include "common/status/errors.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "services/gateway/percent.h"

namespace jalin::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

google::protobuf::util::JsonParseOptions StrictJson() {
  google::protobuf::util::JsonParseOptions o;
  o.ignore_unknown_fields = false;
  o.case_insensitive_enum_parsing = false;
  return o;
}

// Strict proto3 JSON parsing, with protobuf's status turned into absl's.
absl::Status ParseJson(absl::string_view json, Message* m) {
  google::protobuf::util::Status s =
      google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(json.data(), json.size()), m,
          StrictJson());
  if (s.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      std::string(s.message().data(), s.message().size()));
}

// "memberCount" → "member_count"; paths already in snake_case stay.
std::string SnakeCase(absl::string_view camel) {
  std::string out;
  for (char c : camel) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c))) {
      out.push_back('_');
      out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool IsWrapper(const Descriptor* d) {
  return d->file()->name() == "google/protobuf/wrappers.proto";
}

std::string TypeName(const FieldDescriptor* f) {
  if (f->type() == FieldDescriptor::TYPE_ENUM) {
    return absl::StrCat("enum ", f->enum_type()->full_name());
  }
  if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
    return f->message_type()->full_name();
  }
  return f->type_name();
}

// Sets (or, for repeated fields, adds) one value given as text, as in a
// query string or path. Returns an error describing what was expected.
absl::Status SetFromText(Message* parent, const FieldDescriptor* f,
                         absl::string_view text) {
  const Reflection* r = parent->GetReflection();
  const bool rep = f->is_repeated();
  auto bad = [&]() {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", api::Abbreviate(text), "\" is not a valid ", TypeName(f)));
  };
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string value(text);
      if (f->type() == FieldDescriptor::TYPE_BYTES) {
        std::string raw;
        if (!absl::Base64Unescape(text, &raw) &&
            !absl::WebSafeBase64Unescape(text, &raw)) {
          return absl::InvalidArgumentError("bytes must be base64");
        }
        value = std::move(raw);
      }
      rep ? r->AddString(parent, f, std::move(value))
          : r->SetString(parent, f, std::move(value));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!absl::SimpleAtoi(text, &v)) return bad();
      rep ? r->AddInt32(parent, f, v) : r->SetInt32(parent, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!absl::SimpleAtoi(text, &v)) return bad();
      rep ? r->AddInt64(parent, f, v) : r->SetInt64(parent, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!absl::SimpleAtoi(text, &v)) return bad();
      rep ? r->AddUInt32(parent, f, v) : r->SetUInt32(parent, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!absl::SimpleAtoi(text, &v)) return bad();
      rep ? r->AddUInt64(parent, f, v) : r->SetUInt64(parent, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double v;
      if (!absl::SimpleAtod(text, &v)) return bad();
      rep ? r->AddDouble(parent, f, v) : r->SetDouble(parent, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      float v;
      if (!absl::SimpleAtof(text, &v)) return bad();
      rep ? r->AddFloat(parent, f, v) : r->SetFloat(parent, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (text == "true" || text == "1") {
        v = true;
      } else if (text == "false" || text == "0") {
        v = false;
      } else {
        return bad();
      }
      rep ? r->AddBool(parent, f, v) : r->SetBool(parent, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const google::protobuf::EnumValueDescriptor* v =
          f->enum_type()->FindValueByName(std::string(text));
      int number;
      if (v == nullptr && absl::SimpleAtoi(text, &number)) {
        v = f->enum_type()->FindValueByNumber(number);
      }
      if (v == nullptr) return bad();
      rep ? r->AddEnum(parent, f, v) : r->SetEnum(parent, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (rep) {
        return absl::InvalidArgumentError(
            "a repeated message cannot be set from a query parameter");
      }
      const Descriptor* type = f->message_type();
      Message* sub = r->MutableMessage(parent, f);
      if (IsWrapper(type)) {
        return SetFromText(sub, type->FindFieldByName("value"), text);
      }
      if (type->full_name() == "google.protobuf.FieldMask") {
        const FieldDescriptor* paths = type->FindFieldByName("paths");
        for (absl::string_view p : absl::StrSplit(text, ',')) {
          p = absl::StripAsciiWhitespace(p);
          if (p.empty()) continue;
          sub->GetReflection()->AddString(sub, paths, SnakeCase(p));
        }
        return absl::OkStatus();
      }
      if (type->full_name() == "google.protobuf.Timestamp" ||
          type->full_name() == "google.protobuf.Duration") {
        if (text.find_first_of("\"\\") != absl::string_view::npos) {
          return bad();
        }
        if (!ParseJson(absl::StrCat("\"", text, "\""), sub).ok()) {
          return bad();
        }
        return absl::OkStatus();
      }
      return absl::InvalidArgumentError(absl::StrCat(
          type->full_name(), " cannot be set from a query parameter"));
    }
  }
  return bad();
}

// Parses `json` into `m` or the field `body_field` of `m`.
absl::Status ParseBody(absl::string_view json, const FieldPath& body_field,
                       Message* m) {
  if (absl::StripAsciiWhitespace(json).empty()) return absl::OkStatus();
  if (body_field.empty()) return ParseJson(json, m);
  const FieldDescriptor* f = body_field.front();
  if (f->type() == FieldDescriptor::TYPE_MESSAGE && !f->is_repeated()) {
    return ParseJson(json, m->GetReflection()->MutableMessage(m, f));
  }
  // A repeated or scalar body: parse {"<field>": <body>} into a fresh
  // request, after checking that the body is exactly one JSON value (so it
  // cannot smuggle in other fields).
  if (!nlohmann::json::accept(json.begin(), json.end())) {
    return absl::InvalidArgumentError("body is not one JSON value");
  }
  std::unique_ptr<Message> tmp(m->New());
  absl::Status s = ParseJson(
      absl::StrCat("{\"", f->json_name(), "\":", json, "}"), tmp.get());
  if (s.ok()) m->MergeFrom(*tmp);
  return s;
}

void ApplyBindings(const Route& route,
                   const std::vector<PathTemplate::Binding>& bindings,
                   Message* m, FieldViolations& v) {
  for (size_t i = 0; i < bindings.size() && i < route.variable_fields.size();
       ++i) {
    const FieldPath& path = route.variable_fields[i];
    const std::string name = ProtoPathName(path);
    // google.api.http: a variable of several segments keeps "%2F" encoded,
    // so that it cannot forge a segment of the resource name.
    absl::StatusOr<std::string> value =
        PercentDecode(bindings[i].raw_value, /*plus_is_space=*/false,
                      /*keep_encoded_slash=*/!bindings[i].single_segment);
    if (!value.ok()) {
      v.Add(name,
            absl::StrCat("bad path parameter: ", value.status().message()));
      continue;
    }
    if (absl::Status s =
            SetFromText(MutableParent(m, path), path.back(), *value);
        !s.ok()) {
      v.Add(name, absl::StrCat("bad path parameter: ", s.message()));
    }
  }
}

void ApplyQuery(const Route& route, absl::string_view query, Message* m,
                FieldViolations& v) {
  const std::vector<std::pair<std::string, std::string>> pairs =
      SplitQuery(query);
  if (pairs.empty()) return;
  if (route.body == "*") {
    for (const auto& [key, value] : pairs) {
      v.Add(api::Abbreviate(key),
            "query parameters are not accepted: the request is the body");
    }
    return;
  }
  std::vector<FieldPath> seen;
  for (const auto& [raw_key, raw_value] : pairs) {
    absl::StatusOr<std::string> key = PercentDecode(raw_key, true);
    if (!key.ok()) {
      v.Add(api::Abbreviate(raw_key),
            absl::StrCat("bad query parameter name: ", key.status().message()));
      continue;
    }
    absl::StatusOr<FieldPath> path = ResolveFieldPath(m->GetDescriptor(), *key);
    if (!path.ok()) {
      v.Add(api::Abbreviate(*key),
            absl::StrCat("unknown query parameter: ", path.status().message()));
      continue;
    }
    const FieldDescriptor* leaf = path->back();
    bool conflict = false;
    for (const FieldPath& bound : route.variable_fields) {
      if (Overlaps(bound, *path)) conflict = true;
    }
    if (conflict) {
      v.Add(*key, "set by the URL path; cannot also be a query parameter");
      continue;
    }
    if (!route.body_field.empty() && Overlaps(route.body_field, *path)) {
      v.Add(*key, "set by the body; cannot also be a query parameter");
      continue;
    }
    if (leaf->is_map()) {
      v.Add(*key, "a map cannot be set from a query parameter");
      continue;
    }
    if (!leaf->is_repeated()) {
      bool repeated_key = false;
      for (const FieldPath& p : seen) repeated_key |= (p == *path);
      if (repeated_key) {
        v.Add(*key, "given more than once for a single-valued field");
        continue;
      }
      seen.push_back(*path);
    }
    absl::StatusOr<std::string> value = PercentDecode(raw_value, true);
    if (!value.ok()) {
      v.Add(*key, absl::StrCat("bad query parameter value: ",
                               value.status().message()));
      continue;
    }
    if (absl::Status s = SetFromText(MutableParent(m, *path), leaf, *value);
        !s.ok()) {
      v.Add(*key, std::string(s.message()));
    }
  }
}

}  // namespace

std::unique_ptr<Message> NewMessage(const Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(type)
          ->New());
}

absl::StatusOr<std::unique_ptr<Message>> BuildRequest(const Route& route,
                                                      const HttpInput& input) {
  std::unique_ptr<Message> m = NewMessage(route.method->input_type());
  FieldViolations v;
  if (route.body.empty()) {
    if (!absl::StripAsciiWhitespace(input.body).empty()) {
      v.Add("body", absl::StrCat(route.label, " takes no request body"));
    }
  } else if (absl::Status s = ParseBody(input.body, route.body_field, m.get());
             !s.ok()) {
    v.Add("body", absl::StrCat("invalid JSON: ", s.message()));
  }
  ApplyBindings(route, input.bindings, m.get(), v);
  ApplyQuery(route, input.query, m.get(), v);
  if (!v.empty()) return v.ToStatus("invalid request");
  return m;
}

absl::StatusOr<std::vector<std::unique_ptr<Message>>> BuildStreamRequests(
    const Route& route, const HttpInput& input) {
  std::vector<std::unique_ptr<Message>> out;
  FieldViolations v;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(input.body, '\n')) {
    ++line_number;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    std::unique_ptr<Message> m = NewMessage(route.method->input_type());
    if (absl::Status s = ParseBody(line, route.body_field, m.get()); !s.ok()) {
      v.Add(absl::StrCat("body line ", line_number),
            absl::StrCat("invalid JSON: ", s.message()));
      continue;
    }
    ApplyBindings(route, input.bindings, m.get(), v);
    out.push_back(std::move(m));
  }
  // Query parameters are checked once, against an empty request.
  std::unique_ptr<Message> probe = NewMessage(route.method->input_type());
  ApplyQuery(route, input.query, probe.get(), v);
  if (!v.empty()) return v.ToStatus("invalid request stream");
  if (!SplitQuery(input.query).empty()) {
    for (auto& m : out) ApplyQuery(route, input.query, m.get(), v);
  }
  return out;
}

absl::StatusOr<std::string> ResponseToJson(const Route& route,
                                           const Message& m) {
  google::protobuf::util::JsonPrintOptions opts;
  std::string out;
  google::protobuf::util::Status s =
      google::protobuf::util::MessageToJsonString(m, &out, opts);
  if (!s.ok()) {
    return absl::InternalError(absl::StrCat(
        "cannot print the response as JSON: ",
        absl::string_view(s.message().data(), s.message().size())));
  }
  if (route.response_body_field.empty()) return out;
  nlohmann::json whole = nlohmann::json::parse(out, nullptr, false);
  const std::string& key = route.response_body_field.front()->json_name();
  if (whole.is_object() && whole.contains(key)) return whole[key].dump();
  const FieldDescriptor* f = route.response_body_field.front();
  if (f->is_repeated()) return std::string("[]");
  if (f->type() == FieldDescriptor::TYPE_MESSAGE) return std::string("{}");
  return std::string("null");
}

std::string StringField(const Message& m, absl::string_view field) {
  const FieldDescriptor* f =
      m.GetDescriptor()->FindFieldByName(std::string(field));
  if (f == nullptr || f->is_repeated() ||
      f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  return m.GetReflection()->GetString(m, f);
}

bool SetStringField(Message* m, absl::string_view field,
                    const std::string& value) {
  const FieldDescriptor* f =
      m->GetDescriptor()->FindFieldByName(std::string(field));
  if (f == nullptr || f->is_repeated() ||
      f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return false;
  }
  m->GetReflection()->SetString(m, f, value);
  return true;
}

}  // namespace jalin::gateway
