#include "services/notification/webhook_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/ids.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/time_util.h"

namespace jalin::notification {
namespace {

using google::protobuf::util::TimeUtil;
using storage::Param;

constexpr int kLatencyWindow = 1000;

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

google::protobuf::Timestamp Timestamp(int64_t micros) {
  return TimeUtil::MicrosecondsToTimestamp(micros);
}

absl::Status ParseWebhook(const storage::Row& row, int column,
                          v1::Webhook* out) {
  const absl::string_view blob = row.Blob(column);
  if (!out->ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
    return absl::DataLossError("a stored webhook does not decode");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WebhookStore::InsertWebhook(storage::Transaction& tx,
                                         const v1::Webhook& webhook,
                                         absl::string_view secret) {
  ASSIGN_OR_RETURN(std::string id,
                   api::ParseName(webhook.name(), "webhooks", "name"));
  v1::Webhook stored = webhook;
  stored.clear_secret();
  RETURN_IF_ERROR(
      tx.Exec("INSERT INTO webhooks (id, owner, secret, create_time, message) "
              "VALUES (?, ?, ?, ?, ?)",
              {Param(id), Param(webhook.owner()), Param(secret),
               Param(TimeUtil::TimestampToMicroseconds(webhook.create_time())),
               Param::Blob(stored.SerializeAsString())}));
  return tx.Exec("INSERT INTO webhook_stats (webhook_id) VALUES (?)",
                 {Param(id)});
}

absl::StatusOr<WebhookRecord> WebhookStore::GetWebhook(storage::Transaction& tx,
                                                       absl::string_view id) {
  WebhookRecord r;
  bool found = false;
  RETURN_IF_ERROR(
      tx.Query("SELECT id, secret, message FROM webhooks WHERE id = ?",
               {Param(id)}, [&](const storage::Row& row) {
                 found = true;
                 r.id = std::string(row.Text(0));
                 r.secret = std::string(row.Text(1));
                 return ParseWebhook(row, 2, &r.webhook);
               }));
  if (!found) {
    return absl::NotFoundError(absl::StrCat("webhooks/", id, " not found"));
  }
  return r;
}

absl::Status WebhookStore::DeleteWebhook(storage::Transaction& tx,
                                         absl::string_view id) {
  RETURN_IF_ERROR(tx.Exec("DELETE FROM webhooks WHERE id = ?", {Param(id)}));
  if (tx.ChangedRows() == 0) {
    return absl::NotFoundError(absl::StrCat("webhooks/", id, " not found"));
  }
  RETURN_IF_ERROR(tx.Exec("DELETE FROM webhook_deliveries WHERE webhook_id = ?",
                          {Param(id)}));
  return tx.Exec("DELETE FROM webhook_stats WHERE webhook_id = ?", {Param(id)});
}

absl::StatusOr<std::vector<v1::Webhook>> WebhookStore::ListWebhooks(
    absl::string_view owner, absl::string_view after_id, int limit,
    bool* more) {
  std::vector<v1::Webhook> out;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) {
    auto on_row = [&](const storage::Row& row) {
      out.emplace_back();
      return ParseWebhook(row, 0, &out.back());
    };
    if (owner.empty()) {
      return tx.Query(
          "SELECT message FROM webhooks WHERE id > ? ORDER BY id LIMIT ?",
          {Param(after_id), Param(limit + 1)}, on_row);
    }
    return tx.Query(
        "SELECT message FROM webhooks WHERE owner = ? AND id > ? ORDER BY id "
        "LIMIT ?",
        {Param(owner), Param(after_id), Param(limit + 1)}, on_row);
  }));
  *more = out.size() > static_cast<size_t>(limit);
  if (*more) out.pop_back();
  return out;
}

absl::StatusOr<std::vector<WebhookRecord>> WebhookStore::LoadAll() {
  std::vector<WebhookRecord> out;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) {
    return tx.Query("SELECT id, secret, message FROM webhooks ORDER BY id", {},
                    [&](const storage::Row& row) {
                      out.emplace_back();
                      out.back().id = std::string(row.Text(0));
                      out.back().secret = std::string(row.Text(1));
                      return ParseWebhook(row, 2, &out.back().webhook);
                    });
  }));
  return out;
}

absl::StatusOr<bool> WebhookStore::InsertDelivery(storage::Transaction& tx,
                                                  absl::string_view webhook_id,
                                                  absl::string_view event_id,
                                                  absl::string_view event_type,
                                                  absl::string_view body,
                                                  absl::Time now) {
  // Only while the webhook exists: nothing would ever send or delete a
  // delivery of a deleted one.
  RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, "
      "body, state, next_attempt_time, create_time) "
      "SELECT ?, ?, ?, ?, ?, 0, ?, ? "
      "WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = ?) "
      "ON CONFLICT (webhook_id, event_id) DO NOTHING",
      {Param(NewUlid(now)), Param(webhook_id), Param(event_id),
       Param(event_type), Param(body), Param(Micros(now)), Param(Micros(now)),
       Param(webhook_id)}));
  return tx.ChangedRows() > 0;
}

absl::StatusOr<std::vector<DeliveryJob>> WebhookStore::Due(
    absl::string_view webhook_id, absl::Time now, int limit) {
  std::vector<DeliveryJob> out;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) {
    return tx.Query(
        "SELECT id, event_id, body, attempts FROM webhook_deliveries "
        "WHERE webhook_id = ? AND state = 0 AND next_attempt_time <= ? "
        "ORDER BY next_attempt_time, id LIMIT ?",
        {Param(webhook_id), Param(Micros(now)), Param(limit)},
        [&](const storage::Row& row) {
          DeliveryJob job;
          job.id = std::string(row.Text(0));
          job.webhook_id = std::string(webhook_id);
          job.event_id = std::string(row.Text(1));
          job.body = std::string(row.Text(2));
          job.attempts = static_cast<int>(row.Int(3));
          out.push_back(std::move(job));
          return absl::OkStatus();
        });
  }));
  return out;
}

absl::StatusOr<std::optional<absl::Time>> WebhookStore::NextDueAfter(
    absl::Time now) {
  std::optional<absl::Time> next;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) {
    return tx.Query(
        "SELECT MIN(next_attempt_time) FROM webhook_deliveries "
        "WHERE state = 0 AND next_attempt_time > ?",
        {Param(Micros(now))}, [&](const storage::Row& row) {
          if (!row.IsNull(0)) next = absl::FromUnixMicros(row.Int(0));
          return absl::OkStatus();
        });
  }));
  return next;
}

absl::Status WebhookStore::RecordSuccess(const DeliveryJob& job, absl::Time now,
                                         double duration_ms) {
  return db_->Write([&](storage::Transaction& tx) {
    RETURN_IF_ERROR(tx.Exec(
        "UPDATE webhook_deliveries SET state = 1, attempts = attempts + 1, "
        "first_attempt_time = COALESCE(first_attempt_time, ?), "
        "last_attempt_time = ?, duration_ms = ?, last_error = '' "
        "WHERE id = ? AND state = 0",
        {Param(Micros(now)), Param(Micros(now)), Param(duration_ms),
         Param(job.id)}));
    // Gone meanwhile (the webhook was deleted): nothing to count.
    if (tx.ChangedRows() == 0) return absl::OkStatus();
    return tx.Exec(
        "UPDATE webhook_stats SET delivered = delivered + 1, "
        "last_success_time = ? WHERE webhook_id = ?",
        {Param(Micros(now)), Param(job.webhook_id)});
  });
}

absl::Status WebhookStore::RecordFailure(const DeliveryJob& job, absl::Time now,
                                         absl::string_view error,
                                         std::optional<absl::Time> retry_at) {
  return db_->Write([&](storage::Transaction& tx) {
    const bool dead = !retry_at.has_value();
    RETURN_IF_ERROR(tx.Exec(
        "UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, "
        "first_attempt_time = COALESCE(first_attempt_time, ?), "
        "last_attempt_time = ?, next_attempt_time = ?, last_error = ? "
        "WHERE id = ? AND state = 0",
        {Param(static_cast<int>(dead ? DeliveryState::kDead
                                     : DeliveryState::kPending)),
         Param(Micros(now)), Param(Micros(now)),
         Param(Micros(dead ? now : *retry_at)), Param(error), Param(job.id)}));
    if (tx.ChangedRows() == 0) return absl::OkStatus();
    return tx.Exec(
        "UPDATE webhook_stats SET failed_attempts = failed_attempts + 1, "
        "dead_lettered = dead_lettered + ?, last_error = ? "
        "WHERE webhook_id = ?",
        {Param(dead ? 1 : 0), Param(error), Param(job.webhook_id)});
  });
}

absl::StatusOr<std::vector<v1::DeadLetter>> WebhookStore::ListDeadLetters(
    absl::string_view webhook_id, absl::string_view after_id, int limit,
    bool* more) {
  std::vector<v1::DeadLetter> out;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) {
    return tx.Query(
        "SELECT id, event_id, event_type, attempts, last_error, "
        "first_attempt_time, last_attempt_time FROM webhook_deliveries "
        "WHERE webhook_id = ? AND state = 2 AND id > ? ORDER BY id LIMIT ?",
        {Param(webhook_id), Param(after_id), Param(limit + 1)},
        [&](const storage::Row& row) {
          v1::DeadLetter d;
          d.set_name(absl::StrCat("webhooks/", webhook_id, "/deadLetters/",
                                  row.Text(0)));
          d.set_event_id(std::string(row.Text(1)));
          d.set_event_type(std::string(row.Text(2)));
          d.set_attempts(static_cast<int32_t>(row.Int(3)));
          d.set_last_error(std::string(row.Text(4)));
          if (!row.IsNull(5)) {
            *d.mutable_first_attempt_time() = Timestamp(row.Int(5));
          }
          if (!row.IsNull(6)) {
            *d.mutable_last_attempt_time() = Timestamp(row.Int(6));
          }
          out.push_back(std::move(d));
          return absl::OkStatus();
        });
  }));
  *more = out.size() > static_cast<size_t>(limit);
  if (*more) out.pop_back();
  return out;
}

absl::StatusOr<int> WebhookStore::Replay(storage::Transaction& tx,
                                         absl::string_view webhook_id,
                                         absl::string_view delivery_id,
                                         absl::Time now) {
  if (delivery_id == "-") {
    RETURN_IF_ERROR(
        tx.Exec("UPDATE webhook_deliveries SET state = 0, attempts = 0, "
                "next_attempt_time = ? WHERE webhook_id = ? AND state = 2",
                {Param(Micros(now)), Param(webhook_id)}));
    return static_cast<int>(tx.ChangedRows());
  }
  RETURN_IF_ERROR(tx.Exec(
      "UPDATE webhook_deliveries SET state = 0, attempts = 0, "
      "next_attempt_time = ? WHERE webhook_id = ? AND id = ? AND state = 2",
      {Param(Micros(now)), Param(webhook_id), Param(delivery_id)}));
  if (tx.ChangedRows() == 0) {
    return absl::NotFoundError(absl::StrCat(
        "webhooks/", webhook_id, "/deadLetters/", delivery_id, " not found"));
  }
  return 1;
}

absl::StatusOr<v1::WebhookStats> WebhookStore::Stats(
    absl::string_view webhook_id) {
  v1::WebhookStats stats;
  stats.set_webhook(absl::StrCat("webhooks/", webhook_id));
  std::vector<double> latencies;
  RETURN_IF_ERROR(db_->Read([&](storage::Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Query(
        "SELECT delivered, failed_attempts, dead_lettered, last_success_time, "
        "last_error FROM webhook_stats WHERE webhook_id = ?",
        {Param(webhook_id)}, [&](const storage::Row& row) {
          stats.set_delivered(row.Int(0));
          stats.set_failed_attempts(row.Int(1));
          stats.set_dead_lettered(row.Int(2));
          if (!row.IsNull(3)) {
            *stats.mutable_last_success_time() = Timestamp(row.Int(3));
          }
          stats.set_last_error(std::string(row.Text(4)));
          return absl::OkStatus();
        }));
    ASSIGN_OR_RETURN(
        int64_t pending,
        storage::QueryInt(tx,
                          "SELECT COUNT(*) FROM webhook_deliveries "
                          "WHERE webhook_id = ? AND state = 0",
                          {Param(webhook_id)}));
    stats.set_pending(pending);
    return tx.Query(
        "SELECT duration_ms FROM webhook_deliveries WHERE webhook_id = ? AND "
        "state = 1 ORDER BY last_attempt_time DESC LIMIT ?",
        {Param(webhook_id), Param(kLatencyWindow)},
        [&](const storage::Row& row) {
          latencies.push_back(row.Double(0));
          return absl::OkStatus();
        });
  }));
  if (!latencies.empty()) {
    std::sort(latencies.begin(), latencies.end());
    auto at = [&](double q) {
      return latencies[static_cast<size_t>(
          q * static_cast<double>(latencies.size() - 1))];
    };
    stats.set_latency_p50_ms(at(0.50));
    stats.set_latency_p99_ms(at(0.99));
  }
  return stats;
}

absl::StatusOr<int64_t> WebhookStore::DeleteDeliveredOlderThan(
    absl::Time cutoff, int limit) {
  int64_t deleted = 0;
  RETURN_IF_ERROR(db_->Write([&](storage::Transaction& tx) {
    RETURN_IF_ERROR(
        tx.Exec("DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM "
                "webhook_deliveries WHERE state = 1 AND create_time < ? "
                "ORDER BY create_time LIMIT ?)",
                {Param(Micros(cutoff)), Param(limit)}));
    deleted = tx.ChangedRows();
    return absl::OkStatus();
  }));
  return deleted;
}

absl::StatusOr<int64_t> WebhookStore::DeleteDeadOlderThan(absl::Time cutoff,
                                                          int limit) {
  int64_t deleted = 0;
  RETURN_IF_ERROR(db_->Write([&](storage::Transaction& tx) {
    RETURN_IF_ERROR(
        tx.Exec("DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM "
                "webhook_deliveries WHERE state = 2 AND last_attempt_time < ? "
                "LIMIT ?)",
                {Param(Micros(cutoff)), Param(limit)}));
    deleted = tx.ChangedRows();
    return absl::OkStatus();
  }));
  return deleted;
}

absl::StatusOr<int64_t> WebhookStore::DeleteOrphans(int limit) {
  int64_t deleted = 0;
  RETURN_IF_ERROR(db_->Write([&](storage::Transaction& tx) {
    // The webhooks that have deliveries, one index step each (from the
    // lowest id, the next one above it), rather than every delivery: this
    // runs in a write transaction, and reading a million deliveries to find
    // none would hold the consumers for seconds at every pass.
    RETURN_IF_ERROR(tx.Exec(
        "DELETE FROM webhook_deliveries WHERE id IN ("
        "WITH RECURSIVE hooks(id) AS ("
        "SELECT MIN(webhook_id) FROM webhook_deliveries UNION ALL "
        "SELECT (SELECT MIN(webhook_id) FROM webhook_deliveries "
        "WHERE webhook_id > hooks.id) FROM hooks WHERE hooks.id IS NOT NULL) "
        "SELECT d.id FROM webhook_deliveries d WHERE d.webhook_id IN ("
        "SELECT id FROM hooks WHERE id IS NOT NULL AND NOT EXISTS ("
        "SELECT 1 FROM webhooks w WHERE w.id = hooks.id)) LIMIT ?)",
        {Param(limit)}));
    deleted = tx.ChangedRows();
    return tx.Exec(
        "DELETE FROM webhook_stats WHERE NOT EXISTS (SELECT 1 FROM webhooks "
        "w WHERE w.id = webhook_stats.webhook_id)",
        {});
  }));
  return deleted;
}

}  // namespace jalin::notification
