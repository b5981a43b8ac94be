#include "services/gateway/gateway_stack.h"

#include <sys/resource.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/log/log.h"

namespace jalin::gateway {

void GatewaySettings::Register(Config& config) {
  config.AddString("http_listen", &http_listen,
                   "HTTP listen address (ip:port); port 0 picks one");
  config.AddInt("http_threads", &http_threads,
                "Threads serving HTTP connections (asynchronously)", 1, 64);
  config.AddString("web_dir", &web_dir,
                   "Directory of the dashboard's files, served at /");
  config.AddString("cors_origins", &cors_origins,
                   "Comma-separated origins allowed to call the API from a "
                   "browser (\"*\" for any); empty: none");
  config.AddInt("max_body_bytes", &max_body_bytes,
                "Largest request body accepted (413 beyond)", 1024,
                int64_t{1} << 30);
  config.AddDuration("idle_timeout", &idle_timeout,
                     "Time a connection may take to send a request, stay idle "
                     "between requests, or let a response make no progress");
  config.AddInt("max_connections", &max_connections,
                "Open HTTP connections beyond which new ones are closed "
                "(lowered to fit the open-file limit)",
                1, 1'000'000);
  config.AddDuration("backend_timeout", &backend_timeout,
                     "Deadline of each unary call to a service");
  config.AddDuration("stream_timeout", &stream_timeout,
                     "Deadline of a stream (SSE clients then reconnect with "
                     "Last-Event-ID)");
  config.AddDuration("sse_keepalive", &sse_keepalive,
                     "Interval of keep-alive comments on idle SSE streams");
  config.AddInt("rate_limit", &rate_limit,
                "Requests per client per window (kept in Redis); 0 disables", 0,
                INT64_MAX);
  config.AddDuration("rate_limit_window", &rate_limit_window,
                     "Window of the rate limit");
  config.AddString("registry_address", &registry_address,
                   "gRPC address of jalin-registry");
  config.AddString("matching_address", &matching_address,
                   "gRPC address of jalin-matching");
  config.AddString("curation_address", &curation_address,
                   "gRPC address of jalin-curation");
  config.AddString("notification_address", &notification_address,
                   "gRPC address of jalin-notification");
  config.AddCheck([this] {
    return rate_limit_window < absl::Milliseconds(1)
               ? std::string("JALIN_RATE_LIMIT_WINDOW: must be at least 1ms")
               : std::string();
  });
}

void RaiseOpenFileLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 &&
      limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

absl::StatusOr<std::unique_ptr<GatewayStack>> GatewayStack::Create(
    const GatewaySettings& s, const StackEnvironment& env) {
  RaiseOpenFileLimit();
  std::unique_ptr<GatewayStack> m(new GatewayStack());
  m->drain_ = env.drain;
  absl::StatusOr<RouteTable> routes = RouteTable::Build(JalinServices());
  if (!routes.ok()) return routes.status();
  m->routes_ = std::make_unique<RouteTable>(*std::move(routes));
  m->backends_ = std::make_unique<Backends>(std::map<std::string, std::string>{
      {"registry", s.registry_address},
      {"matching", s.matching_address},
      {"curation", s.curation_address},
      {"notification", s.notification_address}});
  std::vector<std::string> origins;
  for (absl::string_view o : absl::StrSplit(s.cors_origins, ',')) {
    o = absl::StripAsciiWhitespace(o);
    if (!o.empty()) origins.emplace_back(o);
  }
  m->cors_ = std::make_unique<CorsPolicy>(std::move(origins));
  m->files_ = std::make_unique<StaticFiles>(s.web_dir);
  if (!m->files_->available()) {
    log::Warn("no web directory: the dashboard is not served",
              {{"web_dir", s.web_dir}});
  }
  RateLimitOptions limit;
  limit.limit = s.rate_limit;
  limit.window = s.rate_limit_window;
  m->limiter_ = std::make_unique<RateLimiter>(env.redis, limit, env.clock);
  m->observer_ = std::make_unique<HttpObserver>(*env.metrics);

  GatewayOptions options;
  options.service = env.service;
  options.backend_timeout = s.backend_timeout;
  options.stream_timeout = s.stream_timeout;
  options.sse_keepalive = s.sse_keepalive;
  GatewayDeps deps;
  deps.routes = m->routes_.get();
  deps.backends = m->backends_.get();
  deps.cors = m->cors_.get();
  deps.files = m->files_.get();
  deps.limiter = m->limiter_.get();
  deps.authenticator = env.authenticator;
  deps.observer = m->observer_.get();
  deps.tracker = &m->tracker_;
  m->gateway_ = std::make_unique<Gateway>(options, deps);

  HttpServerOptions http;
  http.listen = s.http_listen;
  http.threads = static_cast<int>(s.http_threads);
  http.max_body_bytes = static_cast<size_t>(s.max_body_bytes);
  http.idle_timeout = s.idle_timeout;
  http.max_connections = static_cast<int>(s.max_connections);
  m->server_ = std::make_unique<HttpServer>(http, m->gateway_.get());
  if (absl::Status st = m->server_->Start(); !st.ok()) {
    return absl::Status(st.code(),
                        absl::StrCat("JALIN_HTTP_LISTEN: ", st.message()));
  }
  log::Info("http serving",
            {{"http_listen", s.http_listen},
             {"http_port", m->server_->port()},
             {"routes", m->routes_->routes().size()},
             {"web_dir", m->files_->available() ? m->files_->root().string()
                                                : std::string()}});
  return m;
}

GatewayStack::~GatewayStack() { Stop(); }

void GatewayStack::Stop() {
  if (stopped_ || server_ == nullptr) return;
  stopped_ = true;
  gateway_->SetStopping();
  server_->BeginStop();
  // Unary calls in flight get the drain time; streams were closed by
  // BeginStop and their calls cancel as their clients go.
  if (!tracker_.WaitIdle(absl::Now() + drain_)) tracker_.CancelAll();
  tracker_.WaitIdle(absl::Now() + absl::Seconds(1));
  limiter_->Stop();
  server_->Finish(absl::Now() + absl::Seconds(1));
  log::Info("http stopped");
}

}  // namespace jalin::gateway
