// 10,000 events flow from the registry, matching and curation streams
// (some published twice) while the notification service is killed -9 twice
// and restarted. Afterwards every recipient's inbox holds exactly the
// expected entries: none missing, none twice. The producer holds back the
// rest of the events until each kill has happened, so every kill falls in
// the middle of the flow however fast the service applies events.

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "tests/services/notification/service_fixture.h"

namespace jalin::notification::test {
namespace {

constexpr int kEvents = 10'000;
constexpr int kChunk = 250;

class CrashTest : public ServiceTest {};

TEST_F(CrashTest, KillDuringTheFlowLosesNothingAndDuplicatesNothing) {
  for (int k = 0; k < 10; ++k) {
    registry().AddCluster(absl::StrCat("clusters/k", k),
                          absl::StrCat("Ketua ", k), "+628111000000");
  }
  StartService();

  // A facilitator follows every curation decision in Jawa Tengah.
  const std::string facilitator = "users/fasilitator-jateng";
  {
    v1::CreateSubscriptionRequest req;
    req.mutable_subscription()->mutable_filter()->add_event_types(
        "jalin.curation.*");
    req.mutable_subscription()->mutable_filter()->add_regions("regions/33");
    grpc::ClientContext ctx;
    Prepare(&ctx, Token(Facilitator(facilitator, {"33"})));
    v1::Subscription created;
    grpc::Status s = stub().CreateSubscription(&ctx, req, &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // The events, and what each recipient must end up with.
  struct Published {
    std::string stream;
    events::v1::Event event;
  };
  std::vector<Published> all;
  std::map<std::string, std::set<std::string>> expected;
  for (int i = 0; i < kEvents; ++i) {
    const std::string e = absl::StrCat("enterprises/e", i % 40);
    const std::string k = absl::StrCat("clusters/k", i % 10);
    switch (i % 3) {
      case 0: {
        events::v1::Event ev = ProposalEvent("created", e, k);
        expected[e].insert(ev.id());
        expected[k].insert(ev.id());
        all.push_back({"jalin.matching.events", std::move(ev)});
        break;
      }
      case 1: {
        const bool jateng = i % 2 == 0;
        events::v1::Event ev =
            DecisionEvent(e, jateng ? "regions/33.13" : "regions/35.78");
        expected[e].insert(ev.id());
        if (jateng) expected[facilitator].insert(ev.id());
        all.push_back({"jalin.curation.events", std::move(ev)});
        break;
      }
      default: {
        events::v1::Event ev = ListingEvent(k, "categories/baglog");
        expected[k].insert(ev.id());
        all.push_back({"jalin.registry.events", std::move(ev)});
        break;
      }
    }
  }

  // The kills happen after the producer has published a third, then
  // three quarters of the events; it waits for each kill before going on.
  constexpr int kGates[] = {kEvents / 3 / kChunk * kChunk,
                            kEvents * 3 / 4 / kChunk * kChunk};
  absl::Notification killed[2];

  // The producer: chunks across the three streams; every tenth event is
  // published a second time.
  std::atomic<int> published{0};
  std::thread producer([&] {
    for (int from = 0; from < kEvents; from += kChunk) {
      for (int g = 0; g < 2; ++g) {
        if (from == kGates[g]) killed[g].WaitForNotification();
      }
      std::map<std::string, std::vector<events::v1::Event>> by_stream;
      for (int i = from; i < std::min(kEvents, from + kChunk); ++i) {
        by_stream[all[i].stream].push_back(all[i].event);
        if (i % 10 == 0) by_stream[all[i].stream].push_back(all[i].event);
      }
      for (auto& [stream, events] : by_stream) {
        absl::Status s = Publish(redis(), stream, events);
        ASSERT_TRUE(s.ok()) << s;
      }
      published = std::min(kEvents, from + kChunk);
    }
  });

  const int64_t facilitator_total =
      static_cast<int64_t>(expected[facilitator].size());
  // Kill -9 twice while events are being applied (once half of the
  // facilitator's events published before the gate have arrived), restart
  // each time, then let the producer go on.
  for (int g = 0; g < 2; ++g) {
    int64_t before_gate = 0;
    for (int i = 0; i < kGates[g]; ++i) {
      before_gate += expected[facilitator].count(all[i].event.id());
    }
    const int64_t mark = before_gate / 2 + (g == 0 ? 0 : before_gate / 4);
    ASSERT_TRUE(WaitUntil([&] { return Unread(facilitator) >= mark; },
                          absl::Seconds(120)))
        << "stuck at " << Unread(facilitator) << " of " << mark;
    // Mid-flow: the events after the gate are not even published yet.
    EXPECT_LT(Unread(facilitator), facilitator_total);
    suite().Kill("notification");
    ASSERT_TRUE(suite().Restart("notification").ok());
    killed[g].Notify();
  }
  producer.join();
  ASSERT_EQ(published.load(), kEvents);

  // Everything arrives.
  for (const auto& [recipient, ids] : expected) {
    ASSERT_TRUE(WaitUntil(
        [&, r = recipient, n = static_cast<int64_t>(ids.size())] {
          return Unread(r) >= n;
        },
        absl::Seconds(120)))
        << recipient << ": " << Unread(recipient) << " of " << ids.size();
  }
  // Exactly the expected entries.
  size_t total = 0;
  for (const auto& [recipient, ids] : expected) {
    std::vector<v1::Notification> inbox = ListAll(recipient);
    std::multiset<std::string> got;
    for (const auto& n : inbox) {
      got.insert(n.event_id());
      EXPECT_EQ(n.recipient(), recipient);
    }
    EXPECT_EQ(got.size(), ids.size()) << recipient;
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), ids) << recipient;
    for (const auto& id : ids) {
      EXPECT_EQ(got.count(id), 1u) << recipient << " " << id;
    }
    if (recipient.rfind("clusters/", 0) == 0 && !inbox.empty()) {
      // Cluster inboxes are addressed to the leader from the registry.
      EXPECT_EQ(inbox.front().contact().display_name(),
                absl::StrCat("Ketua ", recipient.substr(10)));
    }
    total += got.size();
  }
  EXPECT_EQ(expected.size(), 51u);
  size_t want = 0;
  for (const auto& [r, ids] : expected) want += ids.size();
  EXPECT_EQ(total, want);
}

}  // namespace
}  // namespace jalin::notification::test
