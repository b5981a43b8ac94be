// One live stream of a recipient's notifications (the state behind one
// Subscribe call), independent of gRPC so that it can be tested alone.
//
// Resuming. A session with a cursor starts in catch-up: it is registered
// with the hub first (so nothing committed from then on can be missed),
// then reads the store page by page after the cursor, while live
// notifications offered meanwhile wait in a bounded buffer. When a page
// comes back short and no live notification was dropped since that page's
// read began, every committed notification after the cursor has been read
// or buffered: the buffer's newer entries follow, and the session is live.
// Entries at or below the last one queued are skipped, so nothing is sent
// twice. If the buffer overflows during catch-up it is dropped and catch-up
// simply reads further from the store.
//
// Slow consumers. A live session queues at most `queue_limit` messages.
// When a client reads more slowly than its notifications arrive and the
// queue fills, the session drops the queue and falls back to catch-up from
// the position of the last message it handed to gRPC: it reads the store
// page by page at the client's pace and goes live again once it has caught
// up. Memory per subscriber stays bounded, a burst never disconnects a
// healthy client, and nothing is lost or repeated; a slow client only sees
// its notifications later. (A client that stops reading altogether holds
// one message in flight and nothing more; gRPC keepalive ends the call if
// the peer is gone.)
//
// Threading. Methods are called from gRPC callbacks, the hub's tail thread
// and its backfill thread; all state is under one mutex, and the sink is
// called outside it. The sink receives one write at a time and one finish,
// never a write after the finish, and nothing after Detach().

#ifndef SERVICES_NOTIFICATION_STREAM_SESSION_H_
#define SERVICES_NOTIFICATION_STREAM_SESSION_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "jalin/notification/v1/notification.pb.h"

namespace jalin::notification {

// A committed notification on its way to live streams, shared by every
// stream of its recipient. Immutable.
struct LiveItem {
  int64_t seq = 0;
  v1::Notification message;
};
using LiveItemPtr = std::shared_ptr<const LiveItem>;

// Where a session writes: the gRPC reactor, or a fake in tests.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Starts sending `message` (live until the matching OnWriteDone).
  virtual void Write(const v1::Notification* message) = 0;
  // Ends the stream with `status`.
  virtual void End(const absl::Status& status) = 0;
};

class StreamSession;

// Reads catch-up pages for sessions, off the gRPC threads.
class PageReader {
 public:
  virtual ~PageReader() = default;
  // Queues `session` for one page read; the reader later calls
  // BeginPage() and OnPage() on it.
  virtual void RequestPage(std::shared_ptr<StreamSession> session) = 0;
};

struct SessionOptions {
  // Live messages queued (or buffered during catch-up) at most.
  size_t queue_limit = 1000;
  // Notifications read from the store per catch-up page.
  int page_size = 200;
};

class StreamSession : public std::enable_shared_from_this<StreamSession> {
 public:
  // `after_seq`: resume after this sequence (catch-up); empty: live only.
  // `reader` must outlive the session.
  StreamSession(std::string recipient, std::optional<int64_t> after_seq,
                SessionOptions options, PageReader* reader);

  const std::string& recipient() const { return recipient_; }

  // Connects the sink and starts (catch-up or live). `sink` stays valid
  // until Detach().
  void Attach(StreamSink* sink);

  // A live notification of this recipient, offered in sequence order.
  void Offer(const LiveItemPtr& item);

  // For the page reader: where the next page starts, and the overflow
  // epoch to hand back with it.
  struct PageRequest {
    int64_t after_seq = 0;
    uint64_t epoch = 0;
    bool wanted = false;
  };
  PageRequest BeginPage();
  // The page read for `request`; `full` when it holds page_size entries.
  void OnPage(const PageRequest& request, std::vector<LiveItemPtr> page,
              bool full, const absl::Status& status);

  // From the sink.
  void OnWriteDone(bool ok);
  void OnCancel();
  // Ends the stream (e.g. at shutdown) with `status`.
  void Close(const absl::Status& status);
  // The sink is gone: never call it again.
  void Detach();

  bool detached() const;
  // Times the session fell back from live delivery to the store.
  int64_t fallbacks() const;
  int page_size() const { return options_.page_size; }

 private:
  struct Action {
    StreamSink* sink = nullptr;
    const v1::Notification* write = nullptr;
    std::optional<absl::Status> finish;
    bool request_page = false;
  };

  Action Pump() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Run(Action action);
  void FinishLocked(absl::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Enqueue(const LiveItemPtr& item) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string recipient_;
  const SessionOptions options_;
  PageReader* const reader_;

  mutable absl::Mutex mu_;
  StreamSink* sink_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool catching_up_ ABSL_GUARDED_BY(mu_);
  // Highest sequence queued for writing (or the resume cursor).
  int64_t last_seq_ ABSL_GUARDED_BY(mu_);
  // Highest sequence handed to the sink (or the resume cursor).
  int64_t sent_seq_ ABSL_GUARDED_BY(mu_);
  std::deque<LiveItemPtr> outbox_ ABSL_GUARDED_BY(mu_);
  // Live messages that arrived during catch-up.
  std::deque<LiveItemPtr> buffered_ ABSL_GUARDED_BY(mu_);
  uint64_t overflow_epoch_ ABSL_GUARDED_BY(mu_) = 0;
  bool page_pending_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  // The message being written; kept alive until its write completes.
  LiveItemPtr current_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> finish_ ABSL_GUARDED_BY(mu_);
  // Times the live queue filled and the session fell back to the store.
  int64_t fallbacks_ ABSL_GUARDED_BY(mu_) = 0;
  bool finish_sent_ ABSL_GUARDED_BY(mu_) = false;
  bool detached_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_STREAM_SESSION_H_
