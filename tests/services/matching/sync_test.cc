// Following the registry: loading a snapshot, applying events after its
// position (and only those), rebuilding, retrying a registry that is not up
// yet; the Redis feed placing its consumer group at a snapshot's position
// on a real redis-server, without what earlier runs left pending; and the
// sync on that server through a rebuild over pending entries and a rebuild
// while Redis is down.

#include "services/matching/sync/index_sync.h"

#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/events/event_builder.h"
#include "common/testing/redis_test.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jalin/events/v1/registry_events.pb.h"
#include "services/matching/sync/redis_registry_feed.h"
#include "tests/services/matching/test_data.h"

namespace jalin::matching {
namespace {

using registry::v1::ExportSnapshotResponse;
using registry::v1::Listing;
using ::testing::ElementsAre;

events::v1::Event ListingEvent(const Listing& l, const std::string& verb,
                               uint64_t sequence) {
  events::v1::ListingEvent payload;
  *payload.mutable_listing() = l;
  events::v1::Event e = events::MakeEvent(
      {.service = "registry",
       .type = absl::StrCat("jalin.registry.listing.", verb),
       .subject = l.name()},
      payload, absl::Now());
  e.set_sequence(sequence);
  return e;
}

Listing Offer(const std::string& id, const std::string& category = "jahe") {
  return test::Listing({.id = id,
                        .owner = "clusters/bio",
                        .region = "33.13",
                        .category = category});
}

// A snapshot held in memory; fails the first `failures` exports.
class MemorySnapshot final : public SnapshotSource {
 public:
  absl::Status Export(SnapshotSink& sink) override {
    ++exports;
    if (failures > 0) {
      --failures;
      return absl::UnavailableError("registry not up yet");
    }
    registry::v1::SnapshotPosition position;
    position.set_stream("jalin.registry.events");
    position.set_stream_id(stream_id);
    position.set_sequence(sequence);
    if (absl::Status s = sink.OnPosition(position); !s.ok()) return s;
    ExportSnapshotResponse records;
    // Listings before the categories they use, as the registry sends them.
    for (const Listing& l : listings) *records.add_listings() = l;
    *records.add_categories() = test::Category("biofarmaka");
    *records.add_categories() = test::Category("jahe", "biofarmaka");
    *records.add_categories() = test::Category("jamu");
    return sink.OnRecords(records);
  }

  std::vector<Listing> listings;
  std::string stream_id = "5-0";
  uint64_t sequence = 5;
  int failures = 0;
  std::atomic<int> exports{0};
};

// Records Start/Stop; the test calls the handler itself.
class ManualFeed final : public RegistryFeed {
 public:
  absl::Status Start(const registry::v1::SnapshotPosition& position,
                     RegistryEventHandler handler) override {
    absl::MutexLock lock(&mu_);
    starts.push_back(position.stream_id());
    handler_ = std::move(handler);
    return absl::OkStatus();
  }
  void Stop() override {
    absl::MutexLock lock(&mu_);
    ++stops;
  }
  bool healthy() const override { return true; }
  absl::Status Deliver(const events::v1::Event& e) {
    RegistryEventHandler h;
    {
      absl::MutexLock lock(&mu_);
      h = handler_;
    }
    return h(e);
  }

  std::vector<std::string> starts;
  int stops = 0;

 private:
  absl::Mutex mu_;
  RegistryEventHandler handler_;
};

class IndexSyncTest : public ::testing::Test {
 protected:
  IndexSyncTest()
      : sync_(test::Grid(), &source_, &feed_, &live_, &clock_,
              {.retry_initial = absl::Milliseconds(5),
               .retry_max = absl::Milliseconds(20)},
              [this](const std::vector<std::string>& names) {
                absl::MutexLock lock(&mu_);
                opened_.insert(opened_.end(), names.begin(), names.end());
              }) {
    source_.listings = {Offer("a"), Offer("b")};
  }

  bool Has(const std::string& name) {
    bool found = false;
    EXPECT_TRUE(live_
                    .Read([&](const MatchIndex& index) {
                      found = index.FindListing(name) != kNoId;
                      return absl::OkStatus();
                    })
                    .ok());
    return found;
  }
  uint64_t Sequence() {
    uint64_t s = 0;
    live_.Read([&](const MatchIndex& index) {
           s = index.sequence();
           return absl::OkStatus();
         })
        .IgnoreError();
    return s;
  }

  FakeClock clock_{absl::Now()};
  MemorySnapshot source_;
  ManualFeed feed_;
  LiveIndex live_;
  absl::Mutex mu_;
  std::vector<std::string> opened_;
  IndexSync sync_;
};

TEST_F(IndexSyncTest, LoadsTheSnapshotAndFollowsFromItsPosition) {
  EXPECT_FALSE(live_.ready());
  ASSERT_TRUE(sync_.Load().ok());
  EXPECT_TRUE(live_.ready());
  EXPECT_TRUE(Has("listings/a"));
  EXPECT_EQ(Sequence(), 5u);
  EXPECT_THAT(feed_.starts, ElementsAre("5-0"));
  // The taxonomy arrived after the listings and is in place.
  live_.Read([](const MatchIndex& index) {
         const Taxonomy& t = index.taxonomy();
         EXPECT_NE(t.Relate(t.Find("categories/jahe"),
                            t.Find("categories/biofarmaka")),
                   nullptr);
         return absl::OkStatus();
       })
      .IgnoreError();
}

TEST_F(IndexSyncTest, AppliesOnlyEventsAfterTheSnapshot) {
  ASSERT_TRUE(sync_.Load().ok());
  // Already in the snapshot: skipped, even though it would add a listing.
  ASSERT_TRUE(feed_.Deliver(ListingEvent(Offer("old"), "created", 5)).ok());
  EXPECT_FALSE(Has("listings/old"));
  ASSERT_TRUE(feed_.Deliver(ListingEvent(Offer("c"), "created", 6)).ok());
  EXPECT_TRUE(Has("listings/c"));
  Listing closed = Offer("a");
  closed.set_status(Listing::CLOSED);
  ASSERT_TRUE(feed_.Deliver(ListingEvent(closed, "updated", 7)).ok());
  EXPECT_FALSE(Has("listings/a"));
  ASSERT_TRUE(feed_.Deliver(ListingEvent(Offer("b"), "deleted", 8)).ok());
  EXPECT_FALSE(Has("listings/b"));
  // A replay of an applied event changes nothing.
  ASSERT_TRUE(feed_.Deliver(ListingEvent(Offer("a"), "updated", 6)).ok());
  EXPECT_FALSE(Has("listings/a"));
  EXPECT_EQ(Sequence(), 8u);
  EXPECT_EQ(live_.info().events_applied, 3);
  absl::MutexLock lock(&mu_);
  EXPECT_THAT(opened_, ElementsAre("listings/c"));
}

TEST_F(IndexSyncTest, TaxonomyEventsChangeRelations) {
  ASSERT_TRUE(sync_.Load().ok());
  events::v1::SupplyLinkEvent link;
  *link.mutable_supply_link() = test::Link("bio-jamu", "biofarmaka", "jamu", 1);
  events::v1::Event e = events::MakeEvent(
      {.service = "registry", .type = "jalin.registry.supply_link.created"},
      link, absl::Now());
  e.set_sequence(6);
  ASSERT_TRUE(feed_.Deliver(e).ok());
  live_.Read([](const MatchIndex& index) {
         const Taxonomy& t = index.taxonomy();
         const Related* r =
             t.Relate(t.Find("categories/jahe"), t.Find("categories/jamu"));
         EXPECT_NE(r, nullptr);
         if (r != nullptr) {
           EXPECT_EQ(r->relation, Relation::kSupplyLink);
         }
         return absl::OkStatus();
       })
      .IgnoreError();
}

TEST_F(IndexSyncTest, AnUndecodablePayloadIsAnError) {
  ASSERT_TRUE(sync_.Load().ok());
  events::v1::Event e = ListingEvent(Offer("x"), "created", 6);
  e.mutable_data()->set_type_url("type.googleapis.com/jalin.events.v1.Nope");
  EXPECT_EQ(feed_.Deliver(e).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Has("listings/x"));
  EXPECT_EQ(Sequence(), 5u);
}

TEST_F(IndexSyncTest, RebuildSwapsAndRestartsTheFeedAtTheNewPosition) {
  ASSERT_TRUE(sync_.Load().ok());
  source_.listings = {Offer("b"), Offer("z")};
  source_.stream_id = "9-0";
  source_.sequence = 9;
  ASSERT_TRUE(sync_.Load().ok());
  EXPECT_FALSE(Has("listings/a"));
  EXPECT_TRUE(Has("listings/z"));
  EXPECT_EQ(Sequence(), 9u);
  EXPECT_THAT(feed_.starts, ElementsAre("5-0", "9-0"));
  EXPECT_GE(feed_.stops, 2);
}

TEST_F(IndexSyncTest, BackgroundLoadRetriesUntilTheRegistryAnswers) {
  source_.failures = 3;
  sync_.StartBackgroundLoad();
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!live_.ready() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_TRUE(live_.ready());
  EXPECT_EQ(source_.exports.load(), 4);
  sync_.Stop();
}

TEST_F(IndexSyncTest, PurgeDropsListingsPastTheirEnd) {
  Listing soon = Offer("soon");
  soon.mutable_valid_until()->set_seconds(absl::ToUnixSeconds(clock_.Now()) +
                                          60);
  source_.listings.push_back(soon);
  ASSERT_TRUE(sync_.Load().ok());
  EXPECT_EQ(sync_.PurgeExpired(), 0);
  clock_.Advance(absl::Minutes(5));
  EXPECT_EQ(sync_.PurgeExpired(), 1);
  EXPECT_FALSE(Has("listings/soon"));
}

class RedisFeedTest : public jalin::testing::RedisTest {
 protected:
  std::string Publish(const events::v1::Event& e) {
    auto r = redis_->Command({"XADD", "jalin.registry.events", "*", "id",
                              e.id(), "type", e.type(), "event",
                              e.SerializeAsString()});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->str : "";
  }

  // Collects subjects delivered to a feed started at `stream_id`, until
  // `want` arrived (or a deadline).
  std::vector<std::string> Follow(RedisRegistryFeed& feed,
                                  const std::string& stream_id, size_t want) {
    absl::Mutex mu;
    std::vector<std::string> got;
    registry::v1::SnapshotPosition position;
    position.set_stream_id(stream_id);
    EXPECT_TRUE(feed.Start(position,
                           [&](const events::v1::Event& e) {
                             absl::MutexLock lock(&mu);
                             got.push_back(e.subject());
                             return absl::OkStatus();
                           })
                    .ok());
    {
      absl::MutexLock lock(&mu);
      auto enough = [&] { return got.size() >= want; };
      mu.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(10));
    }
    feed.Stop();
    absl::MutexLock lock(&mu);
    return got;
  }
};

TEST_F(RedisFeedTest, StartsAfterThePositionAndMovesAnExistingGroup) {
  Publish(ListingEvent(Offer("one"), "created", 1));
  const std::string second = Publish(ListingEvent(Offer("two"), "created", 2));
  Publish(ListingEvent(Offer("three"), "created", 3));
  RedisRegistryFeed feed(redis_.get(), {.block = absl::Milliseconds(50)});
  EXPECT_THAT(Follow(feed, "0-0", 3),
              ElementsAre("listings/one", "listings/two", "listings/three"));
  EXPECT_FALSE(feed.healthy());  // stopped
  // A later start (a restart or rebuild) at the second event's id: the
  // group moves back there and delivers what came after it.
  Publish(ListingEvent(Offer("four"), "created", 4));
  EXPECT_THAT(Follow(feed, second, 2),
              ElementsAre("listings/three", "listings/four"));
}

// A start at a snapshot position with entries left pending from before (read
// by an earlier run and never applied: a read cut short by Stop, a retry, a
// lost reply), with this consumer or with one under an earlier name and idle
// long enough to be reclaimed: they do not jump the queue; everything after
// the position comes in stream order.
TEST_F(RedisFeedTest, AStartAtAPositionDropsWhatWasLeftPending) {
  const std::string stream = "jalin.registry.events";
  Publish(ListingEvent(Offer("one"), "created", 1));
  const std::string two = Publish(ListingEvent(Offer("two"), "created", 2));
  Publish(ListingEvent(Offer("three"), "created", 3));
  const std::string four = Publish(ListingEvent(Offer("four"), "created", 4));
  ASSERT_TRUE(
      redis_->Command({"XGROUP", "CREATE", stream, "matching", two}).ok());
  auto three = redis_->Command({"XREADGROUP", "GROUP", "matching", "matching",
                                "COUNT", "1", "STREAMS", stream, ">"});
  ASSERT_TRUE(three.ok()) << three.status();
  auto earlier = redis_->Command({"XREADGROUP", "GROUP", "matching", "earlier",
                                  "COUNT", "1", "STREAMS", stream, ">"});
  ASSERT_TRUE(earlier.ok()) << earlier.status();
  ASSERT_TRUE(redis_
                  ->Command({"XCLAIM", stream, "matching", "earlier", "0", four,
                             "IDLE", "3600000"})
                  .ok());
  RedisRegistryFeed feed(redis_.get(), {.block = absl::Milliseconds(50)});
  EXPECT_THAT(Follow(feed, "0-0", 4),
              ElementsAre("listings/one", "listings/two", "listings/three",
                          "listings/four"));
}

bool HasListing(const LiveIndex& live, const std::string& name) {
  bool found = false;
  live.Read([&](const MatchIndex& index) {
        found = index.FindListing(name) != kNoId;
        return absl::OkStatus();
      })
      .IgnoreError();
  return found;
}

// IndexSync on the real feed and a real redis-server.
class RedisSyncTest : public RedisFeedTest {
 protected:
  void SetUp() override {
    RedisFeedTest::SetUp();
    if (HasFatalFailure()) return;
    feed_ = std::make_unique<RedisRegistryFeed>(
        redis_.get(), RedisFeedOptions{.block = absl::Milliseconds(50)});
    sync_ = std::make_unique<IndexSync>(
        test::Grid(), &source_, feed_.get(), &live_, &clock_,
        SyncOptions{.retry_initial = absl::Milliseconds(5),
                    .retry_max = absl::Milliseconds(50)});
    source_.listings = {Offer("a")};
  }

  bool Has(const std::string& name) { return HasListing(live_, name); }

  FakeClock clock_{absl::Now()};
  MemorySnapshot source_;
  LiveIndex live_;
  std::unique_ptr<RedisRegistryFeed> feed_;
  std::unique_ptr<IndexSync> sync_;
};

// The audit's scenario: e1 and e2 applied and acknowledged, e3 and e4 read
// by the old feed but not applied when a rebuild stops it; the rebuild's
// snapshot was taken before e1. The new index ends with all four.
TEST_F(RedisSyncTest, ARebuildAppliesEverythingAfterItsSnapshot) {
  source_.stream_id = "0-0";
  source_.sequence = 0;
  ASSERT_TRUE(sync_->Load().ok());
  Publish(ListingEvent(Offer("e1"), "created", 1));
  Publish(ListingEvent(Offer("e2"), "created", 2));
  ASSERT_TRUE(
      test::Eventually([&] { return Has("listings/e2"); }, absl::Seconds(10)));
  feed_->Stop();
  Publish(ListingEvent(Offer("e3"), "created", 3));
  Publish(ListingEvent(Offer("e4"), "created", 4));
  auto read =
      redis_->Command({"XREADGROUP", "GROUP", "matching", "matching", "COUNT",
                       "10", "STREAMS", "jalin.registry.events", ">"});
  ASSERT_TRUE(read.ok()) << read.status();

  ASSERT_TRUE(sync_->Load().ok());
  EXPECT_TRUE(test::Eventually(
      [&] {
        return Has("listings/e1") && Has("listings/e2") && Has("listings/e3") &&
               Has("listings/e4");
      },
      absl::Seconds(5)));
  EXPECT_TRUE(Has("listings/e1"));
  EXPECT_TRUE(Has("listings/e2"));
  EXPECT_TRUE(Has("listings/e3"));
  EXPECT_TRUE(Has("listings/e4"));
  sync_->Stop();
}

// Redis goes away during a rebuild: the new index is swapped in, the call
// reports UNAVAILABLE, events are reported unreadable, and the sync keeps
// trying until Redis is back, then follows it again.
TEST_F(RedisSyncTest, ARebuildWithoutRedisFollowsOnceRedisReturns) {
  ASSERT_TRUE(sync_->Load().ok());
  ASSERT_TRUE(test::Eventually([&] { return sync_->feed_healthy(); },
                               absl::Seconds(10)));
  ASSERT_TRUE(server_->Stop().ok());
  source_.listings = {Offer("a"), Offer("b")};
  EXPECT_EQ(sync_->Load().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(Has("listings/b"));  // the new index is in place
  EXPECT_FALSE(sync_->feed_healthy());

  absl::SleepFor(absl::Milliseconds(200));  // a few failed attempts
  ASSERT_TRUE(server_->Restart().ok());
  Publish(ListingEvent(Offer("c"), "created", 6));
  EXPECT_TRUE(test::Eventually(
      [&] { return sync_->feed_healthy() && Has("listings/c"); },
      absl::Seconds(10)));
  sync_->Stop();
  EXPECT_FALSE(sync_->feed_healthy());
}

}  // namespace
}  // namespace jalin::matching
