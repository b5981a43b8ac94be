// Scenario "events": what the transactional outbox, the relay and the
// consumer cost compared with raw Redis Streams.
//
// Outbox path: a producer commits events to its SQLite outbox (50 per
// transaction), the relay publishes them with pipelined XADD, a consumer
// reads them with XREADGROUP, applies each with its dedupe record in its
// own SQLite store, and acknowledges after commit. Throughput and saturated
// latency (commit to consumer commit, queueing included) come from pushing
// N events as fast as the producer can; unloaded latency from 300 events
// sent one at a time, each waited for.
//
// Baseline, same run, same payloads: pipelined XADD (50 per round trip) and
// XREADGROUP + XACK with no store at either end, measured the same two ways.
//
// Goal: the ratio of outbox to raw throughput is at least 0.25.

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/events/event_builder.h"
#include "common/events/event_consumer.h"
#include "common/events/outbox.h"
#include "common/events/outbox_relay.h"
#include "common/redis/redis_client.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/redis_server.h"
#include "common/testing/temp_dir.h"
#include "jalin/events/v1/registry_events.pb.h"
#include "tools/bench/bench.h"

namespace jalin::bench {
namespace {

constexpr int kPerTransaction = 50;

constexpr int kOneByOne = 300;

struct Result {
  double events_per_second = 0;
  // Under saturating load: includes queueing behind the backlog.
  Percentiles latency_ms;
  // One event at a time, each waited for: the path's own latency.
  Percentiles unloaded_latency_ms;
};

events::v1::Event SampleEvent(int i) {
  events::v1::ListingEvent payload;
  auto* l = payload.mutable_listing();
  l->set_name(absl::StrCat("listings/bench", i));
  l->set_title("Jahe emprit kering, kadar air di bawah 12%");
  l->set_description(
      "Pasokan rutin dari klaster biofarmaka untuk industri jamu");
  l->set_category("categories/jahe");
  l->set_owner("clusters/biofarmaka-karanganyar");
  l->set_region("regions/33.13");
  l->mutable_quantity()->set_amount(2);
  return events::MakeEvent({.service = "bench",
                            .type = "jalin.registry.listing.created",
                            .subject = absl::StrCat("bench/", i),
                            .regions = {"regions/33.13"}},
                           payload, absl::Now());
}

int IndexOf(const events::v1::Event& e) {
  return std::stoi(e.subject().substr(6));
}

absl::StatusOr<Result> RunRaw(redis::Client& redis, int n) {
  const std::string stream = "bench.raw";
  auto created =
      redis.Command({"XGROUP", "CREATE", stream, "g", "$", "MKSTREAM"});
  if (!created.ok()) return created.status();
  std::vector<absl::Time> sent(n), received(n);
  std::atomic<int> count{0};
  std::thread consumer([&] {
    while (count.load() < n) {
      auto r = redis.Command({"XREADGROUP", "GROUP", "g", "c", "COUNT", "500",
                              "BLOCK", "200", "STREAMS", stream, ">"},
                             absl::Seconds(3));
      if (!r.ok() || r->elements.empty()) continue;
      std::vector<std::string> ack = {"XACK", stream, "g"};
      for (const auto& entry : r->elements[0].elements[1].elements) {
        events::v1::Event e;
        e.ParseFromString(entry.elements[1].elements[7].str);
        received[IndexOf(e)] = absl::Now();
        ack.push_back(entry.elements[0].str);
      }
      redis.Command(ack).IgnoreError();
      count += static_cast<int>(ack.size()) - 3;
    }
  });
  const absl::Time start = absl::Now();
  for (int i = 0; i < n; i += kPerTransaction) {
    std::vector<std::vector<std::string>> cmds;
    for (int j = i; j < std::min(n, i + kPerTransaction); ++j) {
      events::v1::Event e = SampleEvent(j);
      cmds.push_back({"XADD", stream, "*", "id", e.id(), "type", e.type(),
                      "seq", absl::StrCat(j), "event", e.SerializeAsString()});
    }
    const absl::Time now = absl::Now();
    for (int j = i; j < std::min(n, i + kPerTransaction); ++j) sent[j] = now;
    auto r = redis.Pipeline(cmds);
    if (!r.ok()) {
      consumer.detach();
      return r.status();
    }
  }
  consumer.join();
  Result result;
  {
    // One at a time: XADD, then the consumer's blocking read returns it.
    std::vector<double> lat;
    for (int i = 0; i < kOneByOne; ++i) {
      events::v1::Event e = SampleEvent(i);
      const absl::Time t0 = absl::Now();
      auto w = redis.Command(
          {"XADD", stream, "*", "id", e.id(), "event", e.SerializeAsString()});
      auto r = redis.Command({"XREADGROUP", "GROUP", "g", "c", "COUNT", "1",
                              "BLOCK", "1000", "STREAMS", stream, ">"},
                             absl::Seconds(3));
      if (!w.ok() || !r.ok() || r->elements.empty()) {
        return absl::InternalError("raw one-by-one read failed");
      }
      redis
          .Command({"XACK", stream, "g",
                    r->elements[0].elements[1].elements[0].elements[0].str})
          .IgnoreError();
      lat.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    }
    result.unloaded_latency_ms = Summarize(lat);
  }
  absl::Time last = start;
  std::vector<double> lat;
  for (int i = 0; i < n; ++i) {
    lat.push_back(absl::ToDoubleMilliseconds(received[i] - sent[i]));
    last = std::max(last, received[i]);
  }
  result.events_per_second = n / absl::ToDoubleSeconds(last - start);
  result.latency_ms = Summarize(lat);
  return result;
}

absl::StatusOr<Result> RunOutbox(redis::Client& redis,
                                 const testing::TempDir& dir, int n) {
  storage::SqliteOptions po;
  po.path = dir.File("producer.db");
  auto producer_db = storage::SqliteDatabase::Open(po);
  if (!producer_db.ok()) return producer_db.status();
  auto& pdb = **producer_db;
  if (auto s = events::Outbox::Migrate(pdb); !s.ok()) return s;
  storage::SqliteOptions co;
  co.path = dir.File("consumer.db");
  auto consumer_db = storage::SqliteDatabase::Open(co);
  if (!consumer_db.ok()) return consumer_db.status();
  auto& cdb = **consumer_db;
  if (auto s = events::EventConsumer::Migrate(cdb); !s.ok()) return s;
  if (auto s = cdb.Write([](storage::Transaction& tx) {
        return tx.Exec(
            "CREATE TABLE applied (subject TEXT PRIMARY KEY, seq INTEGER)");
      });
      !s.ok()) {
    return s;
  }

  events::OutboxRelay relay(&pdb, &redis, {.stream = "jalin.bench.events"});
  events::Outbox outbox([&relay] { relay.Notify(); });
  std::vector<absl::Time> committed(n), applied(n);
  std::atomic<int> count{0};
  absl::Mutex applied_mu;  // lets the one-by-one phase wait on `count`
  absl::Notification done;
  events::EventConsumer consumer(
      &redis, &cdb,
      {.stream = "jalin.bench.events", .group = "bench", .consumer = "c1"},
      [&](const events::v1::Event& e, storage::Transaction* tx) {
        const int i = IndexOf(e);
        tx->OnCommit([&, i] {
          if (i < n) applied[i] = absl::Now();
          absl::MutexLock lock(&applied_mu);
          if (++count == n) done.Notify();
        });
        return tx->Exec(
            "INSERT INTO applied (subject, seq) VALUES (?, ?)",
            {storage::Param(e.subject()), storage::Param(e.sequence())});
      });
  relay.Start();
  consumer.Start();
  const absl::Time start = absl::Now();
  for (int i = 0; i < n; i += kPerTransaction) {
    const int end = std::min(n, i + kPerTransaction);
    absl::Status s = pdb.Write([&](storage::Transaction& tx) -> absl::Status {
      for (int j = i; j < end; ++j) {
        if (auto st = outbox.Append(tx, SampleEvent(j)); !st.ok()) return st;
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    const absl::Time now = absl::Now();
    for (int j = i; j < end; ++j) committed[j] = now;
  }
  if (!done.WaitForNotificationWithTimeout(absl::Minutes(5))) {
    return absl::DeadlineExceededError(
        absl::StrCat("consumer applied ", count.load(), " of ", n));
  }
  Result result;
  {
    // One at a time: commit one event, wait until the consumer committed it.
    std::vector<double> lat;
    for (int i = 0; i < kOneByOne; ++i) {
      const int target = count.load() + 1;
      const absl::Time t0 = absl::Now();
      absl::Status s = pdb.Write([&](storage::Transaction& tx) {
        return outbox.Append(tx, SampleEvent(n + i));
      });
      if (!s.ok()) return s;
      absl::MutexLock lock(&applied_mu);
      auto reached = [&] { return count.load() >= target; };
      if (!applied_mu.AwaitWithTimeout(absl::Condition(&reached),
                                       absl::Seconds(10))) {
        return absl::DeadlineExceededError("one-by-one event not applied");
      }
      lat.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    }
    result.unloaded_latency_ms = Summarize(lat);
  }
  consumer.Stop();
  relay.FlushAndStop(absl::Now()).IgnoreError();
  absl::Time last = start;
  std::vector<double> lat;
  for (int i = 0; i < n; ++i) {
    lat.push_back(absl::ToDoubleMilliseconds(applied[i] - committed[i]));
    last = std::max(last, applied[i]);
  }
  result.events_per_second = n / absl::ToDoubleSeconds(last - start);
  result.latency_ms = Summarize(lat);
  return result;
}

}  // namespace

int EventsScenario(const Args& args);

JALIN_BENCH_SCENARIO(events_scenario, "events",
                     "outbox -> relay -> Redis stream -> consumer (exactly "
                     "once, in order) vs raw pipelined XADD/XREADGROUP",
                     EventsScenario);

int EventsScenario(const Args& args) {
  const int n = std::max(1000, static_cast<int>(20000 * args.scale));
  testing::TempDir dir;
  auto server = testing::RedisServer::Start(dir.path());
  if (!server.ok()) {
    std::fprintf(stderr, "redis: %s\n",
                 std::string(server.status().message()).c_str());
    return 2;
  }
  redis::Client redis(
      {.address = (*server)->address(), .max_idle_connections = 16});
  Print("events", n, "events");
  absl::StatusOr<Result> raw = RunRaw(redis, n);
  if (!raw.ok()) {
    std::fprintf(stderr, "raw: %s\n",
                 std::string(raw.status().message()).c_str());
    return 2;
  }
  Print("raw_xadd_xreadgroup_throughput", raw->events_per_second, "events/s");
  Print("raw_saturated_latency_p50", raw->latency_ms.p50, "ms");
  Print("raw_saturated_latency_p99", raw->latency_ms.p99, "ms");
  Print("raw_unloaded_latency_p50", raw->unloaded_latency_ms.p50, "ms");
  Print("raw_unloaded_latency_p99", raw->unloaded_latency_ms.p99, "ms");
  absl::StatusOr<Result> outbox = RunOutbox(redis, dir, n);
  if (!outbox.ok()) {
    std::fprintf(stderr, "outbox: %s\n",
                 std::string(outbox.status().message()).c_str());
    return 2;
  }
  Print("outbox_to_consumer_throughput", outbox->events_per_second, "events/s");
  Print("outbox_saturated_latency_p50", outbox->latency_ms.p50, "ms");
  Print("outbox_saturated_latency_p99", outbox->latency_ms.p99, "ms");
  Print("outbox_unloaded_latency_p50", outbox->unloaded_latency_ms.p50, "ms");
  Print("outbox_unloaded_latency_p99", outbox->unloaded_latency_ms.p99, "ms");
  // Goal: durable, exactly-once delivery keeps at least a quarter of what
  // raw Redis Streams move on the same machine.
  return PrintRatio(outbox->events_per_second / raw->events_per_second, 0.25);
}

}  // namespace jalin::bench
