// Background WAL checkpoints for an SQLite store.
//
// By default SQLite checkpoints inside the commit that makes the WAL pass
// 1,000 pages: that commit copies pages into the database file and syncs
// it before returning, so on a slow disk every few hundred commits one
// takes tens of milliseconds, and everything queued behind it waits. A
// service whose writes are on a latency path (a consumer feeding live
// streams) hands checkpointing to this class instead: it turns automatic
// checkpoints off on the store's writer and runs passive checkpoints from
// its own connection and thread. Passive checkpoints never block writers or
// readers; commits stay as durable as the store's synchronous setting makes
// them (a checkpoint only moves committed pages from the WAL into the
// database file).

#ifndef COMMON_STORAGE_SQLITE_CHECKPOINTER_H_
#define COMMON_STORAGE_SQLITE_CHECKPOINTER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/storage/database.h"

struct sqlite3;

namespace jalin::storage {

struct CheckpointerOptions {
  // The store's file (SqliteOptions::path).
  std::string path;
  // How often a passive checkpoint runs.
  absl::Duration interval = absl::Milliseconds(200);
};

// Thread-safe start/stop. `db` (the SqliteDatabase open on `path`) must
// outlive the checkpointer.
class SqliteCheckpointer {
 public:
  SqliteCheckpointer(Database* db, CheckpointerOptions options);
  ~SqliteCheckpointer();

  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

  // Opens the checkpoint connection, turns off automatic checkpoints on
  // the store's writer and starts the thread. On failure nothing changed.
  absl::Status Start();
  // Stops the thread, runs a last checkpoint and gives automatic
  // checkpoints back to the writer.
  void Stop();

  // One passive checkpoint now; returns the WAL frames not yet copied.
  absl::StatusOr<int64_t> CheckpointOnce();

  int64_t checkpoints() const { return checkpoints_.load(); }

 private:
  void Run();

  Database* const db_;
  const CheckpointerOptions options_;

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // Used by the checkpoint thread, or by CheckpointOnce under conn_mu_.
  absl::Mutex conn_mu_;
  sqlite3* conn_ ABSL_GUARDED_BY(conn_mu_) = nullptr;
  std::thread thread_;
  std::atomic<int64_t> checkpoints_{0};
};

}  // namespace jalin::storage

#endif  // COMMON_STORAGE_SQLITE_CHECKPOINTER_H_
