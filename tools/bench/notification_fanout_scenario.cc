// Scenario "notification-fanout": how fast a committed event reaches the
// live streams of its recipients through the whole notification path.
//
// Options: --scale N (duration), --rate=N (events/s, default 10,000),
// --store_sync=full, --redis_aof_rewrite=off, --binary_dir=<build dir>.
//
// Setup: the real jalin-notification binary (testing::Suite: private Redis
// and store) with 1,000 Subscribe streams open from this process, one per
// recipient, on the callback client API. A producer commits 10,000 events/s
// (10 per millisecond, one transaction each) to its SQLite outbox for
// 30 s × scale; the outbox relay publishes them to jalin.registry.events;
// the service consumes them in batches, writes one inbox entry per event
// (each names one of the 1,000 recipients as a party), and the live hub
// pushes each entry to its recipient's stream.
//
// Measured: event-commit-to-subscriber latency (the producer's commit to
// the Notification arriving on the stream; the first second is warm-up and
// not counted), p50/p99/max, and delivered messages per second. The
// latency is also split where the service routed the event (the
// Notification's create_time): commit to route covers the relay, Redis and
// the consumer's read; route to subscriber the inbox commit, the live hub
// and the stream.
//
// Baseline, same run, same event bytes, same rate: raw Redis XADD to a
// blocking XREADGROUP reader, no store at either end.
//
// Goal: p99 end to end under 10 ms. The ratio line is the 10 ms budget
// divided by the measured p99 (>= 1 meets the goal); the raw Redis figures
// show what any design pays on this machine.
//
// Both stores run with synchronous=NORMAL (JALIN_STORE_SYNC=normal: a
// commit survives a killed process, not a power cut), as an fsync per
// commit costs more than the whole budget on slow disks; --store_sync=full
// measures the durable setting.
//
// Redis keeps its append-only file as deployed (fsync every second, and a
// rewrite in a forked child whenever the file has doubled: several times in
// a run here). The run prints how many rewrites fell in it: each takes a
// core for a moment, and on this two-core machine the rest of the pipeline
// queues behind it. --redis_aof_rewrite=off holds rewrites back during the
// run, to see the latency without them (where Redis has its own machine, a
// rewrite costs the pipeline only the fork's pause, printed as
// redis_latest_fork).

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/events/event_builder.h"
#include "common/events/outbox.h"
#include "common/events/outbox_relay.h"
#include "common/redis/redis_client.h"
#include "common/rpc/client.h"
#include "common/storage/sqlite_checkpointer.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/suite.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_callback.h"
#include "jalin/events/v1/registry_events.pb.h"
#include "jalin/notification/v1/notification_service.grpc.pb.h"
#include "tools/bench/bench.h"

namespace jalin::bench {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kSubscribers = 1000;
constexpr int kDefaultRate = 10'000;  // events per second
constexpr int kChannels = 8;
constexpr double kGoalMs = 10.0;
constexpr absl::Duration kWarmUp = absl::Seconds(1);

std::string Recipient(int i) {
  return absl::StrCat("enterprises/bench-", i % kSubscribers);
}

events::v1::Event SampleEvent(int i) {
  events::v1::ListingEvent payload;
  auto* l = payload.mutable_listing();
  l->set_name(absl::StrCat("listings/bench", i));
  l->set_kind(registry::v1::Listing::OFFER);
  l->set_title("Jahe emprit kering, kadar air di bawah 12%");
  l->set_description(
      "Pasokan rutin dari klaster biofarmaka untuk industri jamu");
  l->set_category("categories/jahe");
  l->set_owner(Recipient(i));
  l->set_region("regions/33.13");
  l->mutable_quantity()->set_amount(2);
  return events::MakeEvent({.service = "registry",
                            .type = "jalin.registry.listing.created",
                            .subject = absl::StrCat("bench/", i),
                            .regions = {"regions/33.13"},
                            .parties = {Recipient(i)}},
                           payload, absl::Now());
}

int IndexOfSubject(absl::string_view subject) {
  int i = -1;
  if (!absl::SimpleAtoi(subject.substr(6), &i)) return -1;
  return i;
}

int64_t NowNanos() { return absl::ToUnixNanos(absl::Now()); }

// Sleeps until `t` (pacing a producer, not synchronising threads).
void PaceUntil(absl::Time t) {
  const absl::Duration d = t - absl::Now();
  if (d > absl::ZeroDuration()) absl::SleepFor(d);
}

struct Latencies {
  Percentiles ms;
  int64_t count = 0;
  double per_second = 0;
};

// How events are paced: `per_commit` events every `interval`.
struct Pace {
  int rate = kDefaultRate;
  int per_commit = 10;
  absl::Duration interval = absl::Milliseconds(1);

  static Pace For(int rate) {
    Pace p;
    p.rate = rate;
    p.per_commit = std::max(1, rate / 1000);
    p.interval = absl::Seconds(1) * p.per_commit / rate;
    return p;
  }
  absl::Time Due(absl::Time start, int i) const {
    return start + interval * (i / per_commit);
  }
};

// Raw Redis at the same rate with the same bytes.
absl::StatusOr<Latencies> RunRaw(const std::string& address,
                                 absl::Duration duration, const Pace& pace) {
  redis::Client writer({.address = address});
  redis::Client reader({.address = address});
  const std::string stream = "bench.raw";
  auto created =
      writer.Command({"XGROUP", "CREATE", stream, "g", "$", "MKSTREAM"});
  if (!created.ok()) return created.status();
  const int total =
      static_cast<int>(absl::ToDoubleSeconds(duration) * pace.rate);
  std::vector<std::atomic<int64_t>> sent(total);
  std::vector<int64_t> received(total, 0);
  std::atomic<bool> done{false};
  int got = 0;
  std::thread consumer([&] {
    while (got < total && !done.load()) {
      auto r = reader.Command({"XREADGROUP", "GROUP", "g", "c", "COUNT", "500",
                               "BLOCK", "200", "STREAMS", stream, ">"},
                              absl::Seconds(3));
      if (!r.ok() || r->elements.empty()) continue;
      const int64_t now = NowNanos();
      std::vector<std::string> ack = {"XACK", stream, "g"};
      for (const auto& entry : r->elements[0].elements[1].elements) {
        int i = -1;
        const auto& fields = entry.elements[1].elements;
        for (size_t f = 0; f + 1 < fields.size(); f += 2) {
          if (fields[f].str == "n") absl::SimpleAtoi(fields[f + 1].str, &i);
        }
        if (i >= 0 && i < total) {
          received[i] = now;
          ++got;
        }
        ack.push_back(entry.elements[0].str);
      }
      reader.Command(ack).IgnoreError();
    }
  });
  const absl::Time start = absl::Now();
  for (int i = 0; i < total; i += pace.per_commit) {
    PaceUntil(pace.Due(start, i));
    std::vector<std::vector<std::string>> cmds;
    for (int j = i; j < std::min(total, i + pace.per_commit); ++j) {
      cmds.push_back({"XADD", stream, "*", "n", absl::StrCat(j), "event",
                      SampleEvent(j).SerializeAsString()});
    }
    const int64_t now = NowNanos();
    for (int j = i; j < std::min(total, i + pace.per_commit); ++j) {
      sent[j] = now;
    }
    auto r = writer.Pipeline(cmds);
    if (!r.ok()) {
      done = true;
      consumer.join();
      return r.status();
    }
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline && got < total) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  done = true;
  consumer.join();
  std::vector<double> lat;
  int64_t first = INT64_MAX, last = 0;
  for (int i = 0; i < total; ++i) {
    if (received[i] == 0) continue;
    first = std::min(first, sent[i].load());
    last = std::max(last, received[i]);
    if (absl::FromUnixNanos(sent[i]) - start < kWarmUp) continue;
    lat.push_back(static_cast<double>(received[i] - sent[i]) / 1e6);
  }
  Latencies out;
  out.count = static_cast<int64_t>(lat.size());
  out.ms = Summarize(lat);
  if (last > first)
    out.per_second = got / (static_cast<double>(last - first) / 1e9);
  return out;
}

// Shared by the 1,000 stream readers.
struct Board {
  explicit Board(int total)
      : committed(total), received(total), routed(total) {}
  std::vector<std::atomic<int64_t>> committed;
  std::vector<std::atomic<int64_t>> received;
  // The Notification's create_time: when the service routed the event.
  std::vector<std::atomic<int64_t>> routed;
  std::atomic<int64_t> delivered{0};
  std::atomic<int64_t> duplicates{0};
  std::atomic<int> ready{0};
  std::atomic<int> failed{0};
};

// One Subscribe stream on the callback API.
class StreamReader final
    : public grpc::ClientReadReactor<notification::v1::Notification> {
 public:
  StreamReader(notification::v1::NotificationService::Stub* stub,
               const std::string& token, const std::string& recipient,
               Board* board)
      : board_(board) {
    rpc::PrepareContext(&ctx_, absl::Hours(1), token);
    request_.set_parent(absl::StrCat(
        "recipients/enterprises~", recipient.substr(recipient.find('/') + 1)));
    stub->async()->Subscribe(&ctx_, &request_, this);
    StartRead(&message_);
    StartCall();
  }

  void OnReadInitialMetadataDone(bool ok) override {
    if (ok) ++board_->ready;
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream ended; OnDone follows
    const int64_t now = NowNanos();
    const int i = IndexOfSubject(message_.subject());
    if (i >= 0 && i < static_cast<int>(board_->received.size())) {
      int64_t expected = 0;
      if (board_->received[i].compare_exchange_strong(expected, now)) {
        board_->routed[i] =
            TimeUtil::TimestampToNanoseconds(message_.create_time());
        ++board_->delivered;
      } else {
        ++board_->duplicates;
      }
    }
    StartRead(&message_);
  }
  void OnDone(const grpc::Status& s) override {
    if (!s.ok() && s.error_code() != grpc::StatusCode::CANCELLED) {
      ++board_->failed;
    }
    absl::MutexLock lock(&mu_);
    done_ = true;
  }
  void Cancel() { ctx_.TryCancel(); }
  void WaitDone() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&done_));
  }

 private:
  Board* const board_;
  grpc::ClientContext ctx_;
  notification::v1::SubscribeRequest request_;
  notification::v1::Notification message_;
  absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

std::string BinaryDir(const Args& args) {
  for (const std::string& a : args.rest) {
    if (absl::StartsWith(a, "--binary_dir=")) return a.substr(13);
  }
  // <build>/tools/bench/jalin-bench
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".")
            : exe.parent_path().parent_path().parent_path().string();
}

// --rate=N events/s (default 10,000), to see how latency grows with load.
int Rate(const Args& args) {
  for (const std::string& a : args.rest) {
    int rate = 0;
    if (absl::StartsWith(a, "--rate=") &&
        absl::SimpleAtoi(a.substr(7), &rate) && rate > 0) {
      return rate;
    }
  }
  return kDefaultRate;
}

std::string StoreSync(const Args& args) {
  for (const std::string& a : args.rest) {
    if (a == "--store_sync=full") return "full";
  }
  return "normal";
}

// --redis_aof_rewrite=off: no append-only file rewrite during the run.
bool AofRewrites(const Args& args) {
  for (const std::string& a : args.rest) {
    if (a == "--redis_aof_rewrite=off") return false;
  }
  return true;
}

// A numeric field of Redis's INFO `section` ("aof_rewrites"), or -1.
int64_t RedisInfo(redis::Client& redis, const std::string& section,
                  absl::string_view field) {
  absl::StatusOr<redis::Reply> info = redis.Command({"INFO", section});
  if (!info.ok()) return -1;
  for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
    if (!absl::ConsumePrefix(&line, field) || !absl::ConsumePrefix(&line, ":"))
      continue;
    int64_t v = 0;
    return absl::SimpleAtoi(line, &v) ? v : -1;
  }
  return -1;
}

}  // namespace

int NotificationFanoutScenario(const Args& args);

JALIN_BENCH_SCENARIO(notification_fanout_scenario, "notification-fanout",
                     "10,000 events/s through the outbox to 1,000 live "
                     "Subscribe streams: commit-to-subscriber latency vs raw "
                     "Redis XADD->XREADGROUP",
                     NotificationFanoutScenario);

int NotificationFanoutScenario(const Args& args) {
  const absl::Duration duration =
      std::max(absl::Seconds(2), absl::Seconds(30) * args.scale);
  const Pace pace = Pace::For(Rate(args));
  const int total =
      static_cast<int>(absl::ToDoubleSeconds(duration) * pace.rate);
  const std::string sync = StoreSync(args);
  const std::string binary_dir = BinaryDir(args);
  if (!std::filesystem::exists(binary_dir +
                               "/services/notification/jalin-notification")) {
    std::fprintf(stderr,
                 "jalin-notification not found under %s: build it first "
                 "(ninja -C build/release jalin-notification) or pass "
                 "--binary_dir=<build dir>\n",
                 binary_dir.c_str());
    return 2;
  }

  testing::Suite suite(binary_dir);
  absl::Status started = suite.Start(
      {"notification"},
      {{"notification",
        {"JALIN_STORE_SYNC=" + sync, "JALIN_LOG_LEVEL=warn",
         "JALIN_EVENT_SOURCES=registry",
         // No registry in this run; recipients are enterprises anyway.
         "JALIN_REGISTRY_ADDRESS=127.0.0.1:1"}}});
  if (!started.ok()) return Fail("starting jalin-notification", started);

  Print("events", total, "events");
  Print("publish_rate", pace.rate, "events/s");
  Print("subscribe_streams", kSubscribers, "streams");
  Print("store_sync_full", sync == "full" ? 1 : 0, "flag");

  // Baseline first, on the same Redis, while nothing else runs.
  absl::StatusOr<Latencies> raw = RunRaw(
      suite.redis().address(), std::min(duration, absl::Seconds(10)), pace);
  if (!raw.ok()) return Fail("raw baseline", raw.status());
  Print("raw_xadd_xreadgroup_latency_p50", raw->ms.p50, "ms");
  Print("raw_xadd_xreadgroup_latency_p99", raw->ms.p99, "ms");
  Print("raw_xadd_xreadgroup_latency_max", raw->ms.max, "ms");

  // 1,000 streams over a few connections.
  std::vector<std::unique_ptr<notification::v1::NotificationService::Stub>>
      stubs;
  for (int c = 0; c < kChannels; ++c) {
    grpc::ChannelArguments ch;
    ch.SetInt("jalin.bench.channel", c);  // a connection per channel
    stubs.push_back(notification::v1::NotificationService::NewStub(
        grpc::CreateCustomChannel(suite.address("notification"),
                                  grpc::InsecureChannelCredentials(), ch)));
  }
  Board board(total);
  std::vector<std::unique_ptr<StreamReader>> readers;
  for (int r = 0; r < kSubscribers; ++r) {
    auth::Principal member;
    member.subject = absl::StrCat("users/bench-", r);
    member.role = auth::Role::kMember;
    member.organization = Recipient(r);
    readers.push_back(std::make_unique<StreamReader>(
        stubs[r % kChannels].get(), suite.Token(member), Recipient(r), &board));
  }
  const absl::Time ready_deadline = absl::Now() + absl::Seconds(60);
  while (board.ready.load() < kSubscribers && absl::Now() < ready_deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  if (board.ready.load() < kSubscribers) {
    return Fail("opening streams",
                absl::DeadlineExceededError(absl::StrCat(
                    board.ready.load(), " of ", kSubscribers, " open")));
  }

  // The producer: its own store, outbox and relay, as a service has them.
  auto db =
      storage::SqliteDatabase::Open({.path = suite.dir().File("producer.db"),
                                     .synchronous_full = sync == "full"});
  if (!db.ok()) return Fail("producer store", db.status());
  if (auto s = events::Outbox::Migrate(**db); !s.ok()) {
    return Fail("producer outbox", s);
  }
  // Like the service, the producer checkpoints off its commit path.
  storage::SqliteCheckpointer checkpointer(
      db->get(), {.path = suite.dir().File("producer.db")});
  if (auto s = checkpointer.Start(); !s.ok()) {
    return Fail("producer checkpoints", s);
  }
  redis::Client redis({.address = suite.redis().address()});
  const bool aof_rewrites = AofRewrites(args);
  if (!aof_rewrites) {
    auto set =
        redis.Command({"CONFIG", "SET", "auto-aof-rewrite-percentage", "0"});
    if (!set.ok()) return Fail("turning AOF rewrites off", set.status());
  }
  const int64_t rewrites_before =
      RedisInfo(redis, "persistence", "aof_rewrites");
  events::OutboxRelay relay(db->get(), &redis,
                            {.stream = events::StreamName("registry")});
  events::Outbox outbox([&relay] { relay.Notify(); });
  relay.Start();

  // The service's WAL, sampled while events flow: a store under a steady
  // write load must keep it bounded (see sqlite_checkpointer.h).
  const std::string wal = suite.dir().File("notification.db") + "-wal";
  std::atomic<uintmax_t> wal_peak{0};
  std::atomic<bool> sampling{true};
  std::thread sampler([&] {
    while (sampling.load()) {
      std::error_code ec;
      const uintmax_t size = std::filesystem::file_size(wal, ec);
      if (!ec && size > wal_peak.load()) wal_peak = size;
      absl::SleepFor(absl::Milliseconds(50));
    }
  });

  std::vector<events::v1::Event> prepared;
  prepared.reserve(total);
  for (int i = 0; i < total; ++i) prepared.push_back(SampleEvent(i));
  const absl::Time start = absl::Now();
  for (int i = 0; i < total; i += pace.per_commit) {
    PaceUntil(pace.Due(start, i));
    const int end = std::min(total, i + pace.per_commit);
    absl::Status s = (*db)->Write([&](storage::Transaction& tx) {
      // Runs first after the commit, before the relay is woken.
      tx.OnCommit([&board, i, end] {
        const int64_t now = NowNanos();
        for (int j = i; j < end; ++j) board.committed[j] = now;
      });
      for (int j = i; j < end; ++j) {
        absl::Status a = outbox.Append(tx, prepared[j]);
        if (!a.ok()) return a;
      }
      return absl::OkStatus();
    });
    if (!s.ok()) {
      sampling = false;
      sampler.join();
      return Fail("producer commit", s);
    }
  }
  const absl::Time published = absl::Now();
  const absl::Time deadline = published + absl::Seconds(120);
  while (board.delivered.load() < total && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  sampling = false;
  sampler.join();
  relay.FlushAndStop(absl::Now()).IgnoreError();
  for (auto& r : readers) r->Cancel();
  for (auto& r : readers) r->WaitDone();

  std::vector<double> lat, to_route, from_route;
  int64_t last = 0;
  for (int i = 0; i < total; ++i) {
    const int64_t got = board.received[i].load();
    if (got == 0) continue;
    last = std::max(last, got);
    const int64_t committed = board.committed[i].load();
    if (absl::FromUnixNanos(committed) - start < kWarmUp) continue;
    lat.push_back(static_cast<double>(got - committed) / 1e6);
    const int64_t routed = board.routed[i].load();
    to_route.push_back(static_cast<double>(routed - committed) / 1e6);
    from_route.push_back(static_cast<double>(got - routed) / 1e6);
  }
  const Percentiles e2e = Summarize(lat);
  const double seconds =
      static_cast<double>(last - absl::ToUnixNanos(start)) / 1e9;
  Print("achieved_publish_rate",
        total / absl::ToDoubleSeconds(published - start), "events/s");
  Print("delivered_messages", static_cast<double>(board.delivered.load()),
        "messages");
  Print("duplicate_messages", static_cast<double>(board.duplicates.load()),
        "messages");
  Print("failed_streams", board.failed.load(), "streams");
  Print("delivered_messages_per_second",
        seconds > 0 ? board.delivered.load() / seconds : 0, "messages/s");
  Print("commit_to_subscriber_latency_p50", e2e.p50, "ms");
  Print("commit_to_subscriber_latency_p99", e2e.p99, "ms");
  Print("commit_to_subscriber_latency_max", e2e.max, "ms");
  const Percentiles upstream = Summarize(to_route);
  const Percentiles downstream = Summarize(from_route);
  Print("commit_to_route_latency_p50", upstream.p50, "ms");
  Print("commit_to_route_latency_p99", upstream.p99, "ms");
  Print("route_to_subscriber_latency_p50", downstream.p50, "ms");
  Print("route_to_subscriber_latency_p99", downstream.p99, "ms");
  Print("redis_aof_rewrite_on", aof_rewrites ? 1 : 0, "flag");
  Print("redis_aof_rewrites_during_run",
        RedisInfo(redis, "persistence", "aof_rewrites") - rewrites_before,
        "rewrites");
  Print("redis_latest_fork",
        RedisInfo(redis, "stats", "latest_fork_usec") / 1000.0, "ms");
  Print("notification_store_wal_peak",
        static_cast<double>(wal_peak.load()) / (1 << 20), "MiB");
  Print("p99_over_raw_p99", raw->ms.p99 > 0 ? e2e.p99 / raw->ms.p99 : 0, "x");
  Print("goal_p99", kGoalMs, "ms");
  if (board.delivered.load() < total || board.duplicates.load() > 0) {
    std::fprintf(stderr, "delivered %lld of %d, %lld duplicates\n",
                 static_cast<long long>(board.delivered.load()), total,
                 static_cast<long long>(board.duplicates.load()));
    PrintRatio(0, 1.0);
    return 1;
  }
  // Goal: p99 under 10 ms end to end (ratio >= 1).
  return PrintRatio(e2e.p99 > 0 ? kGoalMs / e2e.p99 : 0, 1.0);
}

}  // namespace jalin::bench
