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
//
// SQLite starts the WAL over only when a writer finds every frame copied,
// which a passive checkpoint never achieves while commits keep coming: under
// a steady write load the WAL would grow without end (about 80 MB/s at
// 10,000 notifications/s), filling the disk and slowing every read. So once
// the WAL holds more than `restart_frames`, the checkpointer follows its
// passive checkpoint with one between two of the store's write
// transactions (SqliteDatabase::CheckpointBetweenWrites): it copies the
// frames committed meanwhile, writers wait for that (milliseconds), and
// the next write starts the WAL over. Writers wait for as long as that
// copy takes (and its two syncs), so before it the checkpointer runs more
// passive checkpoints, each copying what was committed during the previous
// one, until at most `locked_frames` are left, and syncs the database file
// (a passive checkpoint that commits overtake never does, leaving all it
// copied for the checkpoint under the lock to sync): the copy under the
// lock and its syncs stay short however fast the WAL grows. Once the WAL
// passes twice `restart_frames` during that work, the checkpoint under the
// lock runs at once, which stops the growth. And should any of this stall
// (a slow disk can hold one passive checkpoint for a long time), the
// commit that takes the WAL past twice `restart_frames` copies it itself,
// waiting for the stalled checkpoint first (SqliteDatabase::SetWalCutoff):
// the writers slow down instead of the WAL growing without bound. The WAL
// file keeps its largest size, which this bounds. (The store's write lock is
// not fair: a writer that commits with no pause at all could hold that
// checkpoint off. The services' writers pause between batches to read the next
// one.)

#ifndef COMMON_STORAGE_SQLITE_CHECKPOINTER_H_
#define COMMON_STORAGE_SQLITE_CHECKPOINTER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/storage/sqlite_database.h"

struct sqlite3;

namespace jalin::storage {

struct CheckpointerOptions {
  // The store's file (SqliteOptions::path).
  std::string path;
  // How often a passive checkpoint runs.
  absl::Duration interval = absl::Milliseconds(200);
  // WAL frames (pages) past which the WAL is made to start over; 16,384
  // frames are 64 MiB with SQLite's 4 KiB pages.
  int64_t restart_frames = 16'384;
  // Before the checkpoint between writes, passive checkpoints run (at most
  // `catch_up_passes`) until no more than this many frames are left to copy
  // under the write lock.
  int64_t locked_frames = 256;
  int catch_up_passes = 8;
  // Called on the checkpoint thread after each checkpoint between writes
  // with how long the store's writers were held; optional.
  std::function<void(absl::Duration held)> on_writers_held = nullptr;
};

// Thread-safe start/stop. `db` (the SqliteDatabase open on `path`) must
// outlive the checkpointer.
class SqliteCheckpointer {
 public:
  SqliteCheckpointer(SqliteDatabase* db, CheckpointerOptions options);
  ~SqliteCheckpointer();

  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

  // Opens the checkpoint connection, turns off automatic checkpoints on
  // the store's writer and starts the thread. On failure nothing changed.
  absl::Status Start();
  // Stops the thread, runs a last checkpoint and gives automatic
  // checkpoints back to the writer.
  void Stop();

  // One passive checkpoint now, followed by one between writes when the
  // WAL has grown past `restart_frames`; returns the WAL frames not yet
  // copied.
  absl::StatusOr<int64_t> CheckpointOnce();

  int64_t checkpoints() const { return checkpoints_.load(); }
  // Checkpoints run between writes to let the WAL start over.
  int64_t restarts() const { return restarts_.load(); }

 private:
  void Run();
  // Twice restart_frames: past it, the WAL is copied under the write lock
  // at once, by this class or by the commit itself.
  int64_t CutoffFrames() const { return 2 * options_.restart_frames; }
  // Flushes the database file's pages (copied by earlier checkpoints) to
  // disk through the checkpoint connection's file handle.
  void SyncDatabaseFile() ABSL_EXCLUSIVE_LOCKS_REQUIRED(conn_mu_);

  SqliteDatabase* const db_;
  const CheckpointerOptions options_;

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // Used by the checkpoint thread, or by CheckpointOnce under conn_mu_.
  absl::Mutex conn_mu_;
  sqlite3* conn_ ABSL_GUARDED_BY(conn_mu_) = nullptr;
  std::thread thread_;
  std::atomic<int64_t> checkpoints_{0};
  std::atomic<int64_t> restarts_{0};
};

}  // namespace jalin::storage

#endif  // COMMON_STORAGE_SQLITE_CHECKPOINTER_H_
