// The live hub on a real SQLite store with writers committing concurrently:
// streams see their recipient's notifications in order, and a stream that
// resumes from a cursor while writes go on gets exactly what follows it.

#include "services/notification/live_hub.h"

#include <deque>
#include <functional>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "tests/services/notification/test_support.h"

namespace jalin::notification {
namespace {

// A client that reads as fast as it can: completes each write on its own
// thread (never inside Write, as gRPC never does either).
class ReadingSink : public StreamSink {
 public:
  ReadingSink() : thread_([this] { Run(); }) {}
  ~ReadingSink() override {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    thread_.join();
  }
  void Bind(std::shared_ptr<StreamSession> s) {
    absl::MutexLock lock(&mu_);
    session_ = std::move(s);
  }
  void Write(const v1::Notification* message) override {
    absl::MutexLock lock(&mu_);
    pending_.push_back(*message);
  }
  void End(const absl::Status& status) override {
    absl::MutexLock lock(&mu_);
    ended_ = status;
  }
  std::vector<std::string> received() const {
    absl::MutexLock lock(&mu_);
    return received_;
  }
  std::string last_cursor() const {
    absl::MutexLock lock(&mu_);
    return last_cursor_;
  }
  bool WaitFor(size_t n, absl::Duration timeout) const {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return received_.size() >= n;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  }
  bool WaitForEnd(absl::Duration timeout) const {
    absl::MutexLock lock(&mu_);
    auto ended = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return ended_.has_value();
    };
    return mu_.AwaitWithTimeout(absl::Condition(&ended), timeout);
  }

 private:
  void Run() {
    while (true) {
      std::shared_ptr<StreamSession> session;
      {
        absl::MutexLock lock(&mu_);
        auto ready = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return stop_ || (!pending_.empty() && session_ != nullptr);
        };
        mu_.Await(absl::Condition(&ready));
        if (stop_) return;
        received_.push_back(pending_.front().event_id());
        last_cursor_ = pending_.front().cursor();
        pending_.pop_front();
        session = session_;
      }
      session->OnWriteDone(true);
    }
  }

  mutable absl::Mutex mu_;
  std::shared_ptr<StreamSession> session_ ABSL_GUARDED_BY(mu_);
  std::deque<v1::Notification> pending_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> received_ ABSL_GUARDED_BY(mu_);
  std::string last_cursor_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> ended_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

class LiveHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = test::OpenStore(dir_.File("n.db"), /*synchronous_full=*/false);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    store_ = std::make_unique<NotificationStore>(db_.get());
  }

  void StartHub(SessionOptions session) {
    hub_ =
        std::make_unique<LiveHub>(store_.get(), HubOptions{.session = session});
    ASSERT_TRUE(hub_->Start().ok());
  }

  // Commits `n` notifications for `recipient` (events prefix+i), `per_tx`
  // per transaction, waking the hub after each commit as the router does.
  void Write(const std::string& recipient, const std::string& prefix, int from,
             int to, int per_tx) {
    for (int i = from; i < to; i += per_tx) {
      absl::Status s =
          db_->Write([&](storage::Transaction& tx) -> absl::Status {
            for (int j = i; j < std::min(to, i + per_tx); ++j) {
              v1::Notification n;
              n.set_recipient(recipient);
              n.set_event_id(absl::StrCat(prefix, j));
              RETURN_IF_ERROR(NotificationStore::Insert(tx, n).status());
            }
            tx.OnCommit([this] { hub_->NotifyCommitted(); });
            return absl::OkStatus();
          });
      ASSERT_TRUE(s.ok()) << s;
    }
  }

  // As Write, but hands each transaction's entries to the hub as the
  // router's commit hook does (Publish), unless `hand_over` says no for that
  // transaction (its hook has not run yet).
  void WriteHandingOver(const std::string& recipient, const std::string& prefix,
                        int from, int to, int per_tx,
                        std::function<bool(int)> hand_over = nullptr) {
    for (int i = from; i < to; i += per_tx) {
      absl::Status s =
          db_->Write([&](storage::Transaction& tx) -> absl::Status {
            std::vector<StoredNotification> added;
            for (int j = i; j < std::min(to, i + per_tx); ++j) {
              v1::Notification n;
              n.set_recipient(recipient);
              n.set_event_id(absl::StrCat(prefix, j));
              StoredNotification entry;
              ASSIGN_OR_RETURN(bool inserted,
                               NotificationStore::Insert(tx, n, &entry));
              if (inserted) added.push_back(std::move(entry));
            }
            if (hand_over == nullptr || hand_over(i)) {
              tx.OnCommit([this, added = std::move(added)]() mutable {
                hub_->Publish(std::move(added));
              });
            }
            return absl::OkStatus();
          });
      ASSERT_TRUE(s.ok()) << s;
    }
  }

  std::shared_ptr<StreamSession> Open(ReadingSink& sink,
                                      const std::string& recipient,
                                      std::optional<int64_t> after) {
    // Bind before writes can complete: the sink completes on its thread.
    auto session = hub_->Open(recipient, after, &sink);
    sink.Bind(session);
    return session;
  }

  jalin::testing::TempDir dir_;
  std::unique_ptr<storage::SqliteDatabase> db_;
  std::unique_ptr<NotificationStore> store_;
  // Declared before the hub, so that they outlive it (the hub ends open
  // streams when it stops).
  ReadingSink a_, b_;
  std::unique_ptr<LiveHub> hub_;
};

std::vector<std::string> Expected(const std::string& prefix, int from, int to) {
  std::vector<std::string> v;
  for (int i = from; i < to; ++i) v.push_back(absl::StrCat(prefix, i));
  return v;
}

TEST_F(LiveHubTest, StreamsSeeOnlyTheirRecipientInOrder) {
  StartHub({});
  ReadingSink& a = a_;
  ReadingSink& b = b_;
  auto sa = Open(a, "enterprises/a", std::nullopt);
  auto sb = Open(b, "enterprises/b", std::nullopt);
  std::thread wa([&] { Write("enterprises/a", "a", 0, 300, 7); });
  std::thread wb([&] { Write("enterprises/b", "b", 0, 200, 3); });
  wa.join();
  wb.join();
  ASSERT_TRUE(a.WaitFor(300, absl::Seconds(20)));
  ASSERT_TRUE(b.WaitFor(200, absl::Seconds(20)));
  EXPECT_EQ(a.received(), Expected("a", 0, 300));
  EXPECT_EQ(b.received(), Expected("b", 0, 200));
  hub_->Close(sa);
  hub_->Close(sb);
  EXPECT_EQ(hub_->sessions(), 0u);
}

TEST_F(LiveHubTest, ResumingWhileWritesContinueMissesNothingAndRepeatsNothing) {
  // Small pages and buffers, so that the resume takes several pages and
  // the live buffer overflows while it catches up.
  StartHub({.queue_limit = 16, .page_size = 7});
  Write("enterprises/a", "e", 0, 100, 10);
  ReadingSink& first = a_;
  auto s1 = Open(first, "enterprises/a", 0);  // from the very beginning
  std::thread writer([&] { Write("enterprises/a", "e", 100, 3000, 5); });
  ASSERT_TRUE(first.WaitFor(400, absl::Seconds(20)))
      << first.received().size() << " received, tail at " << hub_->tail_seq();
  // Disconnect mid-stream.
  s1->Close(absl::CancelledError("client went away"));
  ASSERT_TRUE(first.WaitForEnd(absl::Seconds(10)));
  hub_->Close(s1);
  const std::vector<std::string> got_first = first.received();
  auto cursor = DecodeCursor(first.last_cursor(), "cursor");
  ASSERT_TRUE(cursor.ok());

  ReadingSink& second = b_;
  auto s2 = Open(second, "enterprises/a", *cursor);
  writer.join();
  const size_t rest = 3000 - got_first.size();
  ASSERT_TRUE(second.WaitFor(rest, absl::Seconds(30)))
      << second.received().size() << " of " << rest;
  std::vector<std::string> all = got_first;
  const std::vector<std::string> got_second = second.received();
  all.insert(all.end(), got_second.begin(), got_second.end());
  EXPECT_EQ(all, Expected("e", 0, 3000));
  // Live afterwards.
  Write("enterprises/a", "late", 0, 3, 1);
  ASSERT_TRUE(second.WaitFor(rest + 3, absl::Seconds(10)));
  hub_->Close(s2);
}

TEST_F(LiveHubTest, HandedOverEntriesGoOutInOrderWithoutReadingTheStore) {
  StartHub({});
  auto sa = Open(a_, "enterprises/a", std::nullopt);
  WriteHandingOver("enterprises/a", "a", 0, 500, 7);
  ASSERT_TRUE(a_.WaitFor(500, absl::Seconds(20)));
  EXPECT_EQ(a_.received(), Expected("a", 0, 500));
  // One writer, contiguous sequences: every entry came from the hand-over.
  EXPECT_EQ(hub_->tail_reads(), 0);
  // The cursor is the store's: resuming from it finds nothing more.
  auto cursor = DecodeCursor(a_.last_cursor(), "cursor");
  ASSERT_TRUE(cursor.ok());
  auto after = store_->ListAfter("enterprises/a", *cursor, 10);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
  hub_->Close(sa);
}

TEST_F(LiveHubTest, AnEntryNotHandedOverYetIsReadFromTheStoreFirst) {
  StartHub({});
  auto sa = Open(a_, "enterprises/a", std::nullopt);
  // The first transaction's hook has not run when the second's hands over:
  // its entries must still go out first, once each.
  WriteHandingOver("enterprises/a", "e", 0, 10, 5,
                   [](int first) { return first != 0; });
  ASSERT_TRUE(a_.WaitFor(10, absl::Seconds(10)));
  EXPECT_EQ(a_.received(), Expected("e", 0, 10));
  EXPECT_GE(hub_->tail_reads(), 1);
  // The late hook of the first transaction now runs: nothing is repeated.
  auto first = store_->ListAfter("enterprises/a", 0, 5);
  ASSERT_TRUE(first.ok());
  hub_->Publish(*first);
  WriteHandingOver("enterprises/a", "f", 0, 1, 1);
  ASSERT_TRUE(a_.WaitFor(11, absl::Seconds(10)));
  std::vector<std::string> want = Expected("e", 0, 10);
  want.push_back("f0");
  EXPECT_EQ(a_.received(), want);
  hub_->Close(sa);
}

TEST_F(LiveHubTest, ConcurrentWritersHandingOverKeepTheStoreOrder) {
  StartHub({});
  auto sa = Open(a_, "enterprises/a", std::nullopt);
  // Two writers on the same recipient: their hooks run outside the store's
  // lock, in either order, yet the stream follows the sequence.
  std::thread w1([&] { WriteHandingOver("enterprises/a", "x", 0, 600, 3); });
  std::thread w2([&] { WriteHandingOver("enterprises/a", "y", 0, 600, 5); });
  w1.join();
  w2.join();
  ASSERT_TRUE(a_.WaitFor(1200, absl::Seconds(20)));
  auto stored = store_->ListAfter("enterprises/a", 0, 2000);
  ASSERT_TRUE(stored.ok());
  std::vector<std::string> want;
  for (const auto& n : *stored) want.push_back(n.message.event_id());
  EXPECT_EQ(a_.received(), want);
  hub_->Close(sa);
}

TEST_F(LiveHubTest, ResumingWhileHandedOverWritesContinueMissesNothing) {
  StartHub({.queue_limit = 16, .page_size = 7});
  WriteHandingOver("enterprises/a", "e", 0, 100, 10);
  auto s1 = Open(a_, "enterprises/a", 0);
  std::thread writer(
      [&] { WriteHandingOver("enterprises/a", "e", 100, 3000, 5); });
  ASSERT_TRUE(a_.WaitFor(400, absl::Seconds(20)));
  s1->Close(absl::CancelledError("client went away"));
  ASSERT_TRUE(a_.WaitForEnd(absl::Seconds(10)));
  hub_->Close(s1);
  const std::vector<std::string> got_first = a_.received();
  auto cursor = DecodeCursor(a_.last_cursor(), "cursor");
  ASSERT_TRUE(cursor.ok());
  auto s2 = Open(b_, "enterprises/a", *cursor);
  writer.join();
  const size_t rest = 3000 - got_first.size();
  ASSERT_TRUE(b_.WaitFor(rest, absl::Seconds(30)))
      << b_.received().size() << " of " << rest;
  std::vector<std::string> all = got_first;
  const std::vector<std::string> got_second = b_.received();
  all.insert(all.end(), got_second.begin(), got_second.end());
  EXPECT_EQ(all, Expected("e", 0, 3000));
  WriteHandingOver("enterprises/a", "late", 0, 3, 1);
  ASSERT_TRUE(b_.WaitFor(rest + 3, absl::Seconds(10)));
  hub_->Close(s2);
}

}  // namespace
}  // namespace jalin::notification
