#include "services/gateway/gateway.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/resource_name.h"
#include "common/auth/bearer_token.h"
#include "common/ids.h"
#include "common/log/log.h"
#include "common/server/rpc_observer.h"
#include "common/status/errors.h"
#include "nlohmann/json.hpp"
#include "services/gateway/http_error.h"
#include "services/gateway/openapi.h"
#include "services/gateway/percent.h"
#include "services/gateway/transcoder.h"

namespace jalin::gateway {
namespace {

absl::string_view View(boost::beast::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// A request path or target as an error message repeats it: whole for
// every path the API serves (resource names hold ids of at most 63
// characters), abbreviated when a client sends one of up to the 16 KiB a
// request head may hold.
std::string EchoedPath(absl::string_view path) {
  return api::Abbreviate(path, 256);
}

// A client's request id is kept when it is short and plain.
bool UsableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_' && c != '.' && c != ':') {
      return false;
    }
  }
  return true;
}

bool JsonMediaType(absl::string_view content_type) {
  absl::string_view mime = content_type.substr(0, content_type.find(';'));
  mime = absl::StripAsciiWhitespace(mime);
  const std::string lower = absl::AsciiStrToLower(mime);
  return lower.empty() || lower == "application/json" ||
         absl::EndsWith(lower, "+json") || lower == "application/x-ndjson" ||
         lower == "application/jsonl";
}

}  // namespace

Gateway::Gateway(GatewayOptions options, GatewayDeps deps)
    : options_(std::move(options)),
      deps_(deps),
      domain_(absl::StrCat(options_.service, ".jalin")),
      openapi_(BuildOpenApi(*deps.routes, "v1")) {}

HttpResponse Gateway::Rejected(http::status status, absl::string_view reason,
                               absl::string_view origin) {
  HttpResponse res(status, 11);
  res.set(http::field::server, "jalin-gateway");
  res.set(http::field::content_type, "application/json");
  res.set("X-Request-Id", NewUlid());
  // So that a browser on an allowed origin may read why.
  for (const auto& [name, value] : deps_.cors->ResponseHeaders(origin)) {
    res.set(name, value);
  }
  FieldViolations v;
  v.Add("request", std::string(reason));
  res.body() = ErrorJson(v.ToStatus("request rejected"), domain_,
                         static_cast<int>(status));
  log::Write(
      log::Level::kInfo, "http rejected",
      {{"status", static_cast<int>(status)}, {"error", std::string(reason)}});
  return res;
}

void Gateway::Handle(std::shared_ptr<HttpExchange> exchange) {
  auto state =
      std::make_shared<ExchangeState>(exchange, deps_.observer, domain_);
  const HttpRequest& req = exchange->request();
  const absl::string_view client_id = View(req[kRequestIdHeader]);
  state->request_id =
      UsableRequestId(client_id) ? std::string(client_id) : NewUlid();
  state->client = absl::StrCat("ip:", exchange->remote_address());
  const absl::string_view origin = View(req[http::field::origin]);
  state->headers.push_back({"X-Request-Id", state->request_id});
  for (auto& h : deps_.cors->ResponseHeaders(origin)) {
    state->headers.push_back(std::move(h));
  }

  const absl::string_view target = View(req.target());
  const size_t q = target.find('?');
  const absl::string_view path = target.substr(0, q);
  const absl::string_view query =
      q == absl::string_view::npos ? "" : target.substr(q + 1);
  absl::StatusOr<SplitPath> split = SplitRequestPath(path);
  if (!split.ok()) {
    state->ReplyError(
        InvalidFieldError("path", std::string(split.status().message())));
    return;
  }
  const bool api = path == "/v1" || absl::StartsWith(path, "/v1/");
  if (req.method() == http::verb::options) {
    return HandlePreflight(std::move(state), *split, api);
  }
  const bool read_only =
      req.method() == http::verb::get || req.method() == http::verb::head;
  if (!api) {
    if (path == "/openapi.json" || path == "/healthz") {
      state->route = path == "/healthz" ? "health" : "openapi";
      if (!read_only) {
        state->ReplyError(absl::UnimplementedError(absl::StrCat(
                              View(req.method_string()), " is not allowed on ",
                              EchoedPath(path))),
                          {{"Allow", "GET, HEAD"}}, 405);
        return;
      }
      if (path == "/openapi.json") {
        state->Reply(http::status::ok, "application/json", openapi_,
                     {{"Cache-Control", "no-cache"}});
        return;
      }
      const bool ok = !stopping_.load();
      const char* limit = "off";
      if (deps_.limiter != nullptr && deps_.limiter->enabled()) {
        limit = deps_.limiter->degraded() ? "degraded" : "ok";
      }
      state->Reply(ok ? http::status::ok : http::status::service_unavailable,
                   "application/json",
                   nlohmann::json{{"status", ok ? "SERVING" : "NOT_SERVING"},
                                  {"rateLimit", limit}}
                       .dump());
      return;
    }
    return HandleStatic(std::move(state), path);
  }
  RouteTable::Lookup lookup =
      deps_.routes->Match(View(req.method_string()), *split);
  if (lookup.route == nullptr) {
    if (!lookup.allowed_methods.empty()) {
      state->ReplyError(
          absl::UnimplementedError(
              absl::StrCat(View(req.method_string()), " is not allowed on ",
                           EchoedPath(path), "; use ",
                           absl::StrJoin(lookup.allowed_methods, ", "))),
          {{"Allow", absl::StrJoin(lookup.allowed_methods, ", ")}}, 405);
      return;
    }
    state->ReplyError(absl::NotFoundError(
        absl::StrCat("no API method at ", View(req.method_string()), " ",
                     EchoedPath(path))));
    return;
  }
  HandleApi(std::move(state), *lookup.route, std::move(lookup.bindings), query);
}

void Gateway::HandleApi(std::shared_ptr<ExchangeState> state,
                        const Route& route,
                        std::vector<PathTemplate::Binding> bindings,
                        absl::string_view query) {
  state->route = route.label;
  const HttpRequest& req = state->request();

  std::string token;
  const absl::string_view authorization = View(req[http::field::authorization]);
  if (!authorization.empty()) {
    // Only a well-formed token goes on: it becomes gRPC metadata.
    absl::StatusOr<absl::string_view> parsed =
        auth::ParseBearerAuthorization(authorization);
    if (!parsed.ok()) {
      state->ReplyError(parsed.status());
      return;
    }
    token = std::string(*parsed);
    if (deps_.authenticator != nullptr) {
      absl::StatusOr<auth::Principal> p =
          deps_.authenticator->AuthenticateToken(token);
      if (p.ok()) state->client = absl::StrCat("sub:", p->subject);
    }
  }

  const absl::string_view body = req.body();
  if (!absl::StripAsciiWhitespace(body).empty() &&
      !JsonMediaType(View(req[http::field::content_type]))) {
    state->ReplyError(absl::InvalidArgumentError(absl::StrCat(
                          "unsupported Content-Type \"",
                          api::Abbreviate(View(req[http::field::content_type])),
                          "\": send application/json")),
                      {}, 415);
    return;
  }

  HttpInput input{std::move(bindings), query, body};
  const google::protobuf::MethodDescriptor* m = route.method;
  auto requests = std::make_shared<
      std::vector<std::unique_ptr<google::protobuf::Message>>>();
  if (m->client_streaming()) {
    auto built = BuildStreamRequests(route, input);
    if (!built.ok()) {
      state->ReplyError(built.status());
      return;
    }
    *requests = *std::move(built);
  } else {
    auto built = BuildRequest(route, input);
    if (!built.ok()) {
      state->ReplyError(built.status());
      return;
    }
    requests->push_back(*std::move(built));
  }
  if (m->server_streaming() && !m->client_streaming()) {
    // An EventSource that reconnects resumes where it left off.
    const absl::string_view last_id = View(req["Last-Event-ID"]);
    if (!last_id.empty()) {
      if (!IsValidUtf8(last_id)) {
        state->ReplyError(
            InvalidFieldError("Last-Event-ID", "must be valid UTF-8"));
        return;
      }
      SetStringField(requests->front().get(), "cursor", std::string(last_id));
    }
  }
  grpc::GenericStub* stub = deps_.backends->stub(route.backend);
  if (stub == nullptr) {
    state->ReplyError(absl::UnavailableError(
        absl::StrCat("no backend configured for ", route.backend)));
    return;
  }
  CallOptions call;
  call.token = std::move(token);
  call.request_id = state->request_id;
  const bool streaming = m->server_streaming() || m->client_streaming();
  call.timeout = streaming ? options_.stream_timeout : options_.backend_timeout;
  call.sse =
      absl::StrContains(View(req[http::field::accept]), "text/event-stream");
  call.keepalive = options_.sse_keepalive;

  if (deps_.limiter != nullptr) {
    const RateDecision d = deps_.limiter->Check(state->client);
    if (!d.allowed) {
      deps_.observer->RateLimited();
      const int64_t seconds =
          absl::ToInt64Seconds(absl::Ceil(d.retry_after, absl::Seconds(1)));
      state->ReplyError(
          WithErrorInfo(absl::ResourceExhaustedError(absl::StrCat(
                            "rate limit exceeded; retry in ", seconds, " s")),
                        "RATE_LIMITED"),
          {{"Retry-After", absl::StrCat(seconds)}});
      return;
    }
  }
  if (streaming) {
    StartStreamCall(stub, route, std::move(*requests), state, std::move(call),
                    deps_.tracker, deps_.observer);
  } else {
    StartUnaryCall(stub, route, std::move(requests->front()), state,
                   std::move(call), deps_.tracker, deps_.observer);
  }
}

void Gateway::HandleStatic(std::shared_ptr<ExchangeState> state,
                           absl::string_view path) {
  state->route = "static";
  const HttpRequest& req = state->request();
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    state->ReplyError(absl::UnimplementedError(absl::StrCat(
                          View(req.method_string()), " is not allowed on ",
                          EchoedPath(path))),
                      {{"Allow", "GET, HEAD"}}, 405);
    return;
  }
  absl::StatusOr<StaticFile> file = deps_.files->Lookup(path);
  if (!file.ok()) {
    if (file.status().code() == absl::StatusCode::kInvalidArgument) {
      state->ReplyError(
          InvalidFieldError("path", std::string(file.status().message())));
    } else {
      state->ReplyError(absl::NotFoundError(
          absl::StrCat("no such file: ", EchoedPath(path))));
    }
    return;
  }
  const bool index = absl::EndsWith(file->relative_path, "index.html");
  state->Reply(http::status::ok, file->content_type, std::move(file->content),
               {{"Cache-Control", index ? "no-cache" : "public, max-age=300"},
                {"X-Content-Type-Options", "nosniff"}});
}

void Gateway::HandlePreflight(std::shared_ptr<ExchangeState> state,
                              const SplitPath& path, bool api) {
  state->route = "preflight";
  const HttpRequest& req = state->request();
  std::vector<std::string> methods = {"GET", "HEAD"};
  if (api) {
    methods = deps_.routes->Match("", path).allowed_methods;
    if (methods.empty()) {
      state->ReplyError(absl::NotFoundError(
          absl::StrCat("no API method at ", EchoedPath(View(req.target())))));
      return;
    }
  }
  const absl::string_view origin = View(req[http::field::origin]);
  if (origin.empty() || req["Access-Control-Request-Method"].empty()) {
    methods.push_back("OPTIONS");
    state->Reply(http::status::no_content, "", "",
                 {{"Allow", absl::StrJoin(methods, ", ")}});
    return;
  }
  if (!deps_.cors->Allows(origin)) {
    state->ReplyError(absl::PermissionDeniedError(
        absl::StrCat("origin ", api::Abbreviate(origin),
                     " may not call this API (see cors_origins)")));
    return;
  }
  state->Reply(http::status::no_content, "", "",
               deps_.cors->PreflightHeaders(origin, methods));
}

}  // namespace jalin::gateway
