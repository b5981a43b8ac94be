// 10,000 events flow from an outbox to a consumer in another process while
// the consumer is killed -9 and restarted twice and Redis is stopped and
// restarted once. At the end every event was applied exactly once, in
// sequence order.

#include <signal.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/events/event_builder.h"
#include "common/events/outbox.h"
#include "common/events/outbox_relay.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/process.h"
#include "common/testing/redis_server.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/registry_events.pb.h"

namespace jalin::events {
namespace {

constexpr int kEvents = 10'000;
constexpr int kPhases = 10;
constexpr int kPerTransaction = 20;

class ExactlyOnceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::RedisServer::Start(dir_.path());
    ASSERT_TRUE(server.ok()) << server.status();
    redis_server_ = *std::move(server);
    redis_ = std::make_unique<redis::Client>(
        redis::Options{.address = redis_server_->address()});
    auto db = storage::SqliteDatabase::Open({.path = dir_.File("producer.db")});
    ASSERT_TRUE(db.ok());
    producer_db_ = *std::move(db);
    ASSERT_TRUE(Outbox::Migrate(*producer_db_).ok());
  }

  void StartConsumer() {
    auto p = testing::Process::Start(
        {std::string(JALIN_BINARY_DIR) +
             "/tests/common/jalin-test-event-consumer",
         "--redis=" + redis_server_->address(),
         "--store=" + dir_.File("consumer.db"), "--stream=jalin.test.events"},
        {}, dir_.File("consumer.log"));
    ASSERT_TRUE(p.ok()) << p.status();
    consumer_ = *std::move(p);
  }

  // Rows the consumer has applied so far (read from its store).
  int64_t Applied() {
    auto db = storage::SqliteDatabase::Open({.path = dir_.File("consumer.db")});
    if (!db.ok()) return 0;
    int64_t n = 0;
    (*db)
        ->Read([&](storage::Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(
              n, storage::QueryInt(tx, "SELECT COUNT(*) FROM applied", {}));
          return absl::OkStatus();
        })
        .IgnoreError();
    return n;
  }

  void WaitForApplied(int64_t at_least, absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (Applied() < at_least && absl::Now() < deadline) {
      // Poll the consumer's store; the consumer process gives no other signal.
      consumer_->Wait(absl::Milliseconds(50)).IgnoreError();
    }
  }

  void Produce(Outbox& outbox, int from, int to) {
    for (int i = from; i < to; i += kPerTransaction) {
      ASSERT_TRUE(
          producer_db_
              ->Write([&](storage::Transaction& tx) -> absl::Status {
                for (int j = i; j < std::min(to, i + kPerTransaction); ++j) {
                  v1::ListingEvent payload;
                  payload.mutable_listing()->set_name(
                      absl::StrCat("listings/", j));
                  RETURN_IF_ERROR(outbox.Append(
                      tx, MakeEvent({.service = "test",
                                     .type = "jalin.test.listing.created",
                                     .subject = absl::StrCat("listings/", j)},
                                    payload, absl::Now())));
                }
                return absl::OkStatus();
              })
              .ok());
    }
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::RedisServer> redis_server_;
  std::unique_ptr<redis::Client> redis_;
  std::unique_ptr<storage::SqliteDatabase> producer_db_;
  std::unique_ptr<testing::Process> consumer_;
};

TEST_F(ExactlyOnceTest, KilledConsumerAndRestartedRedisLoseAndRepeatNothing) {
  OutboxRelay relay(producer_db_.get(), redis_.get(),
                    {.stream = "jalin.test.events",
                     .batch_size = 100,
                     .idle_poll = absl::Milliseconds(50),
                     .max_backoff = absl::Milliseconds(200)});
  Outbox outbox([&relay] { relay.Notify(); });
  relay.Start();
  StartConsumer();

  const int per_phase = kEvents / kPhases;
  for (int phase = 0; phase < kPhases; ++phase) {
    Produce(outbox, phase * per_phase, (phase + 1) * per_phase);
    switch (phase) {
      case 2:
      case 6: {
        // Kill -9 while the consumer is busy with this phase's events.
        WaitForApplied(phase * per_phase + per_phase / 4, absl::Seconds(60));
        consumer_->Signal(SIGKILL).IgnoreError();
        ASSERT_TRUE(consumer_->Wait(absl::Seconds(10)).ok());
        StartConsumer();
        break;
      }
      case 4:
        // Redis goes away while events flow; writes keep succeeding.
        ASSERT_TRUE(redis_server_->Stop().ok());
        break;
      case 5:
        ASSERT_TRUE(redis_server_->Restart().ok());
        break;
      default:
        break;
    }
  }
  WaitForApplied(kEvents, absl::Seconds(120));
  ASSERT_TRUE(relay.FlushAndStop(absl::Now() + absl::Seconds(10)).ok());
  consumer_->Signal(SIGTERM).IgnoreError();
  auto code = consumer_->Wait(absl::Seconds(10));
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 0) << testing::TailOfFile(consumer_->log_path());

  auto db = storage::SqliteDatabase::Open({.path = dir_.File("consumer.db")});
  ASSERT_TRUE(db.ok());
  int64_t rows = 0, distinct = 0, out_of_order = 0, max_seq = 0;
  ASSERT_TRUE(
      (*db)
          ->Read([&](storage::Transaction& tx) -> absl::Status {
            ASSIGN_OR_RETURN(rows, storage::QueryInt(
                                       tx, "SELECT COUNT(*) FROM applied", {}));
            ASSIGN_OR_RETURN(
                distinct, storage::QueryInt(tx,
                                            "SELECT COUNT(DISTINCT event_id) "
                                            "FROM applied",
                                            {}));
            int64_t last = 0;
            return tx.Query("SELECT seq FROM applied ORDER BY n", {},
                            [&](const storage::Row& r) {
                              if (r.Int(0) <= last) ++out_of_order;
                              last = r.Int(0);
                              max_seq = std::max(max_seq, last);
                              return absl::OkStatus();
                            });
          })
          .ok());
  EXPECT_EQ(rows, kEvents) << testing::TailOfFile(consumer_->log_path());
  EXPECT_EQ(distinct, kEvents);
  EXPECT_EQ(out_of_order, 0);
  EXPECT_EQ(max_seq, kEvents);
}

}  // namespace
}  // namespace jalin::events
