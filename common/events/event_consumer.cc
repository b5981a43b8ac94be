#include "common/events/event_consumer.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log/log.h"
#include "common/status/status_macros.h"

namespace jalin::events {
namespace {

constexpr size_t kMemoryDedupeWindow = 200'000;

constexpr storage::Migration kMigrations[] = {
    {1, "consumed event ids",
     R"sql(
CREATE TABLE jalin_consumed_events (
  event_id TEXT PRIMARY KEY,
  consumed_at INTEGER NOT NULL
);
CREATE INDEX jalin_consumed_events_at ON jalin_consumed_events (consumed_at);
)sql"},
};

bool IsTransient(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kResourceExhausted:
      return true;
    default:
      return false;
  }
}

std::string Ms(absl::Duration d) {
  return absl::StrCat(absl::ToInt64Milliseconds(d));
}

}  // namespace

EventConsumer::EventConsumer(redis::Client* redis, storage::Database* db,
                             ConsumerOptions options, EventHandler handler)
    : redis_(redis),
      db_(db),
      options_(std::move(options)),
      handler_(std::move(handler)),
      dead_letter_stream_(
          options_.dead_letter_stream.empty()
              ? absl::StrCat(options_.stream, ".dead.", options_.group)
              : options_.dead_letter_stream) {}

EventConsumer::~EventConsumer() { Stop(); }

absl::Status EventConsumer::Migrate(storage::Database& db) {
  return db.Migrate("consumer", kMigrations);
}

void EventConsumer::Start() {
  absl::MutexLock lock(&mu_);
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void EventConsumer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
  // The polling thread has ended (or PollOnce's caller is this thread):
  // send what the last round applied, so that a restart does not see it
  // again. One attempt: should it fail, the entries stay pending and the
  // dedupe records drop them when they come back.
  absl::Status s = FlushAcks();
  unacked_.clear();
  if (!s.ok()) {
    log::Warn("event consumer: acknowledging at stop failed",
              {{"stream", options_.stream},
               {"group", options_.group},
               {"error", std::string(s.message())}});
  }
}

bool EventConsumer::Stopping() {
  absl::MutexLock lock(&mu_);
  return stop_;
}

void EventConsumer::Run() {
  absl::Duration backoff = options_.retry_backoff;
  while (!Stopping()) {
    absl::StatusOr<int> n = PollOnce();
    if (n.ok()) {
      backoff = options_.retry_backoff;
      continue;
    }
    log::Warn("event consumer: round failed",
              {{"stream", options_.stream},
               {"group", options_.group},
               {"error", std::string(n.status().message())}});
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stop_), backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

absl::Status EventConsumer::EnsureGroup() {
  if (group_ready_) return absl::OkStatus();
  absl::StatusOr<redis::Reply> r =
      redis_->Command({"XGROUP", "CREATE", options_.stream, options_.group,
                       options_.start_id, "MKSTREAM"});
  if (!r.ok() && !absl::StrContains(r.status().message(), "BUSYGROUP")) {
    return r.status();
  }
  group_ready_ = true;
  return absl::OkStatus();
}

namespace {

// Parses [[id, [k, v, ...]], ...] into entries.
template <typename Entry>
void ParseEntries(const redis::Reply& list, std::vector<Entry>* out) {
  for (const redis::Reply& item : list.elements) {
    if (item.elements.size() < 2) continue;
    Entry e;
    e.stream_id = item.elements[0].str;
    const redis::Reply& fields = item.elements[1];
    for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
      if (fields.elements[i].str == "event") {
        e.parsed = e.event.ParseFromString(fields.elements[i + 1].str) &&
                   !e.event.id().empty();
      }
    }
    out->push_back(std::move(e));
  }
}

}  // namespace

absl::StatusOr<std::vector<EventConsumer::Entry>> EventConsumer::Read(
    const std::string& id, absl::Duration block) {
  std::vector<std::string> argv = {
      "XREADGROUP",      "GROUP", options_.group,
      options_.consumer, "COUNT", absl::StrCat(options_.batch_size)};
  if (block > absl::ZeroDuration()) {
    argv.push_back("BLOCK");
    argv.push_back(Ms(block));
  }
  argv.insert(argv.end(), {"STREAMS", options_.stream, id});
  const absl::Duration timeout = block + redis_->options().command_timeout;
  absl::StatusOr<redis::Reply> r;
  if (unacked_.empty()) {
    r = redis_->Command(argv, timeout);
  } else {
    // The last round's acknowledgements go first, in the same round trip.
    absl::StatusOr<std::vector<redis::Reply>> replies =
        redis_->Pipeline({AckCommand(), std::move(argv)}, timeout);
    if (!replies.ok()) return replies.status();  // acks stay queued
    // Refused (loading, read-only replica): XACK is safe to repeat, so the
    // ids stay queued; the failed round drains the pending list.
    RETURN_IF_ERROR(redis::CheckReply(std::move((*replies)[0])).status());
    unacked_.clear();
    r = redis::CheckReply(std::move((*replies)[1]));
  }
  if (!r.ok()) {
    if (absl::StrContains(r.status().message(), "NOGROUP")) {
      group_ready_ = false;  // the stream or group vanished: recreate
    }
    return r.status();
  }
  std::vector<Entry> entries;
  // Reply: [[stream, [[id, fields], ...]]] or nil on timeout.
  for (const redis::Reply& stream : r->elements) {
    if (stream.elements.size() == 2) ParseEntries(stream.elements[1], &entries);
  }
  return entries;
}

absl::StatusOr<std::vector<EventConsumer::Entry>> EventConsumer::Claim() {
  RETURN_IF_ERROR(FlushAcks());
  std::vector<Entry> entries;
  std::string cursor = "0-0";
  do {
    ASSIGN_OR_RETURN(
        redis::Reply r,
        redis_->Command({"XAUTOCLAIM", options_.stream, options_.group,
                         options_.consumer, Ms(options_.claim_min_idle), cursor,
                         "COUNT", absl::StrCat(options_.batch_size)}));
    if (r.elements.size() < 2) break;
    cursor = r.elements[0].str;
    ParseEntries(r.elements[1], &entries);
  } while (cursor != "0-0" &&
           entries.size() < static_cast<size_t>(options_.batch_size));
  return entries;
}

absl::Status EventConsumer::LoadDeliveryCounts(std::vector<Entry>& entries) {
  if (entries.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(
      redis::Reply r,
      redis_->Command({"XPENDING", options_.stream, options_.group,
                       entries.front().stream_id, entries.back().stream_id,
                       absl::StrCat(entries.size() + 16), options_.consumer}));
  absl::flat_hash_map<std::string, int64_t> counts;
  for (const redis::Reply& p : r.elements) {
    if (p.elements.size() >= 4)
      counts[p.elements[0].str] = p.elements[3].integer;
  }
  for (Entry& e : entries) {
    auto it = counts.find(e.stream_id);
    if (it != counts.end()) e.deliveries = it->second;
  }
  return absl::OkStatus();
}

absl::StatusOr<int> EventConsumer::PollOnce() {
  absl::StatusOr<int> handled = Round();
  if (!handled.ok()) {
    // A failed command may still have run: an XREADGROUP or XAUTOCLAIM
    // whose reply was lost (timeout, dropped connection, server shutdown)
    // has put entries in this consumer's pending list that it never saw.
    // Start the next round from the pending list so that they are applied
    // before anything newer, and nothing is left waiting for a reclaim.
    drain_pending_ = true;
  }
  return handled;
}

absl::StatusOr<int> EventConsumer::Round() {
  absl::Status s = EnsureGroup();
  if (!s.ok()) {
    healthy_ = false;
    return s;
  }
  int handled = 0;
  const absl::Time now = absl::Now();
  if (db_ != nullptr && now >= next_prune_) {
    PruneDedupe();
    next_prune_ = now + absl::Minutes(10);
  }
  std::vector<Entry> entries;
  if (drain_pending_) {
    absl::StatusOr<std::vector<Entry>> pending =
        Read("0", absl::ZeroDuration());
    if (!pending.ok()) {
      healthy_ = false;
      return pending.status();
    }
    if (pending->empty()) {
      drain_pending_ = false;
    } else {
      entries = *std::move(pending);
      s = LoadDeliveryCounts(entries);
      if (!s.ok()) {
        healthy_ = false;
        return s;
      }
    }
  }
  if (entries.empty() && now >= next_claim_) {
    next_claim_ = now + options_.claim_interval;
    absl::StatusOr<std::vector<Entry>> claimed = Claim();
    if (!claimed.ok()) {
      healthy_ = false;
      return claimed.status();
    }
    entries = *std::move(claimed);
    s = LoadDeliveryCounts(entries);
    if (!s.ok()) {
      healthy_ = false;
      return s;
    }
  }
  if (entries.empty() && !drain_pending_) {
    absl::StatusOr<std::vector<Entry>> fresh = Read(">", options_.block);
    if (!fresh.ok()) {
      healthy_ = false;
      return fresh.status();
    }
    entries = *std::move(fresh);
  }
  healthy_ = true;
  // What Process does not acknowledge stays pending for this consumer; the
  // next round starts from the pending list (PollOnce) so order is kept.
  RETURN_IF_ERROR(Process(entries, &handled));
  return handled;
}

absl::Status EventConsumer::Process(std::vector<Entry>& entries, int* handled) {
  size_t i = 0;
  while (i < entries.size()) {
    if (Stopping()) return absl::OkStatus();
    const Entry& first = entries[i];
    // Poison: undecodable, or delivered too often (it failed or crashed us).
    if (!first.parsed || first.deliveries > options_.max_deliveries) {
      RETURN_IF_ERROR(DeadLetter(
          first, first.parsed
                     ? absl::AbortedError(absl::StrCat(
                           "delivered ", first.deliveries, " times"))
                     : absl::InvalidArgumentError("undecodable event")));
      ++*handled;
      ++i;
      continue;
    }
    absl::Status failure;
    std::vector<std::string> done;
    ASSIGN_OR_RETURN(size_t stop_at, ApplyRun(entries, i, &failure, &done));
    Ack(done);
    *handled += static_cast<int>(done.size());
    i = stop_at;
    if (i >= entries.size()) break;
    if (!entries[i].parsed || entries[i].deliveries > options_.max_deliveries) {
      continue;  // handled as poison at the top of the loop
    }
    // entries[i] failed: retry it alone before anything after it.
    absl::Duration backoff = options_.retry_backoff;
    int attempts = 1;
    while (true) {
      if (IsTransient(failure)) {
        if (attempts >= options_.max_attempts) return failure;
      } else if (attempts >= options_.max_attempts) {
        RETURN_IF_ERROR(DeadLetter(entries[i], failure));
        ++*handled;
        break;
      }
      // What went before is done: acknowledge it before waiting.
      RETURN_IF_ERROR(FlushAcks());
      {
        absl::MutexLock lock(&mu_);
        if (mu_.AwaitWithTimeout(absl::Condition(&stop_), backoff)) {
          return absl::OkStatus();
        }
      }
      backoff = std::min(backoff * 2, options_.max_backoff);
      ++attempts;
      failure = ApplyOne(entries[i]);
      if (failure.ok()) {
        Ack({entries[i].stream_id});
        ++*handled;
        break;
      }
    }
    ++i;
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> EventConsumer::ApplyRun(
    const std::vector<Entry>& entries, size_t from, absl::Status* failure,
    std::vector<std::string>* done) {
  size_t stop_at = entries.size();
  int64_t applied = 0;
  int64_t duplicates = 0;
  if (db_ == nullptr) {
    for (size_t j = from; j < entries.size(); ++j) {
      const Entry& e = entries[j];
      if (!e.parsed || e.deliveries > options_.max_deliveries) {
        stop_at = j;
        break;
      }
      if (recent_.contains(e.event.id())) {
        ++duplicates;
      } else {
        absl::Status s = handler_(e.event, nullptr);
        if (!s.ok()) {
          *failure = s;
          stop_at = j;
          break;
        }
        IsDuplicateInMemory(e.event.id());  // remember it
        ++applied;
      }
      done->push_back(e.stream_id);
    }
  } else {
    const int64_t now = absl::ToUnixSeconds(absl::Now());
    std::vector<std::string> run;
    absl::Status commit = db_->Write([&](storage::Transaction& tx) {
      for (size_t j = from; j < entries.size(); ++j) {
        const Entry& e = entries[j];
        if (!e.parsed || e.deliveries > options_.max_deliveries) {
          stop_at = j;
          break;
        }
        RETURN_IF_ERROR(tx.Exec("SAVEPOINT jalin_event"));
        RETURN_IF_ERROR(
            tx.Exec("INSERT INTO jalin_consumed_events (event_id, consumed_at) "
                    "VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING",
                    {storage::Param(e.event.id()), storage::Param(now)}));
        if (tx.ChangedRows() == 0) {
          ++duplicates;
        } else {
          absl::Status s = handler_(e.event, &tx);
          if (!s.ok()) {
            RETURN_IF_ERROR(tx.Exec("ROLLBACK TO jalin_event"));
            RETURN_IF_ERROR(tx.Exec("RELEASE jalin_event"));
            *failure = s;
            stop_at = j;
            break;
          }
          ++applied;
        }
        RETURN_IF_ERROR(tx.Exec("RELEASE jalin_event"));
        run.push_back(e.stream_id);
      }
      return absl::OkStatus();
    });
    if (!commit.ok()) return commit;  // nothing applied; all stay pending
    *done = std::move(run);
  }
  applied_ += applied;
  duplicates_ += duplicates;
  return stop_at;
}

absl::Status EventConsumer::ApplyOne(const Entry& entry) {
  std::vector<Entry> one = {entry};
  absl::Status failure;
  std::vector<std::string> done;
  ASSIGN_OR_RETURN(size_t stop_at, ApplyRun(one, 0, &failure, &done));
  return stop_at == 1 ? absl::OkStatus() : failure;
}

void EventConsumer::Ack(const std::vector<std::string>& ids) {
  unacked_.insert(unacked_.end(), ids.begin(), ids.end());
}

std::vector<std::string> EventConsumer::AckCommand() const {
  std::vector<std::string> argv = {"XACK", options_.stream, options_.group};
  argv.insert(argv.end(), unacked_.begin(), unacked_.end());
  return argv;
}

absl::Status EventConsumer::FlushAcks() {
  if (unacked_.empty()) return absl::OkStatus();
  absl::Status s = redis_->Command(AckCommand()).status();
  // XACK is safe to repeat: on any failure the ids stay queued.
  if (s.ok()) unacked_.clear();
  return s;
}

absl::Status EventConsumer::DeadLetter(const Entry& entry,
                                       const absl::Status& why) {
  log::Error("event consumer: dead-lettering event",
             {{"stream", options_.stream},
              {"group", options_.group},
              {"stream_id", entry.stream_id},
              {"event_id", entry.event.id()},
              {"type", entry.event.type()},
              {"error", std::string(why.message())}});
  RETURN_IF_ERROR(
      redis_
          ->Command({"XADD", dead_letter_stream_, "*", "id", entry.event.id(),
                     "type", entry.event.type(), "stream_id", entry.stream_id,
                     "error", std::string(why.message()), "event",
                     entry.event.SerializeAsString()})
          .status());
  Ack({entry.stream_id});
  ++dead_lettered_;
  return absl::OkStatus();
}

bool EventConsumer::IsDuplicateInMemory(const std::string& id) {
  if (!recent_.insert(id).second) return true;
  recent_order_.push_back(id);
  if (recent_order_.size() > kMemoryDedupeWindow) {
    recent_.erase(recent_order_.front());
    recent_order_.pop_front();
  }
  return false;
}

void EventConsumer::PruneDedupe() {
  const int64_t cutoff =
      absl::ToUnixSeconds(absl::Now() - options_.dedupe_retention);
  absl::Status s = db_->Write([&](storage::Transaction& tx) {
    return tx.Exec("DELETE FROM jalin_consumed_events WHERE consumed_at < ?",
                   {storage::Param(cutoff)});
  });
  if (!s.ok()) {
    log::Warn("event consumer: pruning dedupe ids failed",
              {{"error", std::string(s.message())}});
  }
}

}  // namespace jalin::events
