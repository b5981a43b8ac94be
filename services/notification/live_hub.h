// Fans committed notifications out to live streams, without polling and
// without a thread per stream.
//
// The tail thread sleeps until a transaction that added notifications
// commits, then offers every notification after the last one it offered, in
// sequence order, to the open sessions of its recipient. The router's
// commit hook hands over the entries it just committed (Publish): when they
// follow the last one offered (their sequence is the next), they go out
// without touching the store. Otherwise an entry below them is committed
// but not handed over yet (another consumer's hook has not run) or the
// sequence skipped a number, and the tail reads every committed
// notification after the last one offered from the store instead, which
// keeps the store's order even when several consumers commit concurrently
// (the store's sequence is its commit order, see notification_store.h).
// Entries at or below the last one offered are never offered again.
// NotifyCommitted (no entries) always reads the store.
//
// The backfill thread reads catch-up pages for sessions that resume from a
// cursor, so that gRPC callbacks never wait on the store.

#ifndef SERVICES_NOTIFICATION_LIVE_HUB_H_
#define SERVICES_NOTIFICATION_LIVE_HUB_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/notification/notification_store.h"
#include "services/notification/stream_session.h"

namespace jalin::notification {

struct HubOptions {
  SessionOptions session;
  // Notifications read per tail query.
  int tail_batch = 2000;
};

// Thread-safe. `store` must outlive the hub.
class LiveHub final : public PageReader {
 public:
  LiveHub(NotificationStore* store, HubOptions options);
  ~LiveHub() override;

  LiveHub(const LiveHub&) = delete;
  LiveHub& operator=(const LiveHub&) = delete;

  // Starts after the newest stored notification.
  absl::Status Start();
  // Ends every open stream with UNAVAILABLE and stops the threads.
  void Stop();

  // New notifications were committed; the tail reads them from the store.
  void NotifyCommitted();
  // `committed` were committed (one transaction's entries, complete and in
  // sequence order); offered without a store read when nothing committed
  // before them is still missing.
  void Publish(std::vector<StoredNotification> committed);

  // Opens a session for `recipient` (resuming after `after_seq` when set)
  // that writes to `sink`, and starts it. Call Close() when the sink is
  // done.
  std::shared_ptr<StreamSession> Open(const std::string& recipient,
                                      std::optional<int64_t> after_seq,
                                      StreamSink* sink);
  // Detaches and forgets the session.
  void Close(const std::shared_ptr<StreamSession>& session);

  void RequestPage(std::shared_ptr<StreamSession> session) override;

  // Open sessions.
  size_t sessions() const;
  // Sequence of the last notification offered to sessions.
  int64_t tail_seq() const;
  // Times the tail read new notifications from the store.
  int64_t tail_reads() const { return tail_reads_.load(); }

 private:
  void TailLoop();
  void BackfillLoop();
  // Reads and dispatches everything after tail_seq_; false on a store error.
  bool TailOnce();
  // Dispatches handed-over entries in order, reading the store first where
  // one is missing; false on a store error.
  bool DispatchHanded(std::vector<StoredNotification>& batch);
  // Offers `row` to its recipient's sessions and advances tail_seq_.
  void Dispatch(StoredNotification& row);

  NotificationStore* const store_;
  const HubOptions options_;

  mutable absl::Mutex sessions_mu_;
  absl::flat_hash_map<std::string, std::vector<std::shared_ptr<StreamSession>>>
      by_recipient_ ABSL_GUARDED_BY(sessions_mu_);
  size_t count_ ABSL_GUARDED_BY(sessions_mu_) = 0;

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool committed_ ABSL_GUARDED_BY(mu_) = false;
  // Entries handed over by Publish, in the order their hooks ran.
  std::deque<std::vector<StoredNotification>> handed_ ABSL_GUARDED_BY(mu_);
  std::deque<std::shared_ptr<StreamSession>> pages_ ABSL_GUARDED_BY(mu_);

  std::atomic<int64_t> tail_seq_{0};
  std::atomic<int64_t> tail_reads_{0};
  std::thread tail_thread_;
  std::thread backfill_thread_;
};

}  // namespace jalin::notification

#endif  // SERVICES_NOTIFICATION_LIVE_HUB_H_
