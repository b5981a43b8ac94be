// The gateway's HTTP surface besides transcoding: request ids and bearer
// tokens passed on, deadlines on backend calls, CORS, the dashboard's files
// (types, index, no traversal), /openapi.json, /healthz, keep-alive, and a
// client that leaves cancelling its backend call.

#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/services/gateway/gateway_fixture.h"

namespace jalin::gateway::testing {
namespace {

class HttpSurfaceTest : public GatewayFixture {
 protected:
  void Configure(GatewaySettings& s) override {
    s.cors_origins = "https://dasbor.jateng.example, https://sida.example";
    s.backend_timeout = absl::Seconds(4);
    const std::string web = s.web_dir;
    std::filesystem::create_directories(web + "/assets");
    std::ofstream(web + "/index.html") << "<!doctype html><title>jalin</title>";
    std::ofstream(web + "/assets/app.js") << "console.log('jalin');";
    std::ofstream(web + "/assets/style.css") << "body{}";
    std::ofstream(dir_.File("secret.txt")) << "outside the web directory";
    std::filesystem::create_symlink(dir_.File("secret.txt"),
                                    web + "/escape.txt");
  }
};

TEST_F(HttpSurfaceTest, RequestIdAndBearerTokenArePassedOn) {
  auto r = HttpCall(port(), "GET", "/v1/regions/33",
                    {{"Authorization", "Bearer abc.def.ghi"},
                     {"X-Request-Id", "req-from-client-1"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("x-request-id"), "req-from-client-1");
  ASSERT_TRUE(backend_->WaitForCalls(1, absl::Seconds(5)));
  Received got = backend_->received()[0];
  auto auth = got.metadata.find("authorization");
  ASSERT_NE(auth, got.metadata.end());
  EXPECT_EQ(auth->second, "Bearer abc.def.ghi");
  auto id = got.metadata.find("x-request-id");
  ASSERT_NE(id, got.metadata.end());
  EXPECT_EQ(id->second, "req-from-client-1");
  // Every backend call has a deadline: backend_timeout (4 s) from when the
  // gateway sent it, not a default. On the wire a deadline is a relative
  // timeout that gRPC rounds up to its coarser units, and the service turns
  // it back into a point in time on its own clocks, so the deadline seen
  // there may lie some milliseconds past the gateway's: hence 100 ms of
  // slack above, and 1 s below for a slow machine.
  EXPECT_LT(got.deadline,
            absl::Now() + absl::Seconds(4) + absl::Milliseconds(100));
  EXPECT_GT(got.deadline, absl::Now() + absl::Seconds(3));

  // Without a request id (or with an unusable one) the gateway makes one
  // and sends the same to the service and the client.
  backend_->Clear();
  r = HttpCall(port(), "GET", "/v1/regions/33",
               {{"X-Request-Id", "spaces are not ok"}});
  ASSERT_TRUE(r.ok());
  const std::string made = r->header("x-request-id");
  EXPECT_EQ(made.size(), 26u) << made;
  ASSERT_TRUE(backend_->WaitForCalls(1, absl::Seconds(5)));
  got = backend_->received()[0];
  EXPECT_EQ(got.metadata.find("x-request-id")->second, made);
  EXPECT_EQ(got.metadata.count("authorization"), 0u);
}

TEST_F(HttpSurfaceTest, MalformedBearerTokensGet401AndTheGatewayLives) {
  // gRPC aborts the process on such bytes in metadata: they must never
  // reach a backend call.
  for (const std::string authorization :
       {"Bearer t\xc3\xb6k", "Bearer ab\tcd", "Bearer ab cd", "Bearer \xff",
        "Bearer =abc", "Bearer abc=def"}) {
    auto r = HttpCall(port(), "GET", "/v1/regions/33.13",
                      {{"Authorization", authorization}});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 401) << r->body;
    EXPECT_TRUE(absl::StrContains(r->body, "malformed bearer token"))
        << r->body;
    EXPECT_EQ(nlohmann::json::parse(r->body)["error"]["status"],
              "UNAUTHENTICATED");
  }
  // Control characters the HTTP parser itself refuses (400) or, should it
  // let them through, the token check does (401).
  for (const std::string authorization : {"Bearer a\001b", "Bearer ab\177"}) {
    auto r = HttpCall(port(), "GET", "/v1/regions/33.13",
                      {{"Authorization", authorization}});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->status == 400 || r->status == 401) << r->status;
  }

  auto health = HttpCall(port(), "GET", "/healthz");
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(backend_->received_count(), 0u);
}

TEST_F(HttpSurfaceTest, BearerSchemeIsCaseInsensitive) {
  for (const char* authorization :
       {"BEARER abc.def.ghi", "bearer abc.def.ghi", "bEaReR   abc.def.ghi"}) {
    backend_->Clear();
    auto r = HttpCall(port(), "GET", "/v1/regions/33",
                      {{"Authorization", authorization}});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 200) << authorization << ": " << r->body;
    ASSERT_TRUE(backend_->WaitForCalls(1, absl::Seconds(5))) << authorization;
    const Received got = backend_->received()[0];
    auto auth = got.metadata.find("authorization");
    ASSERT_NE(auth, got.metadata.end()) << authorization;
    EXPECT_EQ(auth->second, "Bearer abc.def.ghi");
  }
  backend_->Clear();
  for (const char* authorization : {"Bearer", "Bearerabc", "Bear abc"}) {
    auto r = HttpCall(port(), "GET", "/v1/regions/33",
                      {{"Authorization", authorization}});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 401) << authorization;
    EXPECT_TRUE(absl::StrContains(r->body, "Bearer <token>")) << r->body;
  }
  EXPECT_EQ(backend_->received_count(), 0u);
}

TEST_F(HttpSurfaceTest, RequestsRefusedUnreadCarryCorsHeaders) {
  const std::string oversize((1 << 20) + 100, 'x');
  auto r = HttpCall(port(), "POST", "/v1/clusters",
                    {{"Origin", "https://sida.example"},
                     {"Content-Type", "application/json"}},
                    oversize);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->header("access-control-allow-origin"), "https://sida.example");
  EXPECT_TRUE(absl::StrContains(r->header("access-control-expose-headers"),
                                "x-request-id"));
  EXPECT_TRUE(absl::StrContains(r->body, "larger than")) << r->body;
  // An origin not listed gets none.
  r = HttpCall(port(), "POST", "/v1/clusters",
               {{"Origin", "https://elsewhere.example"},
                {"Content-Type", "application/json"}},
               oversize);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->header("access-control-allow-origin"), "");
}

TEST_F(HttpSurfaceTest, CorsPreflightAndResponses) {
  auto pre = HttpCall(
      port(), "OPTIONS", "/v1/clusters/c1",
      {{"Origin", "https://dasbor.jateng.example"},
       {"Access-Control-Request-Method", "PATCH"},
       {"Access-Control-Request-Headers", "authorization, content-type"}});
  ASSERT_TRUE(pre.ok());
  EXPECT_EQ(pre->status, 204);
  EXPECT_EQ(pre->header("access-control-allow-origin"),
            "https://dasbor.jateng.example");
  const std::string methods = pre->header("access-control-allow-methods");
  for (const char* m : {"GET", "PATCH", "DELETE", "OPTIONS"}) {
    EXPECT_TRUE(absl::StrContains(methods, m)) << methods;
  }
  EXPECT_FALSE(absl::StrContains(methods, "POST")) << methods;
  EXPECT_TRUE(absl::StrContains(pre->header("access-control-allow-headers"),
                                "authorization"));
  EXPECT_TRUE(absl::StrContains(pre->header("vary"), "Origin"));

  auto denied = HttpCall(port(), "OPTIONS", "/v1/clusters/c1",
                         {{"Origin", "https://elsewhere.example"},
                          {"Access-Control-Request-Method", "GET"}});
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(denied->status, 403);
  EXPECT_EQ(denied->header("access-control-allow-origin"), "");

  auto get = HttpCall(port(), "GET", "/v1/regions/33",
                      {{"Origin", "https://sida.example"}});
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->header("access-control-allow-origin"), "https://sida.example");
  EXPECT_TRUE(absl::StrContains(get->header("access-control-expose-headers"),
                                "x-request-id"));
  auto other = HttpCall(port(), "GET", "/v1/regions/33",
                        {{"Origin", "https://elsewhere.example"}});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->header("access-control-allow-origin"), "");
  // Preflights never reach a service.
  ASSERT_TRUE(backend_->WaitForCalls(2, absl::Seconds(5)));
  EXPECT_EQ(backend_->received_count(), 2u);
}

TEST_F(HttpSurfaceTest, ServesTheDashboardFilesAndNothingOutside) {
  auto index = HttpCall(port(), "GET", "/");
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->body, "<!doctype html><title>jalin</title>");
  auto js = HttpCall(port(), "GET", "/assets/app.js");
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->body, "console.log('jalin');");
  auto css = HttpCall(port(), "HEAD", "/assets/style.css");
  ASSERT_TRUE(css.ok());
  EXPECT_EQ(css->status, 200);
  EXPECT_EQ(css->header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(css->header("content-length"), "6");
  EXPECT_EQ(css->body, "");
  for (const char* bad :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
        "/assets/%2E%2E/%2E%2E/secret.txt", "/escape.txt", "/missing.js",
        "/assets/..%5c..%5csecret.txt"}) {
    auto r = HttpCall(port(), "GET", bad);
    ASSERT_TRUE(r.ok()) << bad;
    EXPECT_EQ(r->status, 404) << bad;
    EXPECT_FALSE(absl::StrContains(r->body, "outside the web directory"))
        << bad;
  }
  auto post = HttpCall(port(), "POST", "/index.html", {}, "x");
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->header("allow"), "GET, HEAD");
}

TEST_F(HttpSurfaceTest, OpenApiDocumentDescribesEveryRoute) {
  auto r = HttpCall(port(), "GET", "/openapi.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  nlohmann::json doc = nlohmann::json::parse(r->body);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  size_t operations = 0;
  for (const auto& [path, item] : doc["paths"].items()) {
    operations += item.size();
    EXPECT_EQ(path.find('*'), std::string::npos) << path;
    EXPECT_EQ(path.find('='), std::string::npos) << path;
  }
  EXPECT_EQ(operations, stack_->routes().routes().size());

  const auto& get_region = doc["paths"]["/v1/regions/{region}"]["get"];
  ASSERT_TRUE(get_region.is_object()) << doc["paths"].dump();
  EXPECT_EQ(get_region["operationId"], "RegistryService_GetRegion");
  EXPECT_EQ(get_region["parameters"][0]["name"], "region");
  EXPECT_EQ(get_region["parameters"][0]["in"], "path");
  EXPECT_EQ(get_region["responses"]["200"]["content"]["application/json"]
                      ["schema"]["$ref"],
            "#/components/schemas/jalin.registry.v1.Region");

  const auto& withdraw =
      doc["paths"]["/v1/campaigns/{campaign}/submissions/{submission}:withdraw"]
         ["post"];
  ASSERT_TRUE(withdraw.is_object());
  EXPECT_EQ(withdraw["parameters"].size(), 2u);

  // Query parameters of a List, enums by name, a body mapped to a field.
  std::set<std::string> params;
  for (const auto& p : doc["paths"]["/v1/listings"]["get"]["parameters"]) {
    params.insert(p["name"]);
  }
  for (const char* p :
       {"pageSize", "pageToken", "region", "kind", "verifiedOnly"}) {
    EXPECT_TRUE(params.count(p)) << p;
  }
  const auto& create = doc["paths"]["/v1/clusters"]["post"];
  EXPECT_EQ(
      create["requestBody"]["content"]["application/json"]["schema"]["$ref"],
      "#/components/schemas/jalin.registry.v1.Cluster");
  const auto& schemas = doc["components"]["schemas"];
  EXPECT_EQ(
      schemas["jalin.registry.v1.Cluster"]["properties"]["memberCount"]["type"],
      "integer");
  const auto& kind = schemas["jalin.registry.v1.Listing.Kind"];
  ASSERT_TRUE(kind.is_object());
  EXPECT_NE(std::find(kind["enum"].begin(), kind["enum"].end(), "NEED"),
            kind["enum"].end());
  // Every $ref resolves.
  std::function<void(const nlohmann::json&)> check =
      [&](const nlohmann::json& j) {
        if (j.is_object()) {
          if (j.contains("$ref") && j["$ref"].is_string()) {
            const std::string ref = j["$ref"];
            if (absl::StartsWith(ref, "#/components/schemas/")) {
              EXPECT_TRUE(schemas.contains(ref.substr(21))) << ref;
            }
          }
          for (const auto& [k, v] : j.items()) check(v);
        } else if (j.is_array()) {
          for (const auto& v : j) check(v);
        }
      };
  check(doc);
  // Server streams offer SSE.
  EXPECT_TRUE(doc["paths"]["/v1/recipients/{recipient}/notifications:subscribe"]
                 ["get"]["responses"]["200"]["content"]
                     .contains("text/event-stream"));
}

TEST_F(HttpSurfaceTest, HealthAndKeepAlive) {
  auto conn = HttpConnection::Open(port());
  ASSERT_TRUE(conn.ok());
  for (int i = 0; i < 3; ++i) {
    auto h = (*conn)->Call("GET", "/healthz");
    ASSERT_TRUE(h.ok()) << h.status();
    EXPECT_EQ(h->status, 200);
    EXPECT_EQ(nlohmann::json::parse(h->body)["status"], "SERVING");
    EXPECT_EQ(nlohmann::json::parse(h->body)["rateLimit"], "off");
    auto g = (*conn)->Call("GET", "/v1/regions/33");
    ASSERT_TRUE(g.ok()) << g.status();
    EXPECT_EQ(g->status, 200);
  }
  EXPECT_EQ(stack_->connections(), 1);
}

// A client that leaves before its answer comes cancels the backend call,
// which would otherwise run on until backend_timeout (4 s here).
TEST_F(HttpSurfaceTest, ClientThatLeavesCancelsItsBackendCall) {
  backend_->SetAnswer([](const Received& r) {
    Answer a;
    a.hold = r.method == "/jalin.registry.v1.RegistryService/GetRegion";
    return a;
  });
  absl::StatusOr<int> fd = ConnectLoopback(port());
  ASSERT_TRUE(fd.ok()) << fd.status();
  const std::string request = "GET /v1/regions/33 HTTP/1.1\r\nHost: t\r\n\r\n";
  ASSERT_EQ(send(*fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  ASSERT_TRUE(backend_->WaitForOpenStreams(1, absl::Seconds(5)));
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_EQ(backend_->open_streams(), 1u);
  const absl::Time left = absl::Now();
  close(*fd);
  EXPECT_TRUE(backend_->WaitForOpenStreams(0, absl::Seconds(2)));
  EXPECT_LT(absl::Now() - left, absl::Seconds(2));
  // The gateway goes on serving.
  backend_->SetAnswer(nullptr);
  auto r = HttpCall(port(), "GET", "/v1/regions/33.13");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST_F(HttpSurfaceTest, UnreachableBackendIsUnavailable) {
  backend_.reset();
  auto r = HttpCall(port(), "GET", "/v1/regions/33");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503) << r->body;
  EXPECT_EQ(nlohmann::json::parse(r->body)["error"]["status"], "UNAVAILABLE");
}

}  // namespace
}  // namespace jalin::gateway::testing
