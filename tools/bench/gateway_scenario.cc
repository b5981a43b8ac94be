// Scenario "gateway": what the HTTP gateway costs in front of a service,
// and what an idle Server-Sent Events client costs the gateway.
//
// The real jalin-gateway binary runs as its own process (rate limit on, in
// a private redis-server, with a budget no client reaches, so every request
// pays the Redis check). Behind it, a registry answers GetRegion: the real
// jalin-registry when it serves GetRegion, else an in-process fake with the
// same data.
//
//   1. Throughput: 8 clients on keep-alive connections send
//      GET /v1/regions/33.13 through the gateway; the baseline is 8 clients
//      calling GetRegion directly over gRPC, same backend, same run.
//   2. Latency: one client, one request at a time, both ways; the p99 the
//      gateway adds.
//   3. 1,000 SSE clients (x scale) subscribe to live notifications and stay
//      idle; the gateway's resident memory before and after gives the cost
//      per client; one message then reaches every client.
//
// Goal: gateway throughput at least 0.5 of direct, and at most 0.5 ms added
// at p99 (the exit code reflects both).

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "common/rpc/client.h"
#include "common/rpc/health.h"
#include "common/testing/free_port.h"
#include "common/testing/process.h"
#include "common/testing/redis_server.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "jalin/notification/v1/notification_service.grpc.pb.h"
#include "jalin/registry/v1/registry_service.grpc.pb.h"
#include "services/gateway/testing/http_client.h"
#include "tools/bench/bench.h"

namespace jalin::bench {
namespace {

using gateway::testing::HttpConnection;
using gateway::testing::StreamReader;

constexpr int kClients = 8;
constexpr int kSequential = 2000;
constexpr double kThroughputGoal = 0.5;
constexpr double kAddedP99GoalMs = 0.5;

registry::v1::Region Karanganyar() {
  registry::v1::Region r;
  r.set_name("regions/33.13");
  r.set_code("33.13");
  r.set_level(registry::v1::Region::REGENCY);
  r.set_display_name("Kabupaten Karanganyar");
  r.set_province("regions/33");
  r.set_province_display_name("Jawa Tengah");
  r.mutable_center()->set_latitude(-7.6);
  r.mutable_center()->set_longitude(111.05);
  return r;
}

// The registry's GetRegion with the same data the real one would hold.
class FakeRegistry final
    : public registry::v1::RegistryService::CallbackService {
  grpc::ServerUnaryReactor* GetRegion(
      grpc::CallbackServerContext* ctx,
      const registry::v1::GetRegionRequest* request,
      registry::v1::Region* response) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    if (request->name() != "regions/33.13") {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "no region"));
    } else {
      *response = Karanganyar();
      reactor->Finish(grpc::Status::OK);
    }
    return reactor;
  }
};

// Live notification streams held open until Push or shutdown.
class FakeNotification final
    : public notification::v1::NotificationService::CallbackService {
 public:
  class Stream final
      : public grpc::ServerWriteReactor<notification::v1::Notification> {
   public:
    explicit Stream(FakeNotification* owner) : owner_(owner) {
      StartSendInitialMetadata();
    }
    void Send(const notification::v1::Notification& n) {
      message_ = n;
      StartWrite(&message_);
    }
    void OnWriteDone(bool) override {}
    void OnCancel() override { Finish(grpc::Status::CANCELLED); }
    void OnDone() override {
      owner_->Remove(this);
      delete this;
    }

   private:
    FakeNotification* const owner_;
    notification::v1::Notification message_;
  };

  grpc::ServerWriteReactor<notification::v1::Notification>* Subscribe(
      grpc::CallbackServerContext*,
      const notification::v1::SubscribeRequest*) override {
    auto* s = new Stream(this);
    absl::MutexLock lock(&mu_);
    open_.push_back(s);
    return s;
  }

  size_t open() {
    absl::MutexLock lock(&mu_);
    return open_.size();
  }
  bool WaitOpen(size_t n, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return open_.size() >= n;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  }
  void PushToAll(const notification::v1::Notification& n) {
    absl::MutexLock lock(&mu_);
    for (Stream* s : open_) s->Send(n);
  }
  void Remove(Stream* s) {
    absl::MutexLock lock(&mu_);
    open_.erase(std::remove(open_.begin(), open_.end(), s), open_.end());
  }

 private:
  absl::Mutex mu_;
  std::vector<Stream*> open_ ABSL_GUARDED_BY(mu_);
};

int64_t RssBytes(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return 0;
}

int ThreadCount(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return 0;
}

std::string BuildDir() {
  // <build>/tools/bench/jalin-bench
  return std::filesystem::read_symlink("/proc/self/exe")
      .parent_path()
      .parent_path()
      .parent_path()
      .string();
}

struct Load {
  double per_second = 0;
  Percentiles latency_ms;
  int64_t errors = 0;
};

// `clients` threads each call `one` (returns success) until `duration`.
template <typename MakeCaller>
Load Run(int clients, absl::Duration duration, MakeCaller make) {
  std::vector<std::vector<double>> lat(clients);
  std::atomic<int64_t> errors{0};
  std::vector<std::thread> threads;
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto call = make();
      while (absl::Now() < end) {
        const absl::Time t0 = absl::Now();
        if (!call()) {
          ++errors;
          continue;
        }
        lat[c].push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  Load out;
  out.per_second = all.size() / absl::ToDoubleSeconds(absl::Now() - start);
  out.errors = errors;
  out.latency_ms = Summarize(all);
  return out;
}

int RunGateway(const Args& args) {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  const std::string build = BuildDir();
  testing::TempDir dir;
  auto redis = testing::RedisServer::Start(dir.path());
  if (!redis.ok()) {
    std::cerr << redis.status() << "\n";
    return 2;
  }
  const std::string secret_file = dir.File("jwt-secret");
  std::ofstream(secret_file) << "bench-secret-bench-secret-bench-secret-42\n";
  auto keys = auth::LoadJwtKeys(secret_file, "", "");
  auth::Principal admin;
  admin.subject = "users/bench";
  admin.role = auth::Role::kAdmin;
  const std::string token =
      *auth::MintToken(admin, *keys, absl::Now(), absl::Hours(2));

  // The backends: the real registry if it serves GetRegion, else the fake.
  FakeRegistry fake_registry;
  FakeNotification fake_notification;
  int fake_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &fake_port);
  builder.RegisterService(&fake_registry);
  builder.RegisterService(&fake_notification);
  std::unique_ptr<grpc::Server> fakes = builder.BuildAndStart();
  const std::string fake_address = absl::StrCat("127.0.0.1:", fake_port);
  std::string registry_address = fake_address;
  std::string backend = "fake registry (in-process)";
  std::unique_ptr<testing::Process> real_registry;
  const std::string registry_binary =
      build + "/services/registry/jalin-registry";
  if (std::filesystem::exists(registry_binary)) {
    const int port = testing::FreePort();
    auto p = testing::Process::Start(
        {registry_binary},
        {absl::StrCat("JALIN_GRPC_LISTEN=127.0.0.1:", port),
         "JALIN_METRICS_LISTEN=", "JALIN_REDIS=" + redis.value()->address(),
         "JALIN_STORE=" + dir.File("registry.db"),
         "JALIN_JWT_HS256_SECRET_FILE=" + secret_file, "JALIN_LOG_LEVEL=warn",
         absl::StrCat("JALIN_DATA_DIR=", build, "/../../data")},
        dir.File("registry.log"));
    const std::string address = absl::StrCat("127.0.0.1:", port);
    if (p.ok() && rpc::WaitForServing(address, "", absl::Seconds(20)).ok()) {
      auto stub =
          registry::v1::RegistryService::NewStub(rpc::MakeChannel(address));
      grpc::ClientContext ctx;
      rpc::PrepareContext(&ctx, absl::Seconds(5), token);
      registry::v1::GetRegionRequest req;
      req.set_name("regions/33.13");
      registry::v1::Region region;
      if (stub->GetRegion(&ctx, req, &region).ok()) {
        registry_address = address;
        backend = "jalin-registry";
        real_registry = *std::move(p);
      }
    }
  }
  std::cout << "backend: " << backend << "\n";

  const int grpc_port = testing::FreePort();
  const int http_port = testing::FreePort();
  auto gw = testing::Process::Start(
      {build + "/services/gateway/jalin-gateway"},
      {absl::StrCat("JALIN_GRPC_LISTEN=127.0.0.1:", grpc_port),
       "JALIN_METRICS_LISTEN=",
       absl::StrCat("JALIN_HTTP_LISTEN=127.0.0.1:", http_port),
       "JALIN_REDIS=" + redis.value()->address(),
       "JALIN_JWT_HS256_SECRET_FILE=" + secret_file, "JALIN_LOG_LEVEL=warn",
       "JALIN_RATE_LIMIT=1000000000", "JALIN_SSE_KEEPALIVE=10m",
       "JALIN_REGISTRY_ADDRESS=" + registry_address,
       "JALIN_NOTIFICATION_ADDRESS=" + fake_address,
       "JALIN_WEB_DIR=" + dir.File("web")},
      dir.File("gateway.log"));
  if (!gw.ok() || !rpc::WaitForServing(absl::StrCat("127.0.0.1:", grpc_port),
                                       "", absl::Seconds(20))
                       .ok()) {
    std::cerr << "gateway did not start\n"
              << testing::TailOfFile(dir.File("gateway.log")) << "\n";
    return 2;
  }
  const int gw_pid = (*gw)->pid();

  const absl::Duration duration = absl::Seconds(3 * args.scale);
  auto channel = rpc::MakeChannel(registry_address);
  auto direct_caller = [&] {
    auto stub = registry::v1::RegistryService::NewStub(channel);
    return [stub = std::shared_ptr<registry::v1::RegistryService::Stub>(
                std::move(stub)),
            &token] {
      grpc::ClientContext ctx;
      rpc::PrepareContext(&ctx, absl::Seconds(5), token);
      registry::v1::GetRegionRequest req;
      req.set_name("regions/33.13");
      registry::v1::Region region;
      return stub->GetRegion(&ctx, req, &region).ok() &&
             region.display_name() == "Kabupaten Karanganyar";
    };
  };
  auto http_caller = [&] {
    auto opened = HttpConnection::Open(http_port);
    std::shared_ptr<HttpConnection> conn;
    if (opened.ok()) conn = std::move(*opened);
    return [conn, &token] {
      if (conn == nullptr) return false;
      auto r = conn->Call("GET", "/v1/regions/33.13",
                          {{"Authorization", "Bearer " + token}});
      return r.ok() && r->status == 200 &&
             r->body.find("Kabupaten Karanganyar") != std::string::npos;
    };
  };
  // Warm-up: connections, caches, the token cache.
  Run(kClients, absl::Milliseconds(300), direct_caller);
  Run(kClients, absl::Milliseconds(300), http_caller);
  // Interleaved halves, so that drift on a shared machine hits both alike.
  Load direct_a = Run(kClients, duration / 2, direct_caller);
  Load via_a = Run(kClients, duration / 2, http_caller);
  Load via_b = Run(kClients, duration / 2, http_caller);
  Load direct_b = Run(kClients, duration / 2, direct_caller);
  const double direct_rps = (direct_a.per_second + direct_b.per_second) / 2;
  const double via_rps = (via_a.per_second + via_b.per_second) / 2;
  Print("direct_grpc_throughput", direct_rps, "req/s");
  Print("gateway_http_throughput", via_rps, "req/s");
  Print("direct_grpc_p99_loaded",
        std::max(direct_a.latency_ms.p99, direct_b.latency_ms.p99), "ms");
  Print("gateway_http_p99_loaded",
        std::max(via_a.latency_ms.p99, via_b.latency_ms.p99), "ms");
  Print("errors",
        static_cast<double>(direct_a.errors + direct_b.errors + via_a.errors +
                            via_b.errors),
        "");

  // One request at a time.
  auto sequential = [&](auto make) {
    auto call = make();
    std::vector<double> lat;
    for (int i = 0; i < kSequential; ++i) {
      const absl::Time t0 = absl::Now();
      if (call()) lat.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    }
    return Summarize(lat);
  };
  Percentiles direct_one = sequential(direct_caller);
  Percentiles via_one = sequential(http_caller);
  Print("direct_grpc_p50", direct_one.p50, "ms");
  Print("direct_grpc_p99", direct_one.p99, "ms");
  Print("gateway_http_p50", via_one.p50, "ms");
  Print("gateway_http_p99", via_one.p99, "ms");
  const double added_p99 = via_one.p99 - direct_one.p99;
  Print("gateway_added_p99", added_p99, "ms (goal <= 0.5)");

  // Idle SSE clients.
  const int sse_clients = static_cast<int>(1000 * args.scale);
  const int64_t rss_before = RssBytes(gw_pid);
  const int threads_before = ThreadCount(gw_pid);
  std::vector<std::unique_ptr<StreamReader>> streams;
  streams.reserve(sse_clients);
  const absl::Time open_start = absl::Now();
  for (int i = 0; i < sse_clients; ++i) {
    auto s = StreamReader::Open(
        http_port, "GET",
        absl::StrCat("/v1/recipients/r", i, "/notifications:subscribe"),
        {{"Accept", "text/event-stream"},
         {"Authorization", "Bearer " + token}});
    if (!s.ok() || (*s)->status() != 200) {
      std::cerr << "SSE client " << i << " failed: "
                << (s.ok() ? absl::StrCat("HTTP ", (*s)->status())
                           : std::string(s.status().message()))
                << "\n";
      break;
    }
    streams.push_back(*std::move(s));
  }
  fake_notification.WaitOpen(streams.size(), absl::Seconds(30));
  const double open_seconds = absl::ToDoubleSeconds(absl::Now() - open_start);
  const int64_t rss_after = RssBytes(gw_pid);
  Print("sse_clients_open", static_cast<double>(fake_notification.open()), "");
  Print("sse_connect_time", open_seconds, "s");
  Print("gateway_threads", ThreadCount(gw_pid), "");
  Print("gateway_threads_before_sse", threads_before, "");
  Print("gateway_rss_before_sse", rss_before / 1048576.0, "MiB");
  Print("gateway_rss_with_sse", rss_after / 1048576.0, "MiB");
  Print(
      "sse_memory_per_client",
      streams.empty() ? 0 : (rss_after - rss_before) / 1024.0 / streams.size(),
      "KiB");
  notification::v1::Notification n;
  n.set_name("recipients/r/notifications/bench");
  n.set_cursor("1700000000000-1");
  n.set_title_id("Usulan kerja sama baru");
  const absl::Time push = absl::Now();
  fake_notification.PushToAll(n);
  int delivered = 0;
  for (auto& s : streams) {
    auto e = s->NextEvent(absl::Seconds(10));
    if (e.ok() && e->id == "1700000000000-1") ++delivered;
  }
  Print("sse_events_delivered", delivered, "");
  Print("sse_fanout_time", absl::ToDoubleMilliseconds(absl::Now() - push),
        "ms");
  streams.clear();

  (*gw)->Signal(SIGTERM).IgnoreError();
  (*gw)->Wait(absl::Seconds(10)).IgnoreError();
  fakes->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));

  const bool p99_ok = added_p99 <= kAddedP99GoalMs;
  const bool sse_ok = delivered == sse_clients;
  const int verdict = PrintRatio(via_rps / direct_rps, kThroughputGoal);
  return (verdict == 0 && p99_ok && sse_ok) ? 0 : 1;
}

JALIN_BENCH_SCENARIO(gateway_scenario, "gateway",
                     "HTTP gateway vs direct gRPC (throughput, p99) and "
                     "1,000 idle SSE clients",
                     RunGateway);

}  // namespace
}  // namespace jalin::bench
