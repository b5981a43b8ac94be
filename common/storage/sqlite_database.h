// The embedded store: one SQLite file per service in WAL mode, one writer
// connection and a small pool of reader connections, prepared statements
// cached per connection. Connections write their WAL through
// BatchedWalVfs (one write per commit). Before the first connection,
// ConfigureSqlite turns SQLite's allocation statistics off and wraps its
// page cache (no walk of the whole cache at a commit), unless something
// else in the process started SQLite first.

#ifndef COMMON_STORAGE_SQLITE_DATABASE_H_
#define COMMON_STORAGE_SQLITE_DATABASE_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/storage/database.h"

namespace jalin::storage {

struct SqliteOptions {
  // Path of the database file; created if missing.
  std::string path;
  // Reader connections opened at most.
  int max_readers = 4;
  // FULL: a commit is on disk when Write returns (survives power loss).
  // NORMAL: survives a killed process but may lose the last commits on power
  // loss; faster.
  bool synchronous_full = true;
  absl::Duration busy_timeout = absl::Seconds(5);
  // Page cache per connection, in KiB.
  int cache_kib = 32 * 1024;
};

// Thread-safe (see Database).
class SqliteDatabase final : public Database {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> Open(
      const SqliteOptions& options);
  ~SqliteDatabase() override;

  absl::Status Write(absl::FunctionRef<absl::Status(Transaction&)> fn) override;
  absl::Status Read(absl::FunctionRef<absl::Status(Transaction&)> fn) override;
  absl::Status Migrate(absl::string_view component,
                       absl::Span<const Migration> migrations) override;
  absl::Status Ping() override;

  const std::string& path() const { return options_.path; }

  // Copies the WAL into the database file on the writer connection,
  // between two write transactions: no commit of this process lands while
  // it runs, so it copies every frame and the next write starts the WAL
  // over (SQLite does when it finds every frame copied and no reader in
  // the WAL). Writers wait for the copy; returns how long they were held
  // (from taking the write lock to releasing it). See
  // sqlite_checkpointer.h.
  absl::StatusOr<absl::Duration> CheckpointBetweenWrites();

  // A hard bound for the WAL while automatic checkpoints are off: a commit
  // that leaves more than `frames` in it copies the WAL itself before its
  // Write returns, first waiting (up to a few seconds) for a checkpoint
  // another connection is running. The writers pay for it, so the WAL
  // stays bounded even while a background checkpoint is stalled on a busy
  // disk. 0 removes the bound. Setting wal_autocheckpoint replaces it.
  void SetWalCutoff(int frames);

  class Connection;

 private:
  explicit SqliteDatabase(SqliteOptions options);

  absl::StatusOr<std::unique_ptr<Connection>> OpenConnection(bool writer);
  absl::StatusOr<std::unique_ptr<Connection>> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> conn);

  const SqliteOptions options_;

  absl::Mutex write_mu_;
  std::unique_ptr<Connection> writer_ ABSL_GUARDED_BY(write_mu_);
  // Read by the writer's WAL hook, which runs inside a commit.
  std::atomic<int> wal_cutoff_{0};

  absl::Mutex read_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_
      ABSL_GUARDED_BY(read_mu_);
  int open_readers_ ABSL_GUARDED_BY(read_mu_) = 0;
};

}  // namespace jalin::storage

#endif  // COMMON_STORAGE_SQLITE_DATABASE_H_
