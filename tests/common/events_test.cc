// Outbox, relay and consumer against a real redis-server and real SQLite
// files, one behaviour per test.

#include <atomic>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/events/event_builder.h"
#include "common/events/event_consumer.h"
#include "common/events/outbox.h"
#include "common/events/outbox_relay.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/redis_server.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/registry_events.pb.h"

namespace jalin::events {
namespace {

using ::testing::ElementsAre;

constexpr char kStream[] = "jalin.test.events";

v1::Event NewEvent(const std::string& subject) {
  v1::ListingEvent payload;
  payload.mutable_listing()->set_name(subject);
  return MakeEvent({.service = "test",
                    .type = "jalin.test.listing.created",
                    .subject = subject,
                    .regions = {"regions/33.13"}},
                   payload, absl::Now());
}

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::RedisServer::Start(dir_.path());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    redis_ = std::make_unique<redis::Client>(
        redis::Options{.address = server_->address()});
    db_ = Open("producer.db");
    ASSERT_TRUE(Outbox::Migrate(*db_).ok());
    consumer_db_ = Open("consumer.db");
    ASSERT_TRUE(EventConsumer::Migrate(*consumer_db_).ok());
  }

  std::unique_ptr<storage::SqliteDatabase> Open(const std::string& name) {
    auto db = storage::SqliteDatabase::Open({.path = dir_.File(name)});
    EXPECT_TRUE(db.ok()) << db.status();
    return *std::move(db);
  }

  void Append(const std::vector<std::string>& subjects) {
    Outbox outbox;
    ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) -> absl::Status {
                     for (const auto& s : subjects) {
                       RETURN_IF_ERROR(outbox.Append(tx, NewEvent(s)));
                     }
                     return absl::OkStatus();
                   })
                    .ok());
  }

  // XADDs an event directly, as a relay would (also used to duplicate one).
  void Publish(const v1::Event& e) {
    ASSERT_TRUE(redis_
                    ->Command({"XADD", kStream, "*", "id", e.id(), "type",
                               e.type(), "event", e.SerializeAsString()})
                    .ok());
  }

  // Entries delivered to group "g" and not yet acknowledged.
  int64_t PendingCount() {
    auto r = redis_->Command({"XPENDING", kStream, "g"});
    return r.ok() && !r->elements.empty() ? r->elements[0].integer : -1;
  }

  // How many times Redis ran `command` (lower case), from INFO commandstats.
  int64_t CommandCalls(const std::string& command) {
    auto r = redis_->Command({"INFO", "commandstats"});
    if (!r.ok()) return -1;
    const std::string key = absl::StrCat("cmdstat_", command, ":calls=");
    const size_t at = r->str.find(key);
    if (at == std::string::npos) return 0;
    int64_t calls = 0;
    const size_t from = at + key.size();
    const size_t end = r->str.find(',', from);
    if (!absl::SimpleAtoi(r->str.substr(from, end - from), &calls)) return -1;
    return calls;
  }

  int64_t StreamLength(const std::string& stream) {
    auto r = redis_->Command({"XLEN", stream});
    return r.ok() ? r->integer : -1;
  }

  ConsumerOptions Options(const std::string& consumer = "c1") {
    return {.stream = kStream,
            .group = "g",
            .consumer = consumer,
            .block = absl::Milliseconds(50),
            .claim_min_idle = absl::Milliseconds(200),
            .claim_interval = absl::ZeroDuration(),
            .max_attempts = 3,
            .retry_backoff = absl::Milliseconds(1),
            .max_backoff = absl::Milliseconds(5)};
  }

  // Polls until `done` or 200 rounds.
  void PollUntil(EventConsumer& c, const std::function<bool()>& done) {
    for (int i = 0; i < 200 && !done(); ++i) c.PollOnce().IgnoreError();
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::RedisServer> server_;
  std::unique_ptr<redis::Client> redis_;
  std::unique_ptr<storage::SqliteDatabase> db_;
  std::unique_ptr<storage::SqliteDatabase> consumer_db_;
};

TEST_F(EventsTest, RelayPublishesInOrderWithSequenceAndEmptiesTheOutbox) {
  Append({"listings/a", "listings/b"});
  Append({"listings/c"});
  OutboxRelay relay(db_.get(), redis_.get(), {.stream = kStream});
  auto n = relay.PublishBatch();
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 3);
  auto r = redis_->Command({"XRANGE", kStream, "-", "+"});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->elements.size(), 3u);
  std::vector<std::pair<std::string, uint64_t>> got;
  for (const auto& entry : r->elements) {
    const auto& fields = entry.elements[1].elements;
    v1::Event e;
    ASSERT_TRUE(e.ParseFromString(fields[7].str));
    got.emplace_back(e.subject(), e.sequence());
  }
  EXPECT_THAT(got,
              ElementsAre(std::pair<std::string, uint64_t>{"listings/a", 1},
                          std::pair<std::string, uint64_t>{"listings/b", 2},
                          std::pair<std::string, uint64_t>{"listings/c", 3}));
  OutboxPosition pos;
  ASSERT_TRUE(db_->Read([&](storage::Transaction& tx) -> absl::Status {
                   ASSIGN_OR_RETURN(pos, Outbox::Position(tx));
                   ASSIGN_OR_RETURN(int64_t pending, Outbox::PendingCount(tx));
                   EXPECT_EQ(pending, 0);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(pos.last_sequence, 3u);
  EXPECT_EQ(pos.last_stream_id, r->elements[2].elements[0].str);
}

TEST_F(EventsTest, PositionCountsUnpublishedEvents) {
  Append({"listings/a", "listings/b"});
  OutboxPosition pos;
  ASSERT_TRUE(db_->Read([&](storage::Transaction& tx) -> absl::Status {
                   ASSIGN_OR_RETURN(pos, Outbox::Position(tx));
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(pos.last_sequence, 2u);
  EXPECT_EQ(pos.last_stream_id, "0-0");
}

TEST_F(EventsTest, WritesSucceedWhileRedisIsDownAndDrainLater) {
  ASSERT_TRUE(server_->Stop().ok());
  Append({"listings/a", "listings/b"});  // the service's write still commits
  OutboxRelay relay(db_.get(), redis_.get(), {.stream = kStream});
  auto n = relay.PublishBatch();
  EXPECT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(relay.healthy());
  ASSERT_TRUE(server_->Restart().ok());
  n = relay.PublishBatch();
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 2);
  EXPECT_TRUE(relay.healthy());
  EXPECT_EQ(StreamLength(kStream), 2);
}

TEST_F(EventsTest, RelayThreadPublishesOnNotifyAndFlushes) {
  OutboxRelay relay(db_.get(), redis_.get(),
                    {.stream = kStream, .idle_poll = absl::Hours(1)});
  relay.Start();
  Outbox outbox([&relay] { relay.Notify(); });
  ASSERT_TRUE(db_->Write([&](storage::Transaction& tx) {
                   return outbox.Append(tx, NewEvent("listings/x"));
                 })
                  .ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (StreamLength(kStream) < 1 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(StreamLength(kStream), 1);
  Append({"listings/y"});  // without a notify: FlushAndStop sends it
  EXPECT_TRUE(relay.FlushAndStop(absl::Now() + absl::Seconds(5)).ok());
  EXPECT_EQ(StreamLength(kStream), 2);
}

TEST_F(EventsTest, ConsumerAppliesEachEventOnceEvenWhenPublishedTwice) {
  std::vector<std::string> applied;
  EventConsumer c(redis_.get(), consumer_db_.get(), Options(),
                  [&](const v1::Event& e, storage::Transaction* tx) {
                    EXPECT_NE(tx, nullptr);
                    applied.push_back(e.subject());
                    return absl::OkStatus();
                  });
  v1::Event a = NewEvent("listings/a");
  v1::Event b = NewEvent("listings/b");
  Publish(a);
  Publish(b);
  Publish(a);  // duplicate, e.g. a relay retry
  PollUntil(c, [&] { return c.applied() + c.duplicates() == 3; });
  EXPECT_THAT(applied, ElementsAre("listings/a", "listings/b"));
  EXPECT_EQ(c.duplicates(), 1);
  c.Stop();
  EXPECT_EQ(PendingCount(), 0);  // all acknowledged
}

TEST_F(EventsTest, AcknowledgementsRideOnTheNextReadOrGoOutAtStop) {
  std::vector<std::string> applied;
  ConsumerOptions options = Options();
  options.claim_interval = absl::Hours(1);  // only the first round reclaims
  auto consumer = std::make_unique<EventConsumer>(
      redis_.get(), consumer_db_.get(), options,
      [&](const v1::Event& e, storage::Transaction*) {
        applied.push_back(e.subject());
        return absl::OkStatus();
      });
  Publish(NewEvent("listings/a"));
  Publish(NewEvent("listings/b"));
  ASSERT_TRUE(consumer->PollOnce().ok());
  ASSERT_EQ(applied.size(), 2u);
  // Applied and committed; the acknowledgements wait for the next read.
  EXPECT_EQ(PendingCount(), 2);
  const int64_t acks_before = CommandCalls("xack");
  const int64_t reads_before = CommandCalls("xreadgroup");
  Publish(NewEvent("listings/c"));
  ASSERT_TRUE(consumer->PollOnce().ok());
  EXPECT_EQ(applied.size(), 3u);
  // One XACK, sent ahead of the read that fetched c: only c is pending.
  EXPECT_EQ(CommandCalls("xack") - acks_before, 1);
  EXPECT_EQ(CommandCalls("xreadgroup") - reads_before, 1);
  EXPECT_EQ(PendingCount(), 1);
  // Stop sends the rest; a new consumer of the group finds nothing pending
  // and nothing new.
  consumer.reset();
  EXPECT_EQ(PendingCount(), 0);
  EventConsumer again(redis_.get(), consumer_db_.get(), Options(),
                      [&](const v1::Event& e, storage::Transaction*) {
                        applied.push_back(e.subject());
                        return absl::OkStatus();
                      });
  ASSERT_TRUE(again.PollOnce().ok());
  ASSERT_TRUE(again.PollOnce().ok());
  EXPECT_THAT(applied, ElementsAre("listings/a", "listings/b", "listings/c"));
  EXPECT_EQ(again.duplicates(), 0);
}

TEST_F(EventsTest, AcknowledgementsLostWithAReadAreSentLater) {
  std::atomic<int> applied{0};
  ConsumerOptions options = Options();
  options.claim_interval = absl::Hours(1);  // only the first round reclaims
  EventConsumer c(redis_.get(), consumer_db_.get(), options,
                  [&](const v1::Event&, storage::Transaction*) {
                    ++applied;
                    return absl::OkStatus();
                  });
  Publish(NewEvent("listings/a"));
  ASSERT_TRUE(c.PollOnce().ok());
  ASSERT_EQ(applied, 1);
  // Redis goes away before the next read: that read and its queued
  // acknowledgement fail together.
  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_FALSE(c.PollOnce().ok());
  ASSERT_TRUE(server_->Restart().ok());
  Publish(NewEvent("listings/b"));
  PollUntil(c, [&] { return applied == 2; });
  c.Stop();
  EXPECT_EQ(applied, 2);
  EXPECT_EQ(c.duplicates(), 0);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(EventsTest, HandlerFailureRollsBackItsWritesAndDeadLettersAfterRetries) {
  ASSERT_TRUE(consumer_db_
                  ->Write([](storage::Transaction& tx) {
                    return tx.Exec("CREATE TABLE seen (subject TEXT)");
                  })
                  .ok());
  int attempts_on_bad = 0;
  EventConsumer c(
      redis_.get(), consumer_db_.get(), Options(),
      [&](const v1::Event& e, storage::Transaction* tx) -> absl::Status {
        RETURN_IF_ERROR(tx->Exec("INSERT INTO seen VALUES (?)",
                                 {storage::Param(e.subject())}));
        if (e.subject() == "listings/bad") {
          ++attempts_on_bad;
          return absl::InvalidArgumentError("cannot apply");
        }
        return absl::OkStatus();
      });
  Publish(NewEvent("listings/a"));
  Publish(NewEvent("listings/bad"));
  Publish(NewEvent("listings/c"));
  PollUntil(c, [&] { return c.applied() == 2 && c.dead_lettered() == 1; });
  EXPECT_EQ(attempts_on_bad, 3);
  EXPECT_EQ(c.dead_lettered(), 1);
  EXPECT_EQ(StreamLength(c.dead_letter_stream()), 1);
  std::vector<std::string> seen;
  ASSERT_TRUE(consumer_db_
                  ->Read([&](storage::Transaction& tx) {
                    return tx.Query("SELECT subject FROM seen", {},
                                    [&](const storage::Row& r) {
                                      seen.emplace_back(r.Text(0));
                                      return absl::OkStatus();
                                    });
                  })
                  .ok());
  // The failing event's own insert was rolled back; the others kept order.
  EXPECT_THAT(seen, ElementsAre("listings/a", "listings/c"));
}

TEST_F(EventsTest, TransientFailureHoldsBackLaterEventsUntilItSucceeds) {
  int failures_left = 5;  // more than max_attempts: spans several rounds
  std::vector<std::string> applied;
  EventConsumer c(
      redis_.get(), consumer_db_.get(), Options(),
      [&](const v1::Event& e, storage::Transaction*) -> absl::Status {
        if (e.subject() == "listings/slow" && failures_left > 0) {
          --failures_left;
          return absl::UnavailableError("dependency down");
        }
        applied.push_back(e.subject());
        return absl::OkStatus();
      });
  Publish(NewEvent("listings/slow"));
  Publish(NewEvent("listings/next"));
  PollUntil(c, [&] { return applied.size() == 2; });
  EXPECT_THAT(applied, ElementsAre("listings/slow", "listings/next"));
  EXPECT_EQ(c.dead_lettered(), 0);
}

TEST_F(EventsTest, UndecodableEntryIsDeadLettered) {
  ASSERT_TRUE(
      redis_->Command({"XADD", kStream, "*", "event", "\xff\xff garbage"})
          .ok());
  Publish(NewEvent("listings/ok"));
  std::vector<std::string> applied;
  EventConsumer c(redis_.get(), consumer_db_.get(), Options(),
                  [&](const v1::Event& e, storage::Transaction*) {
                    applied.push_back(e.subject());
                    return absl::OkStatus();
                  });
  PollUntil(c, [&] { return applied.size() == 1 && c.dead_lettered() == 1; });
  EXPECT_THAT(applied, ElementsAre("listings/ok"));
  EXPECT_EQ(c.dead_lettered(), 1);
}

TEST_F(EventsTest, RestartedConsumerDrainsItsPendingEntriesFirst) {
  Publish(NewEvent("listings/a"));
  Publish(NewEvent("listings/b"));
  // A previous life of consumer "c1" read both and died before acking.
  ASSERT_TRUE(redis_->Command({"XGROUP", "CREATE", kStream, "g", "0"}).ok());
  ASSERT_TRUE(redis_
                  ->Command({"XREADGROUP", "GROUP", "g", "c1", "COUNT", "10",
                             "STREAMS", kStream, ">"})
                  .ok());
  Publish(NewEvent("listings/c"));
  std::vector<std::string> applied;
  EventConsumer c(redis_.get(), consumer_db_.get(), Options("c1"),
                  [&](const v1::Event& e, storage::Transaction*) {
                    applied.push_back(e.subject());
                    return absl::OkStatus();
                  });
  PollUntil(c, [&] { return applied.size() == 3; });
  EXPECT_THAT(applied, ElementsAre("listings/a", "listings/b", "listings/c"));
}

// An XREADGROUP whose reply is lost (timeout, dropped connection, a server
// shutting down) still moved its entries into this consumer's pending list.
// The test does that read itself on another connection, then makes the
// consumer's next round fail; the entry it never saw must come before any
// newer one, not half a minute later through a reclaim.
TEST_F(EventsTest, AfterAFailedRoundUnseenPendingEntriesComeFirst) {
  ConsumerOptions options = Options("c1");
  options.claim_min_idle = absl::Minutes(10);  // no reclaim to the rescue
  std::vector<std::string> applied;
  EventConsumer c(redis_.get(), consumer_db_.get(), options,
                  [&](const v1::Event& e, storage::Transaction*) {
                    applied.push_back(e.subject());
                    return absl::OkStatus();
                  });
  Publish(NewEvent("listings/a"));
  PollUntil(c, [&] { return applied.size() == 1; });
  Publish(NewEvent("listings/b"));
  ASSERT_TRUE(redis_
                  ->Command({"XREADGROUP", "GROUP", "g", "c1", "COUNT", "10",
                             "STREAMS", kStream, ">"})
                  .ok());
  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_FALSE(c.PollOnce().ok());
  ASSERT_TRUE(server_->Restart().ok());
  Publish(NewEvent("listings/c"));
  PollUntil(c, [&] { return applied.size() == 3; });
  EXPECT_THAT(applied, ElementsAre("listings/a", "listings/b", "listings/c"));
}

TEST_F(EventsTest, EntriesStuckWithADeadConsumerAreReclaimed) {
  Publish(NewEvent("listings/stuck"));
  ASSERT_TRUE(redis_->Command({"XGROUP", "CREATE", kStream, "g", "0"}).ok());
  ASSERT_TRUE(redis_
                  ->Command({"XREADGROUP", "GROUP", "g", "dead", "COUNT", "10",
                             "STREAMS", kStream, ">"})
                  .ok());
  std::vector<std::string> applied;
  EventConsumer c(redis_.get(), consumer_db_.get(), Options("alive"),
                  [&](const v1::Event& e, storage::Transaction*) {
                    applied.push_back(e.subject());
                    return absl::OkStatus();
                  });
  c.PollOnce().IgnoreError();
  EXPECT_TRUE(applied.empty());             // not idle long enough yet
  absl::SleepFor(absl::Milliseconds(250));  // claim_min_idle is 200 ms
  PollUntil(c, [&] { return applied.size() == 1; });
  EXPECT_THAT(applied, ElementsAre("listings/stuck"));
}

TEST_F(EventsTest, EntryDeliveredTooOftenIsDeadLetteredWithoutRunning) {
  Publish(NewEvent("listings/poison"));
  ASSERT_TRUE(redis_->Command({"XGROUP", "CREATE", kStream, "g", "0"}).ok());
  // Six earlier lives read it and crashed (max_deliveries is 5).
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(redis_
                    ->Command({"XREADGROUP", "GROUP", "g", "c1", "COUNT", "10",
                               "STREAMS", kStream, i == 0 ? ">" : "0"})
                    .ok());
  }
  int runs = 0;
  EventConsumer c(redis_.get(), consumer_db_.get(), Options("c1"),
                  [&](const v1::Event&, storage::Transaction*) {
                    ++runs;
                    return absl::OkStatus();
                  });
  PollUntil(c, [&] { return c.dead_lettered() == 1; });
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(c.dead_lettered(), 1);
}

TEST_F(EventsTest, WithoutAStoreDuplicatesAreDroppedInMemory) {
  std::vector<std::string> applied;
  EventConsumer c(redis_.get(), nullptr, Options(),
                  [&](const v1::Event& e, storage::Transaction* tx) {
                    EXPECT_EQ(tx, nullptr);
                    applied.push_back(e.subject());
                    return absl::OkStatus();
                  });
  v1::Event a = NewEvent("listings/a");
  Publish(a);
  Publish(a);
  PollUntil(c, [&] { return c.applied() + c.duplicates() == 2; });
  EXPECT_THAT(applied, ElementsAre("listings/a"));
}

TEST_F(EventsTest, ConsumerRecoversWhenRedisRestarts) {
  std::atomic<int> applied{0};
  EventConsumer c(redis_.get(), consumer_db_.get(), Options(),
                  [&](const v1::Event&, storage::Transaction*) {
                    ++applied;
                    return absl::OkStatus();
                  });
  Publish(NewEvent("listings/a"));
  PollUntil(c, [&] { return applied == 1; });
  ASSERT_TRUE(server_->Restart().ok());
  Publish(NewEvent("listings/b"));
  PollUntil(c, [&] { return applied == 2; });
  EXPECT_EQ(applied, 2);
  EXPECT_TRUE(c.healthy());
}

}  // namespace
}  // namespace jalin::events
