#include "common/storage/sqlite_checkpointer.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace jalin::storage {
namespace {

// Database file syncs before the checkpoint under the write lock.
constexpr int kSyncRounds = 2;

// Sets the writer's automatic checkpoint threshold (0: off). A connection
// setting, so it runs through a write transaction on the writer itself.
absl::Status SetAutoCheckpoint(Database* db, int pages) {
  return db->Write([pages](Transaction& tx) {
    return tx.Exec(absl::StrCat("PRAGMA wal_autocheckpoint=", pages));
  });
}

}  // namespace

SqliteCheckpointer::SqliteCheckpointer(SqliteDatabase* db,
                                       CheckpointerOptions options)
    : db_(db), options_(std::move(options)) {}

SqliteCheckpointer::~SqliteCheckpointer() { Stop(); }

absl::Status SqliteCheckpointer::Start() {
  {
    absl::MutexLock lock(&conn_mu_);
    if (conn_ != nullptr) return absl::OkStatus();
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(options_.path.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      absl::Status s = absl::UnavailableError(absl::StrCat(
          "sqlite: open ", options_.path, " for checkpoints: ",
          raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
      sqlite3_close_v2(raw);
      return s;
    }
    // A checkpoint never waits on a busy lock: it is tried again later.
    sqlite3_busy_timeout(raw, 0);
    // Reading the journal mode also opens the WAL for this connection;
    // until it has read something, a checkpoint finds no WAL to copy.
    std::string mode;
    char* err = nullptr;
    sqlite3_exec(
        raw, "PRAGMA journal_mode",
        [](void* out, int n, char** values, char**) {
          if (n > 0 && values[0] != nullptr) {
            *static_cast<std::string*>(out) = values[0];
          }
          return 0;
        },
        &mode, &err);
    sqlite3_free(err);
    if (mode != "wal") {
      sqlite3_close_v2(raw);
      return absl::FailedPreconditionError(absl::StrCat(
          "sqlite: ", options_.path, " is not in WAL mode (", mode, ")"));
    }
    conn_ = raw;
  }
  if (absl::Status s = SetAutoCheckpoint(db_, 0); !s.ok()) {
    absl::MutexLock lock(&conn_mu_);
    sqlite3_close_v2(conn_);
    conn_ = nullptr;
    return s;
  }
  // Past twice its limit, the writers copy the WAL themselves: a passive
  // checkpoint stalled on a busy disk must not let it grow without bound.
  db_->SetWalCutoff(static_cast<int>(CutoffFrames()));
  absl::MutexLock lock(&mu_);
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void SqliteCheckpointer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
  bool started = false;
  {
    absl::MutexLock lock(&conn_mu_);
    started = conn_ != nullptr;
  }
  if (!started) return;
  CheckpointOnce().IgnoreError();
  // Back to SQLite's default, so the store never grows its WAL unchecked.
  SetAutoCheckpoint(db_, 1000).IgnoreError();
  absl::MutexLock lock(&conn_mu_);
  sqlite3_close_v2(conn_);
  conn_ = nullptr;
}

absl::StatusOr<int64_t> SqliteCheckpointer::CheckpointOnce() {
  absl::MutexLock lock(&conn_mu_);
  if (conn_ == nullptr) {
    return absl::FailedPreconditionError("checkpointer not started");
  }
  int log_frames = 0;
  int copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(
      conn_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    return absl::UnavailableError(
        absl::StrCat("sqlite: checkpoint: ", sqlite3_errmsg(conn_)));
  }
  if (log_frames < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("sqlite: ", options_.path, " is not in WAL mode"));
  }
  ++checkpoints_;
  if (log_frames <= options_.restart_frames) {
    return static_cast<int64_t>(log_frames - copied);
  }
  // Commits kept the WAL from starting over. Catch up off the lock first,
  // then copy the rest with no commit in between (see the header).
  // The WAL grows while this runs off the lock: past twice its limit the
  // rest is left to the checkpoint under the lock, which stops the growth,
  // so that the limit still bounds the file.
  auto growing_too_far = [&] { return log_frames > CutoffFrames(); };
  int64_t backlog = log_frames - copied;
  auto catch_up = [&] {
    for (int pass = 0; pass < options_.catch_up_passes &&
                       backlog > options_.locked_frames && !growing_too_far();
         ++pass) {
      const int again = sqlite3_wal_checkpoint_v2(
          conn_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied);
      if (again != SQLITE_OK) break;  // busy or failing: the lock copies it
      ++checkpoints_;
      backlog = log_frames - copied;
    }
  };
  catch_up();
  // A passive checkpoint that commits overtake never syncs the database
  // file, so everything copied since the last complete one is still in the
  // page cache, and the checkpoint under the lock would sync it all (tens
  // of milliseconds under a steady load). Sync it here, off the lock, and
  // catch up with what was committed meanwhile; each round leaves less for
  // the next sync.
  for (int round = 0; round < kSyncRounds && !growing_too_far(); ++round) {
    SyncDatabaseFile();
    backlog = options_.locked_frames + 1;  // unknown after the sync: look
    catch_up();
  }
  absl::StatusOr<absl::Duration> held = db_->CheckpointBetweenWrites();
  if (!held.ok()) return held.status();
  ++restarts_;
  if (options_.on_writers_held) options_.on_writers_held(*held);
  return 0;
}

void SqliteCheckpointer::SyncDatabaseFile() {
  // The connection's own file handle: opening and closing another
  // descriptor on the file would drop the process's POSIX locks on it.
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(conn_, "main", SQLITE_FCNTL_FILE_POINTER, &file) !=
          SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr) {
    return;
  }
  file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
}

void SqliteCheckpointer::Run() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stop_), options_.interval)) {
        return;
      }
    }
    absl::StatusOr<int64_t> left = CheckpointOnce();
    if (!left.ok()) {
      log::Warn("store checkpoint failed",
                {{"store", options_.path},
                 {"error", std::string(left.status().message())}});
    }
  }
}

}  // namespace jalin::storage
