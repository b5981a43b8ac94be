#include "services/gateway/openapi.h"

#include <cctype>
#include <deque>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"

namespace jalin::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using Json = nlohmann::ordered_json;

std::string Singular(const std::string& plural) {
  if (absl::EndsWith(plural, "ies")) {
    return plural.substr(0, plural.size() - 3) + "y";
  }
  if (absl::EndsWith(plural, "sses"))
    return plural.substr(0, plural.size() - 2);
  if (absl::EndsWith(plural, "s")) return plural.substr(0, plural.size() - 1);
  return plural;
}

std::string SchemaRef(absl::string_view full_name) {
  return absl::StrCat("#/components/schemas/", full_name);
}

// Schemas of the messages and enums reached, filled on demand.
class Schemas {
 public:
  Json Field(const FieldDescriptor* f) {
    if (f->is_map()) {
      return Json{{"type", "object"},
                  {"additionalProperties",
                   Element(f->message_type()->FindFieldByName("value"))}};
    }
    if (f->is_repeated()) return Json{{"type", "array"}, {"items", Element(f)}};
    return Element(f);
  }

  Json Message(const Descriptor* d) {
    const std::string& n = d->full_name();
    if (n == "google.protobuf.Timestamp") {
      return {{"type", "string"}, {"format", "date-time"}};
    }
    if (n == "google.protobuf.Duration") {
      return {{"type", "string"},
              {"description", "seconds with an 's' suffix, e.g. \"1.5s\""}};
    }
    if (n == "google.protobuf.FieldMask") {
      return {{"type", "string"},
              {"description", "comma-separated lowerCamel field paths"}};
    }
    if (n == "google.protobuf.Empty") return {{"type", "object"}};
    if (n == "google.protobuf.Struct") {
      return {{"type", "object"}, {"additionalProperties", true}};
    }
    if (n == "google.protobuf.Value") return Json::object();
    if (n == "google.protobuf.ListValue") {
      return {{"type", "array"}, {"items", Json::object()}};
    }
    if (n == "google.protobuf.Any") {
      return {{"type", "object"},
              {"properties", {{"@type", {{"type", "string"}}}}},
              {"additionalProperties", true}};
    }
    if (d->file()->name() == "google/protobuf/wrappers.proto") {
      return Element(d->FindFieldByName("value"));
    }
    if (seen_.insert(n).second) pending_.push_back(d);
    return {{"$ref", SchemaRef(n)}};
  }

  Json Element(const FieldDescriptor* f) {
    switch (f->type()) {
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32:
        return {{"type", "integer"}, {"format", "int32"}};
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
        return {{"type", "integer"}, {"format", "int64"}, {"minimum", 0}};
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64:
        return {{"type", "string"}, {"format", "int64"}};
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        return {{"type", "string"}, {"format", "uint64"}};
      case FieldDescriptor::TYPE_DOUBLE:
        return {{"type", "number"}, {"format", "double"}};
      case FieldDescriptor::TYPE_FLOAT:
        return {{"type", "number"}, {"format", "float"}};
      case FieldDescriptor::TYPE_BOOL:
        return {{"type", "boolean"}};
      case FieldDescriptor::TYPE_STRING:
        return {{"type", "string"}};
      case FieldDescriptor::TYPE_BYTES:
        return {{"type", "string"}, {"format", "byte"}};
      case FieldDescriptor::TYPE_ENUM: {
        const EnumDescriptor* e = f->enum_type();
        if (seen_.insert(e->full_name()).second) enums_.push_back(e);
        return {{"$ref", SchemaRef(e->full_name())}};
      }
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP:
        return Message(f->message_type());
    }
    return Json::object();
  }

  // Every schema reached so far, and those they reach.
  Json Components() {
    Json out = Json::object();
    std::map<std::string, Json> sorted;
    while (!pending_.empty()) {
      const Descriptor* d = pending_.front();
      pending_.pop_front();
      Json props = Json::object();
      for (int i = 0; i < d->field_count(); ++i) {
        const FieldDescriptor* f = d->field(i);
        props[f->json_name()] = Field(f);
      }
      sorted[d->full_name()] = {{"type", "object"}, {"properties", props}};
    }
    for (const EnumDescriptor* e : enums_) {
      Json values = Json::array();
      for (int i = 0; i < e->value_count(); ++i) {
        values.push_back(e->value(i)->name());
      }
      sorted[e->full_name()] = {{"type", "string"}, {"enum", values}};
    }
    for (auto& [name, schema] : sorted) out[name] = std::move(schema);
    return out;
  }

 private:
  std::set<std::string> seen_;
  std::deque<const Descriptor*> pending_;
  std::vector<const EnumDescriptor*> enums_;
};

bool IsQueryable(const FieldDescriptor* f) {
  if (f->is_map()) return false;
  if (f->type() != FieldDescriptor::TYPE_MESSAGE) return true;
  if (f->is_repeated()) return false;
  const std::string& n = f->message_type()->full_name();
  return n == "google.protobuf.FieldMask" || n == "google.protobuf.Timestamp" ||
         n == "google.protobuf.Duration" ||
         f->message_type()->file()->name() == "google/protobuf/wrappers.proto";
}

// Query parameters: the request's fields not bound by path or body,
// flattened with dots through singular messages (three levels at most).
void QueryParameters(const Descriptor* d, const std::string& prefix, int depth,
                     const Route& route, Schemas& schemas, Json& out) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string name = prefix + f->json_name();
    if (depth == 0) {
      bool bound = false;
      for (const FieldPath& p : route.variable_fields) {
        if (p.size() == 1 && p.front() == f) bound = true;
      }
      if (!route.body_field.empty() && route.body_field.front() == f) {
        bound = true;
      }
      if (bound) continue;
    }
    if (IsQueryable(f)) {
      out.push_back({{"name", name},
                     {"in", "query"},
                     {"required", false},
                     {"schema", schemas.Field(f)}});
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE &&
               !f->is_repeated() && depth < 2) {
      QueryParameters(f->message_type(), name + ".", depth + 1, route, schemas,
                      out);
    }
  }
}

}  // namespace

OpenApiPath ToOpenApiPath(const PathTemplate& t) {
  OpenApiPath out;
  std::vector<std::string> parts(t.segments().size());
  std::vector<bool> covered(t.segments().size(), false);
  std::set<std::string> used;
  auto unique = [&](std::string name) {
    std::string candidate = name;
    for (int i = 2; !used.insert(candidate).second; ++i) {
      candidate = absl::StrCat(name, i);
    }
    return candidate;
  };
  for (const PathTemplate::Variable& v : t.variables()) {
    std::vector<std::string> pattern;
    const std::string field_leaf =
        v.field_path.substr(v.field_path.rfind('.') + 1);
    for (int i = v.begin; i < v.end; ++i) {
      const PathTemplate::Segment& s = t.segments()[i];
      covered[i] = true;
      if (s.kind == PathTemplate::Segment::Kind::kLiteral) {
        parts[i] = s.literal;
      } else {
        std::string name = field_leaf;
        if (v.end - v.begin > 1 && i > v.begin &&
            t.segments()[i - 1].kind == PathTemplate::Segment::Kind::kLiteral) {
          name = Singular(t.segments()[i - 1].literal);
        }
        name = unique(name);
        parts[i] = absl::StrCat("{", name, "}");
        out.parameters.push_back({name, v.field_path, ""});
      }
      pattern.push_back(parts[i]);
    }
    const std::string joined = absl::StrJoin(pattern, "/");
    for (auto& p : out.parameters) {
      if (p.field == v.field_path && p.pattern.empty()) p.pattern = joined;
    }
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    if (covered[i]) continue;
    const PathTemplate::Segment& s = t.segments()[i];
    parts[i] = s.kind == PathTemplate::Segment::Kind::kLiteral
                   ? s.literal
                   : unique(absl::StrCat("{segment", i, "}"));
    if (s.kind != PathTemplate::Segment::Kind::kLiteral) {
      const std::string name = parts[i].substr(1, parts[i].size() - 2);
      out.parameters.push_back({name, "", parts[i]});
    }
  }
  out.path = absl::StrCat("/", absl::StrJoin(parts, "/"));
  if (!t.verb().empty()) absl::StrAppend(&out.path, ":", t.verb());
  return out;
}

std::string BuildOpenApi(const RouteTable& routes, const std::string& version) {
  Schemas schemas;
  Json paths = Json::object();
  std::set<std::string> operation_ids;
  for (const Route& r : routes.routes()) {
    const OpenApiPath p = ToOpenApiPath(r.path);
    Json params = Json::array();
    for (const auto& param : p.parameters) {
      Json entry = {{"name", param.name},
                    {"in", "path"},
                    {"required", true},
                    {"schema", {{"type", "string"}}}};
      if (!param.field.empty()) {
        entry["description"] = absl::StrCat("Sets `", param.field, "` to \"",
                                            param.pattern, "\".");
      }
      params.push_back(std::move(entry));
    }
    const google::protobuf::MethodDescriptor* m = r.method;
    if (!m->client_streaming() && r.body != "*") {
      QueryParameters(m->input_type(), "", 0, r, schemas, params);
    }
    std::string op_id = absl::StrCat(m->service()->name(), "_", m->name());
    for (int i = 2; !operation_ids.insert(op_id).second; ++i) {
      op_id = absl::StrCat(m->service()->name(), "_", m->name(), i);
    }
    Json op = {{"operationId", op_id},
               {"summary", m->name()},
               {"tags", Json::array({m->service()->name()})},
               {"x-grpc-method", r.grpc_path.substr(1)}};
    if (!params.empty()) op["parameters"] = std::move(params);
    if (m->client_streaming()) {
      op["requestBody"] = {
          {"required", true},
          {"description", "One JSON request message per line."},
          {"content",
           {{"application/x-ndjson",
             {{"schema", schemas.Message(m->input_type())}}}}}};
    } else if (!r.body.empty()) {
      Json schema = r.body == "*" ? schemas.Message(m->input_type())
                                  : schemas.Field(r.body_field.front());
      op["requestBody"] = {
          {"required", true},
          {"content", {{"application/json", {{"schema", schema}}}}}};
    }
    Json out_schema = r.response_body_field.empty()
                          ? schemas.Message(m->output_type())
                          : schemas.Field(r.response_body_field.front());
    Json ok;
    if (m->server_streaming() || m->client_streaming()) {
      ok = {{"description",
             "A stream: one JSON message per line, or Server-Sent Events "
             "(one `data:` event per message) with Accept: "
             "text/event-stream."},
            {"content",
             {{"application/x-ndjson", {{"schema", out_schema}}},
              {"text/event-stream", {{"schema", {{"type", "string"}}}}}}}};
    } else {
      ok = {{"description", "OK"},
            {"content", {{"application/json", {{"schema", out_schema}}}}}};
    }
    op["responses"] = {{"200", ok},
                       {"default", {{"$ref", "#/components/responses/Error"}}}};
    std::string verb = r.http_method;
    for (char& c : verb) c = static_cast<char>(std::tolower(c));
    paths[p.path][verb] = std::move(op);
  }
  Json error_schema = {
      {"type", "object"},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"properties",
           {{"code", {{"type", "integer"}, {"description", "HTTP status"}}},
            {"message", {{"type", "string"}}},
            {"status",
             {{"type", "string"},
              {"description", "google.rpc.Code name, e.g. NOT_FOUND"}}},
            {"details",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"properties", {{"@type", {{"type", "string"}}}}},
                {"additionalProperties", true}}}}}}}}}}}};
  Json components = {
      {"schemas", schemas.Components()},
      {"responses",
       {{"Error",
         {{"description",
           "An error (AIP-193): google.rpc details such as BadRequest and "
           "ErrorInfo are decoded, each with its @type."},
          {"content", {{"application/json", {{"schema", error_schema}}}}}}}}},
      {"securitySchemes",
       {{"bearer",
         {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}}}}};
  Json doc = {{"openapi", "3.0.3"},
              {"info",
               {{"title", "jalin API"},
                {"version", version},
                {"description",
                 "HTTP/JSON transcoding of the jalin gRPC services (registry, "
                 "matching, curation, notification), generated from their "
                 "google.api.http bindings. Field names are lowerCamel."}}},
              {"servers", Json::array({{{"url", "/"}}})},
              {"security", Json::array({{{"bearer", Json::array()}}})},
              {"paths", std::move(paths)},
              {"components", std::move(components)}};
  return doc.dump();
}

}  // namespace jalin::gateway
