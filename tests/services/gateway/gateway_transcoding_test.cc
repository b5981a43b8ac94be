// Transcoding through a real HTTP server in front of a fake backend that
// accepts any method: every annotated method of every jalin service is
// reachable; path, query and body bindings land in the right fields; gRPC
// codes map to HTTP statuses with AIP-193 bodies; bad input is refused
// with a clear message before anything reaches the backend.

#include <functional>
#include <map>
#include <regex>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "gtest/gtest.h"
#include "jalin/curation/v1/curation_service.pb.h"
#include "jalin/matching/v1/matching_service.pb.h"
#include "jalin/registry/v1/registry_service.pb.h"
#include "nlohmann/json.hpp"
#include "services/gateway/route_table.h"
#include "tests/services/gateway/gateway_fixture.h"

namespace jalin::gateway::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

class TranscodingTest : public GatewayFixture {
 protected:
  void Configure(GatewaySettings& s) override { s.max_body_bytes = 64 << 10; }

  // The reply to GET /v1/clusters/c1 while the registry answers `error`.
  absl::StatusOr<HttpResult> GetWhileFailing(const absl::Status& error) {
    backend_->SetAnswer([error](const Received&) {
      Answer a;
      a.status = ToGrpcStatus(error, "registry.jalin");
      return a;
    });
    return HttpCall(port(), "GET", "/v1/clusters/c1");
  }
};

// "/v1/{name=campaigns/*/submissions/*}:withdraw" with every '*' replaced
// by a sample segment; `values` gets each variable's expected value.
std::string ExpandTemplate(const std::string& pattern,
                           std::map<std::string, std::string>* values) {
  static const std::regex kVar(R"(\{([a-z_.]+)(=([^}]*))?\})");
  std::string out;
  int counter = 0;
  auto sample = [&counter](std::string sub) {
    std::string expanded;
    for (char c : sub) {
      if (c == '*') {
        absl::StrAppend(&expanded, "s", ++counter);
      } else {
        expanded.push_back(c);
      }
    }
    return expanded;
  };
  std::sregex_iterator it(pattern.begin(), pattern.end(), kVar), end;
  size_t last = 0;
  for (; it != end; ++it) {
    out.append(pattern, last, it->position() - last);
    const std::string field = (*it)[1];
    const std::string sub = (*it)[2].matched ? std::string((*it)[3]) : "*";
    const std::string value = sample(sub);
    (*values)[field] = value;
    out += value;
    last = it->position() + it->length();
  }
  out.append(pattern, last, std::string::npos);
  return out;
}

// The string at dotted proto path `path` of `m`.
std::string FieldValue(const Message& m, const std::string& path) {
  const Message* cur = &m;
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = cur->GetDescriptor()->FindFieldByName(parts[i]);
    if (f == nullptr) return "<no field " + parts[i] + ">";
    if (i + 1 == parts.size()) return cur->GetReflection()->GetString(*cur, f);
    cur = &cur->GetReflection()->GetMessage(*cur, f);
  }
  return "";
}

TEST_F(TranscodingTest, EveryAnnotatedMethodOfEveryServiceIsReachable) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  google::protobuf::DynamicMessageFactory factory(pool);
  int methods = 0;
  for (const ServiceBackend& sb : JalinServices()) {
    const auto* service = pool->FindServiceByName(sb.service);
    ASSERT_NE(service, nullptr) << sb.service;
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      ASSERT_TRUE(method->options().HasExtension(google::api::http))
          << method->full_name() << " has no google.api.http binding";
      const auto& rule = method->options().GetExtension(google::api::http);
      std::string verb, pattern;
      switch (rule.pattern_case()) {
        case google::api::HttpRule::kGet:
          verb = "GET", pattern = rule.get();
          break;
        case google::api::HttpRule::kPost:
          verb = "POST", pattern = rule.post();
          break;
        case google::api::HttpRule::kPatch:
          verb = "PATCH", pattern = rule.patch();
          break;
        case google::api::HttpRule::kPut:
          verb = "PUT", pattern = rule.put();
          break;
        case google::api::HttpRule::kDelete:
          verb = "DELETE", pattern = rule.delete_();
          break;
        default:
          FAIL() << method->full_name() << ": unexpected binding kind";
      }
      std::map<std::string, std::string> expected;
      const std::string target = ExpandTemplate(pattern, &expected);
      std::string body;
      if (!rule.body().empty()) body = "{}";
      backend_->Clear();
      auto r = HttpCall(port(), verb, target,
                        {{"Content-Type", "application/json"}}, body);
      ASSERT_TRUE(r.ok()) << method->full_name() << ": " << r.status();
      EXPECT_EQ(r->status, 200) << method->full_name() << " " << verb << " "
                                << target << ": " << r->body;
      ASSERT_TRUE(backend_->WaitForCalls(1, absl::Seconds(5)));
      std::vector<Received> got = backend_->received();
      ASSERT_EQ(got.size(), 1u) << method->full_name();
      EXPECT_EQ(got[0].method,
                absl::StrCat("/", service->full_name(), "/", method->name()));
      ASSERT_GE(got[0].messages.size(), 1u) << method->full_name();
      std::unique_ptr<Message> req(
          factory.GetPrototype(method->input_type())->New());
      ASSERT_TRUE(req->ParseFromString(got[0].messages[0]));
      for (const auto& [field, value] : expected) {
        EXPECT_EQ(FieldValue(*req, field), value)
            << method->full_name() << " path variable " << field;
      }
      ++methods;
    }
  }
  // Registry, matching, curation and notification together.
  EXPECT_GT(methods, 70);
}

TEST_F(TranscodingTest, PathQueryAndBodyBindings) {
  // Query parameters: scalars, enums by name, repeated, lowerCamel names.
  auto r = HttpCall(port(), "GET",
                    "/v1/listings?pageSize=25&region=regions%2F33.13"
                    "&kind=NEED&verified_only=true&pageToken=a+b");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  ASSERT_TRUE(backend_->WaitForCalls(1, absl::Seconds(5)));
  registry::v1::ListListingsRequest list;
  ASSERT_TRUE(list.ParseFromString(backend_->received()[0].messages[0]));
  EXPECT_EQ(list.page_size(), 25);
  EXPECT_EQ(list.region(), "regions/33.13");
  EXPECT_EQ(list.kind(), registry::v1::Listing::NEED);
  EXPECT_TRUE(list.verified_only());
  EXPECT_EQ(list.page_token(), "a b");

  // Body mapped to a field, the resource name from the path, the update
  // mask from the query.
  backend_->Clear();
  r = HttpCall(port(), "PATCH",
               "/v1/clusters/batik-solo?updateMask=displayName,memberCount"
               "&requestId=req-1",
               {{"Content-Type", "application/json"}},
               R"({"displayName": "Klaster Batik Laweyan", "memberCount": 120,
                   "roles": ["PRODUCER"]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  ASSERT_TRUE(backend_->WaitForCalls(1, absl::Seconds(5)));
  registry::v1::UpdateClusterRequest update;
  ASSERT_TRUE(update.ParseFromString(backend_->received()[0].messages[0]));
  EXPECT_EQ(update.cluster().name(), "clusters/batik-solo");
  EXPECT_EQ(update.cluster().display_name(), "Klaster Batik Laweyan");
  EXPECT_EQ(update.cluster().member_count(), 120);
  ASSERT_EQ(update.cluster().roles_size(), 1);
  ASSERT_EQ(update.update_mask().paths_size(), 2);
  EXPECT_EQ(update.update_mask().paths(0), "display_name");
  EXPECT_EQ(update.update_mask().paths(1), "member_count");
  EXPECT_EQ(update.request_id(), "req-1");

  // body "*" with a custom verb: the whole request from the body, the name
  // from the path.
  backend_->Clear();
  r = HttpCall(port(), "POST", "/v1/proposals/p-7:accept",
               {{"Content-Type", "application/json"}},
               R"({"requestId": "r-9"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  ASSERT_TRUE(backend_->WaitForCalls(1, absl::Seconds(5)));
  EXPECT_EQ(backend_->received()[0].method,
            "/jalin.matching.v1.MatchingService/AcceptProposal");
  matching::v1::AnswerProposalRequest accept;
  ASSERT_TRUE(accept.ParseFromString(backend_->received()[0].messages[0]));
  EXPECT_EQ(accept.name(), "proposals/p-7");
  EXPECT_EQ(accept.request_id(), "r-9");

  // A multi-segment variable.
  backend_->Clear();
  r = HttpCall(port(), "GET", "/v1/campaigns/c1/submissions/s%202");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  ASSERT_TRUE(backend_->WaitForCalls(1, absl::Seconds(5)));
  curation::v1::GetSubmissionRequest sub;
  ASSERT_TRUE(sub.ParseFromString(backend_->received()[0].messages[0]));
  EXPECT_EQ(sub.name(), "campaigns/c1/submissions/s 2");

  // In a variable of several segments an encoded '/' stays encoded
  // (google.api.http), so "33%2F13" is one segment, not two.
  backend_->Clear();
  r = HttpCall(port(), "GET", "/v1/regions/33%2F13");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  r = HttpCall(port(), "GET", "/v1/campaigns/c1/submissions/a%2fb");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  ASSERT_TRUE(backend_->WaitForCalls(2, absl::Seconds(5)));
  registry::v1::GetRegionRequest region;
  ASSERT_TRUE(region.ParseFromString(backend_->received()[0].messages[0]));
  EXPECT_EQ(region.name(), "regions/33%2F13");
  ASSERT_TRUE(sub.ParseFromString(backend_->received()[1].messages[0]));
  EXPECT_EQ(sub.name(), "campaigns/c1/submissions/a%2fb");
}

// HEAD gets GET's status and headers, Content-Length included, without
// the body (RFC 9110 §9.3.2); a stream, with no length to give, refuses it.
TEST_F(TranscodingTest, HeadAnswersWhatGetWouldWithoutTheBody) {
  registry::v1::Region region;
  region.set_name("regions/33.13");
  region.set_display_name("Kabupaten Karanganyar");
  backend_->SetAnswer([&](const Received&) {
    Answer a;
    a.messages.push_back(region.SerializeAsString());
    return a;
  });
  auto get = HttpCall(port(), "GET", "/v1/regions/33.13");
  auto head = HttpCall(port(), "HEAD", "/v1/regions/33.13");
  ASSERT_TRUE(get.ok() && head.ok());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("content-type"), "application/json");
  ASSERT_FALSE(get->body.empty());
  EXPECT_EQ(head->header("content-length"), absl::StrCat(get->body.size()));
  EXPECT_TRUE(head->body.empty());
  ASSERT_EQ(backend_->received_count(), 2u);
  EXPECT_EQ(backend_->received()[1].method,
            "/jalin.registry.v1.RegistryService/GetRegion");

  // Where GET is allowed, so is HEAD.
  auto del = HttpCall(port(), "DELETE", "/v1/regions");
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->status, 405);
  EXPECT_EQ(del->header("allow"), "GET, HEAD");

  auto stream =
      HttpCall(port(), "HEAD", "/v1/recipients/ani/notifications:subscribe");
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(stream->status, 405);
  EXPECT_EQ(stream->header("allow"), "GET");
  EXPECT_EQ(backend_->received_count(), 2u);
}

TEST_F(TranscodingTest, ResponsesArePrintedWithLowerCamelNames) {
  registry::v1::Region region;
  region.set_name("regions/33.13");
  region.set_display_name("Kabupaten Karanganyar");
  region.set_province_display_name("Jawa Tengah");
  region.set_level(registry::v1::Region::REGENCY);
  backend_->SetAnswer([&](const Received&) {
    Answer a;
    a.messages.push_back(region.SerializeAsString());
    return a;
  });
  auto r = HttpCall(port(), "GET", "/v1/regions/33.13");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-type"), "application/json");
  nlohmann::json j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["name"], "regions/33.13");
  EXPECT_EQ(j["displayName"], "Kabupaten Karanganyar");
  EXPECT_EQ(j["provinceDisplayName"], "Jawa Tengah");
  EXPECT_EQ(j["level"], "REGENCY");
}

TEST_F(TranscodingTest, GrpcCodesMapToHttpStatusesWithDecodedDetails) {
  const std::map<grpc::StatusCode, int> kExpected = {
      {grpc::StatusCode::CANCELLED, 499},
      {grpc::StatusCode::UNKNOWN, 500},
      {grpc::StatusCode::INVALID_ARGUMENT, 400},
      {grpc::StatusCode::DEADLINE_EXCEEDED, 504},
      {grpc::StatusCode::NOT_FOUND, 404},
      {grpc::StatusCode::ALREADY_EXISTS, 409},
      {grpc::StatusCode::PERMISSION_DENIED, 403},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, 429},
      {grpc::StatusCode::FAILED_PRECONDITION, 400},
      {grpc::StatusCode::ABORTED, 409},
      {grpc::StatusCode::OUT_OF_RANGE, 400},
      {grpc::StatusCode::UNIMPLEMENTED, 501},
      {grpc::StatusCode::INTERNAL, 500},
      {grpc::StatusCode::UNAVAILABLE, 503},
      {grpc::StatusCode::DATA_LOSS, 500},
      {grpc::StatusCode::UNAUTHENTICATED, 401},
  };
  for (const auto& [code, http_status] : kExpected) {
    const auto absl_code = static_cast<absl::StatusCode>(code);
    absl::Status error(absl_code, absl::StrCat("failure ", code));
    if (code == grpc::StatusCode::INVALID_ARGUMENT) {
      FieldViolations v;
      v.Add("cluster.display_name", "must not be empty");
      v.Add("cluster.member_count", "must be positive");
      error = v.ToStatus("invalid cluster");
    }
    if (code == grpc::StatusCode::PERMISSION_DENIED) {
      error = WithErrorInfo(error, "CROSS_TENANT_WRITE", {{"region", "33.13"}});
    }
    auto r = GetWhileFailing(error);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, http_status) << code;
    nlohmann::json j = nlohmann::json::parse(r->body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r->body;
    EXPECT_EQ(j["error"]["code"], http_status);
    EXPECT_EQ(j["error"]["status"], StatusCodeName(absl_code));
    // A server fault's own text stays in the service's log: the client
    // gets a reference to quote.
    if (IsServerFault(absl_code)) {
      EXPECT_TRUE(absl::StartsWith(std::string(j["error"]["message"]),
                                   "internal error in registry.jalin "))
          << r->body;
    } else {
      EXPECT_EQ(j["error"]["message"], std::string(error.message()));
    }
    ASSERT_TRUE(j["error"]["details"].is_array());
    bool error_info = false;
    bool bad_request = false;
    for (const auto& d : j["error"]["details"]) {
      if (d["@type"] == "type.googleapis.com/google.rpc.ErrorInfo") {
        error_info = true;
        EXPECT_EQ(d["domain"], "registry.jalin");
        if (code == grpc::StatusCode::PERMISSION_DENIED) {
          EXPECT_EQ(d["reason"], "CROSS_TENANT_WRITE");
          EXPECT_EQ(d["metadata"]["region"], "33.13");
        }
      }
      if (d["@type"] == "type.googleapis.com/google.rpc.BadRequest") {
        bad_request = true;
        ASSERT_EQ(d["fieldViolations"].size(), 2u);
        EXPECT_EQ(d["fieldViolations"][0]["field"], "cluster.display_name");
        EXPECT_EQ(d["fieldViolations"][1]["description"], "must be positive");
      }
    }
    EXPECT_TRUE(error_info) << r->body;
    EXPECT_EQ(bad_request, code == grpc::StatusCode::INVALID_ARGUMENT)
        << r->body;
  }
}

// A backend's error that repeats a client's value of 100,000 characters
// (a check that forgot to abbreviate it) still reaches the HTTP client with
// its own code and the field named: whole, its metadata would exceed the
// 8 KiB the gateway's gRPC client accepts, and the client would get 429.
TEST_F(TranscodingTest, AHugeValueInABackendErrorKeepsTheCode) {
  const std::string huge = "regions/" + std::string(100'000, '9');
  FieldViolations v;
  v.Add("cluster.region", absl::StrCat("\"", huge, "\" is not a known region"));
  for (const absl::Status& error :
       {v.ToStatus("invalid cluster"),
        absl::NotFoundError(absl::StrCat(huge, " not found"))}) {
    auto r = GetWhileFailing(error);
    ASSERT_TRUE(r.ok());
    const bool bad = error.code() == absl::StatusCode::kInvalidArgument;
    EXPECT_EQ(r->status, bad ? 400 : 404) << r->body.substr(0, 300);
    EXPECT_LT(r->body.size(), 4096u);
    nlohmann::json j = nlohmann::json::parse(r->body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r->body.substr(0, 300);
    EXPECT_EQ(j["error"]["status"], StatusCodeName(error.code()));
    const std::string message = j["error"]["message"];
    EXPECT_TRUE(absl::StrContains(message, "regions/999")) << message;
    if (!bad) continue;
    bool named = false;
    for (const auto& d : j["error"]["details"]) {
      if (d["@type"] == "type.googleapis.com/google.rpc.BadRequest") {
        ASSERT_EQ(d["fieldViolations"].size(), 1u);
        EXPECT_EQ(d["fieldViolations"][0]["field"], "cluster.region");
        named = true;
      }
    }
    EXPECT_TRUE(named) << r->body;
  }
}

// The gateway's own refusals repeat a client's query parameter
// abbreviated, whatever its length.
TEST_F(TranscodingTest, AHugeUnknownQueryParameterIsNamedAbbreviated) {
  const std::string key(10'000, 'q');
  auto r = HttpCall(port(), "GET", absl::StrCat("/v1/regions?", key, "=1"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_LT(r->body.size(), 2048u) << r->body.substr(0, 300);
  nlohmann::json j = nlohmann::json::parse(r->body, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r->body.substr(0, 300);
  bool named = false;
  for (const auto& d : j["error"]["details"]) {
    if (d["@type"] == "type.googleapis.com/google.rpc.BadRequest") {
      ASSERT_EQ(d["fieldViolations"].size(), 1u);
      EXPECT_EQ(d["fieldViolations"][0]["field"], std::string(64, 'q') + "...");
      EXPECT_TRUE(
          absl::StartsWith(std::string(d["fieldViolations"][0]["description"]),
                           "unknown query parameter: "));
      named = true;
    }
  }
  EXPECT_TRUE(named) << r->body;
  EXPECT_EQ(backend_->received_count(), 0u);
}

struct BadInput {
  std::string name;
  std::string method;
  std::string target;
  Headers headers;
  std::string body;
  int status;
  // Must appear in error.message (or in a field violation).
  std::string message;
};

TEST_F(TranscodingTest, BadInputIsRefusedAndNothingReachesTheBackend) {
  const Headers json = {{"Content-Type", "application/json"}};
  const std::vector<BadInput> table = {
      {"malformed JSON", "POST", "/v1/clusters", json, R"({"displayName": )",
       400, "invalid JSON"},
      {"unknown field", "POST", "/v1/clusters", json,
       R"({"displayName": "x", "noSuchField": 1})", 400, "noSuchField"},
      {"wrong type", "POST", "/v1/clusters", json, R"({"memberCount": "many"})",
       400, "member_count"},
      {"wrong enum", "POST", "/v1/clusters", json, R"({"roles": ["JUGGLER"]})",
       400, "JUGGLER"},
      {"not an object", "POST", "/v1/clusters", json, "[1, 2]", 400,
       "invalid JSON"},
      {"oversize body", "POST", "/v1/clusters", json,
       absl::StrCat(R"({"description": ")", std::string(100 << 10, 'x'),
                    R"("})"),
       413, "larger than"},
      {"broken percent-escape in path",
       "GET",
       "/v1/regions/%ZZ",
       {},
       "",
       400,
       "percent-escape"},
      {"path parameter not UTF-8",
       "GET",
       "/v1/regions/%FF%FE",
       {},
       "",
       400,
       "UTF-8"},
      {"control character in path",
       "GET",
       "/v1/regions/a%00b",
       {},
       "",
       400,
       "control character"},
      {"unknown query parameter",
       "GET",
       "/v1/regions?noSuch=1",
       {},
       "",
       400,
       "unknown query parameter"},
      {"wrong query type",
       "GET",
       "/v1/regions?pageSize=ten",
       {},
       "",
       400,
       "pageSize"},
      {"unknown enum value in query",
       "GET",
       "/v1/regions?level=CONTINENT",
       {},
       "",
       400,
       "CONTINENT"},
      {"single field given twice",
       "GET",
       "/v1/regions?pageSize=1&pageSize=2",
       {},
       "",
       400,
       "more than once"},
      {"query sets a path field",
       "GET",
       "/v1/regions/33?name=regions/34",
       {},
       "",
       400,
       "set by the URL path"},
      {"query on a whole-body method", "POST", "/v1/matches:find?topK=3", json,
       "{}", 400, "the request is the body"},
      {"body on a method without one", "GET", "/v1/regions/33", json,
       R"({"name": "x"})", 400, "takes no request body"},
      {"unsupported content type",
       "POST",
       "/v1/clusters",
       {{"Content-Type", "text/xml"}},
       "<cluster/>",
       415,
       "Content-Type"},
      {"unknown route", "GET", "/v1/volcanoes", {}, "", 404, "no API method"},
      {"wrong method", "DELETE", "/v1/regions", {}, "", 405, "GET"},
      {"not a bearer token",
       "GET",
       "/v1/regions",
       {{"Authorization", "Basic dXNlcjpwdw=="}},
       "",
       401,
       "Bearer"},
      {"bearer token with a non-ASCII byte",
       "GET",
       "/v1/regions",
       {{"Authorization", "Bearer t\xc3\xb6k"}},
       "",
       401,
       "malformed bearer token"},
      {"bearer token with a TAB inside",
       "GET",
       "/v1/regions",
       {{"Authorization", "Bearer ab\tcd"}},
       "",
       401,
       "malformed bearer token"},
      {"bad NDJSON line",
       "POST",
       "/v1/records:import",
       {{"Content-Type", "application/x-ndjson"}},
       "{\"batchId\": \"b1\"}\n{\"batchId\": 7, \"oops\": true}\n",
       400,
       "body line 2"},
  };
  for (const BadInput& row : table) {
    auto r = HttpCall(port(), row.method, row.target, row.headers, row.body);
    ASSERT_TRUE(r.ok()) << row.name << ": " << r.status();
    EXPECT_EQ(r->status, row.status) << row.name << ": " << r->body;
    EXPECT_EQ(r->header("content-type"), "application/json") << row.name;
    nlohmann::json j = nlohmann::json::parse(r->body, nullptr, false);
    ASSERT_TRUE(j.is_object() && j.contains("error")) << row.name << r->body;
    EXPECT_EQ(j["error"]["code"], row.status) << row.name;
    EXPECT_NE(r->body.find(row.message), std::string::npos)
        << row.name << ": expected \"" << row.message << "\" in " << r->body;
    if (row.status == 400) {
      EXPECT_EQ(j["error"]["status"], "INVALID_ARGUMENT") << row.name;
    }
  }
  // Nothing reached the backend: a good request afterwards is the first
  // and only call it sees.
  auto ok = HttpCall(port(), "GET", "/v1/regions/33");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
  ASSERT_TRUE(backend_->WaitForCalls(1, absl::Seconds(5)));
  ASSERT_EQ(backend_->received_count(), 1u);
  EXPECT_EQ(backend_->received()[0].method,
            "/jalin.registry.v1.RegistryService/GetRegion");
}

TEST_F(TranscodingTest, BadRequestNamesEveryViolation) {
  auto r =
      HttpCall(port(), "GET", "/v1/listings?pageSize=x&kind=SIDEWAYS&nope=1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  nlohmann::json j = nlohmann::json::parse(r->body);
  std::set<std::string> fields;
  for (const auto& d : j["error"]["details"]) {
    if (d["@type"] == "type.googleapis.com/google.rpc.BadRequest") {
      for (const auto& v : d["fieldViolations"]) fields.insert(v["field"]);
    }
  }
  EXPECT_EQ(fields, (std::set<std::string>{"pageSize", "kind", "nope"}));
}

}  // namespace
}  // namespace jalin::gateway::testing
