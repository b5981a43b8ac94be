// A live stream's state machine with a fake sink and a fake page reader:
// resuming without gap or duplicate, the slow-consumer policy, cancellation.

#include "services/notification/stream_session.h"

#include <deque>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "gtest/gtest.h"
#include "services/notification/notification_store.h"

namespace jalin::notification {
namespace {

LiveItemPtr Item(int64_t seq) {
  auto item = std::make_shared<LiveItem>();
  item->seq = seq;
  item->message.set_recipient("enterprises/a");
  item->message.set_event_id(absl::StrCat("e", seq));
  item->message.set_cursor(EncodeCursor(seq));
  return item;
}

// Records writes; the test completes them one at a time.
class FakeSink : public StreamSink {
 public:
  void Write(const v1::Notification* message) override {
    ASSERT_FALSE(ended_.has_value()) << "write after end";
    ASSERT_FALSE(writing_) << "two writes at once";
    writing_ = true;
    pending_ = *message;
  }
  void End(const absl::Status& status) override {
    ASSERT_FALSE(ended_.has_value()) << "ended twice";
    ASSERT_FALSE(writing_) << "end while a write is in flight";
    ended_ = status;
  }
  // Completes writes until none is pending.
  void Drain(StreamSession& s) {
    while (writing_) {
      writing_ = false;
      written_.push_back(std::stoll(pending_.event_id().substr(1)));
      s.OnWriteDone(true);
    }
  }
  // The client went away during the pending write.
  void Fail(StreamSession& s) {
    ASSERT_TRUE(writing_);
    writing_ = false;
    s.OnWriteDone(false);
  }
  bool writing() const { return writing_; }
  const std::vector<int64_t>& written() const { return written_; }
  const std::optional<absl::Status>& ended() const { return ended_; }

 private:
  bool writing_ = false;
  v1::Notification pending_;
  std::vector<int64_t> written_;
  std::optional<absl::Status> ended_;
};

// Serves pages from an in-memory "store" when the test says so.
class FakeReader : public PageReader {
 public:
  void RequestPage(std::shared_ptr<StreamSession> s) override {
    requests_.push_back(std::move(s));
  }
  bool pending() const { return !requests_.empty(); }
  // Reads the next page for the oldest request from `store`.
  void Serve(const std::vector<int64_t>& store, absl::Status status = {}) {
    ASSERT_FALSE(requests_.empty());
    auto s = requests_.front();
    requests_.pop_front();
    ServeWith(*s, s->BeginPage(), store, status);
  }
  void ServeWith(StreamSession& s, const StreamSession::PageRequest& r,
                 const std::vector<int64_t>& store, absl::Status status = {}) {
    std::vector<LiveItemPtr> page;
    for (int64_t seq : store) {
      if (seq > r.after_seq && page.size() < size_t(s.page_size())) {
        page.push_back(Item(seq));
      }
    }
    const bool full = page.size() == size_t(s.page_size());
    s.OnPage(r, std::move(page), full, status);
  }
  std::shared_ptr<StreamSession> TakeRequest() {
    auto s = requests_.front();
    requests_.pop_front();
    return s;
  }

 private:
  std::deque<std::shared_ptr<StreamSession>> requests_;
};

std::vector<int64_t> Range(int64_t from, int64_t to) {
  std::vector<int64_t> v;
  for (int64_t i = from; i <= to; ++i) v.push_back(i);
  return v;
}

TEST(StreamSessionTest, LiveOnlyDeliversInOrderAndDropsRepeats) {
  FakeReader reader;
  FakeSink sink;
  auto s = std::make_shared<StreamSession>("enterprises/a", std::nullopt,
                                           SessionOptions{}, &reader);
  s->Attach(&sink);
  EXPECT_FALSE(reader.pending());  // nothing to catch up
  s->Offer(Item(1));
  s->Offer(Item(2));
  s->Offer(Item(2));
  s->Offer(Item(3));
  sink.Drain(*s);
  EXPECT_EQ(sink.written(), Range(1, 3));
  EXPECT_FALSE(sink.ended().has_value());
}

TEST(StreamSessionTest, ResumeReplaysThenGoesLiveWithoutGapOrDuplicate) {
  FakeReader reader;
  FakeSink sink;
  std::vector<int64_t> store = Range(1, 10);
  auto s = std::make_shared<StreamSession>(
      "enterprises/a", 3, SessionOptions{.queue_limit = 100, .page_size = 4},
      &reader);
  s->Attach(&sink);
  ASSERT_TRUE(reader.pending());
  // Live offers while catching up: an old one the tail is still delivering
  // and two new ones.
  s->Offer(Item(5));
  store.push_back(11);
  s->Offer(Item(11));
  reader.Serve(store);  // 4..7, a full page
  sink.Drain(*s);
  ASSERT_TRUE(reader.pending());
  store.push_back(12);
  s->Offer(Item(12));
  reader.Serve(store);  // 8..11 full again
  sink.Drain(*s);
  reader.Serve(store);  // 12: short page, caught up
  sink.Drain(*s);
  EXPECT_FALSE(reader.pending());
  s->Offer(Item(13));  // live now
  sink.Drain(*s);
  EXPECT_EQ(sink.written(), Range(4, 13));
}

TEST(StreamSessionTest, OverflowDuringCatchUpReadsOnFromTheStore) {
  FakeReader reader;
  FakeSink sink;
  std::vector<int64_t> store = Range(1, 3);
  auto s = std::make_shared<StreamSession>(
      "enterprises/a", 0, SessionOptions{.queue_limit = 2, .page_size = 10},
      &reader);
  s->Attach(&sink);
  auto session = reader.TakeRequest();
  // The page read starts (snapshot of 1..3), then three more commit and
  // are offered: the buffer (2) overflows.
  const StreamSession::PageRequest r = session->BeginPage();
  for (int64_t seq : {4, 5, 6}) {
    store.push_back(seq);
    s->Offer(Item(seq));
  }
  reader.ServeWith(*session, r, Range(1, 3));  // short, but stale
  sink.Drain(*s);
  // Not trusted to be complete: another page is read.
  ASSERT_TRUE(reader.pending());
  reader.Serve(store);
  sink.Drain(*s);
  EXPECT_FALSE(reader.pending());
  s->Offer(Item(7));
  sink.Drain(*s);
  EXPECT_EQ(sink.written(), Range(1, 7));
}

TEST(StreamSessionTest, SlowConsumerFallsBackToTheStoreAndLosesNothing) {
  FakeReader reader;
  FakeSink sink;
  std::vector<int64_t> store;
  auto s = std::make_shared<StreamSession>(
      "enterprises/a", std::nullopt,
      SessionOptions{.queue_limit = 3, .page_size = 4}, &reader);
  s->Attach(&sink);
  store.push_back(1);
  s->Offer(Item(1));
  sink.Drain(*s);
  // The client stalls on 2 while 3..9 arrive: the queue (3) fills at 6.
  for (int64_t seq = 2; seq <= 9; ++seq) {
    store.push_back(seq);
    s->Offer(Item(seq));
  }
  EXPECT_EQ(s->fallbacks(), 1);
  EXPECT_FALSE(reader.pending());  // not before the write in flight is done
  sink.Drain(*s);                  // 2 completes; the session reads on
  ASSERT_TRUE(reader.pending());
  reader.Serve(store);  // 3..6, full
  sink.Drain(*s);
  store.push_back(10);
  s->Offer(Item(10));   // buffered while catching up
  reader.Serve(store);  // 7..10, full
  sink.Drain(*s);
  reader.Serve(store);  // nothing newer: caught up, live again
  s->Offer(Item(11));
  sink.Drain(*s);
  EXPECT_EQ(sink.written(), Range(1, 11));
  EXPECT_FALSE(sink.ended().has_value());
  // Memory stayed bounded: never more than the limit queued.
  EXPECT_EQ(s->fallbacks(), 1);
}

TEST(StreamSessionTest, CancelWhileWritingEndsAfterTheWrite) {
  FakeReader reader;
  FakeSink sink;
  auto s = std::make_shared<StreamSession>("enterprises/a", std::nullopt,
                                           SessionOptions{}, &reader);
  s->Attach(&sink);
  s->Offer(Item(1));
  s->OnCancel();
  EXPECT_FALSE(sink.ended().has_value());
  sink.Fail(*s);
  ASSERT_TRUE(sink.ended().has_value());
  EXPECT_EQ(sink.ended()->code(), absl::StatusCode::kCancelled);
  s->Detach();
  s->Offer(Item(2));  // ignored: detached
  EXPECT_TRUE(s->detached());
}

TEST(StreamSessionTest, StoreFailureDuringCatchUpEndsUnavailable) {
  FakeReader reader;
  FakeSink sink;
  auto s = std::make_shared<StreamSession>("enterprises/a", 0, SessionOptions{},
                                           &reader);
  s->Attach(&sink);
  reader.Serve({}, absl::UnavailableError("disk I/O error"));
  ASSERT_TRUE(sink.ended().has_value());
  EXPECT_EQ(sink.ended()->code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace jalin::notification
