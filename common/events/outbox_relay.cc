#include "common/events/outbox_relay.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log/log.h"
#include "common/status/status_macros.h"
#include "jalin/events/v1/event.pb.h"

namespace jalin::events {
namespace {

struct Pending {
  int64_t seq;
  std::string event_id;
  std::string type;
  std::string payload;
};

}  // namespace

OutboxRelay::OutboxRelay(storage::Database* db, redis::Client* redis,
                         RelayOptions options)
    : db_(db), redis_(redis), options_(std::move(options)) {}

OutboxRelay::~OutboxRelay() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void OutboxRelay::Start() {
  absl::MutexLock lock(&mu_);
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void OutboxRelay::Notify() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

absl::StatusOr<int> OutboxRelay::PublishBatch() {
  absl::MutexLock publish_lock(&publish_mu_);
  std::vector<Pending> batch;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) {
    return tx.Query(
        "SELECT seq, event_id, type, payload FROM jalin_outbox "
        "ORDER BY seq LIMIT ?",
        {storage::Param(options_.batch_size)}, [&](const storage::Row& row) {
          batch.push_back({row.Int(0), std::string(row.Text(1)),
                           std::string(row.Text(2)), std::string(row.Blob(3))});
          return absl::OkStatus();
        });
  }));
  if (batch.empty()) return 0;

  const std::string max_len = absl::StrCat(options_.max_stream_length);
  std::vector<std::vector<std::string>> commands;
  commands.reserve(batch.size());
  // The pending strings are moved out: only `seq` is read afterwards.
  for (Pending& p : batch) {
    // The stored envelope lacks its sequence; appending a serialised
    // Event{sequence} merges the field in (protobuf concatenation semantics).
    jalin::events::v1::Event seq_only;
    seq_only.set_sequence(static_cast<uint64_t>(p.seq));
    p.payload += seq_only.SerializeAsString();
    commands.push_back({"XADD", options_.stream, "MAXLEN", "~", max_len, "*",
                        "id", std::move(p.event_id), "type", std::move(p.type),
                        "seq", absl::StrCat(p.seq), "event",
                        std::move(p.payload)});
  }
  absl::StatusOr<std::vector<redis::Reply>> replies =
      redis_->Pipeline(commands);
  if (!replies.ok()) {
    healthy_ = false;
    return replies.status();
  }
  // Publish strictly in order: stop at the first failed XADD.
  size_t ok = 0;
  std::string last_stream_id;
  for (const redis::Reply& r : *replies) {
    if (r.type != redis::Reply::Type::kString) break;
    last_stream_id = r.str;
    ++ok;
  }
  if (ok > 0) {
    const int64_t last_seq = batch[ok - 1].seq;
    RETURN_IF_ERROR(db_->Write([&](storage::Transaction& tx) {
      RETURN_IF_ERROR(tx.Exec("DELETE FROM jalin_outbox WHERE seq <= ?",
                              {storage::Param(last_seq)}));
      return tx.Exec(
          "UPDATE jalin_outbox_state SET last_sent_seq = ?, last_stream_id = ? "
          "WHERE id = 1",
          {storage::Param(last_seq), storage::Param(last_stream_id)});
    }));
    published_ += static_cast<int64_t>(ok);
  }
  if (ok < batch.size()) {
    healthy_ = false;
    return absl::UnavailableError(absl::StrCat(
        "redis: XADD to ", options_.stream, " failed: ", (*replies)[ok].str));
  }
  healthy_ = true;
  return static_cast<int>(ok);
}

void OutboxRelay::Run() {
  absl::Duration backoff = absl::Milliseconds(20);
  while (true) {
    absl::StatusOr<int> n = PublishBatch();
    absl::Duration wait;
    if (!n.ok()) {
      log::Warn("outbox relay: publish failed",
                {{"stream", options_.stream},
                 {"error", std::string(n.status().message())}});
      wait = backoff;
      backoff = std::min(backoff * 2, options_.max_backoff);
    } else {
      backoff = absl::Milliseconds(20);
      // A full batch means more may be waiting.
      wait = (*n == options_.batch_size) ? absl::ZeroDuration()
                                         : options_.idle_poll;
    }
    absl::MutexLock lock(&mu_);
    // A failure's backoff is not cut short by notifications, only by Stop.
    const bool failed = !n.ok();
    auto woken = [this, failed]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stop_ || (wake_ && !failed);
    };
    if (wait > absl::ZeroDuration()) {
      mu_.AwaitWithTimeout(absl::Condition(&woken), wait);
    }
    if (stop_) return;
    wake_ = false;
  }
}

absl::Status OutboxRelay::FlushAndStop(absl::Time deadline) {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
  while (absl::Now() < deadline) {
    absl::StatusOr<int> n = PublishBatch();
    if (n.ok() && *n == 0) return absl::OkStatus();
    if (!n.ok()) absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(
      "outbox not empty at shutdown; the rest goes out on the next start");
}

}  // namespace jalin::events
