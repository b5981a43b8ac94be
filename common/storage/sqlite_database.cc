#include "common/storage/sqlite_database.h"

#include <sqlite3.h>

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "common/log/log.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "common/storage/batched_wal_vfs.h"
#include "common/storage/sqlite_setup.h"

namespace jalin::storage {
namespace {

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  std::string message =
      absl::StrCat("sqlite: ", what, ": ",
                   db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(message);
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE ||
          rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return absl::AlreadyExistsError(message);
      }
      return absl::FailedPreconditionError(message);
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return absl::UnavailableError(message);
    default:
      return absl::InternalError(message);
  }
}

class SqliteRow final : public Row {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  int ColumnCount() const override { return sqlite3_column_count(stmt_); }
  bool IsNull(int c) const override {
    return sqlite3_column_type(stmt_, c) == SQLITE_NULL;
  }
  int64_t Int(int c) const override { return sqlite3_column_int64(stmt_, c); }
  double Double(int c) const override {
    return sqlite3_column_double(stmt_, c);
  }
  absl::string_view Text(int c) const override {
    const auto* p = sqlite3_column_text(stmt_, c);
    int n = sqlite3_column_bytes(stmt_, c);
    return p == nullptr
               ? absl::string_view()
               : absl::string_view(reinterpret_cast<const char*>(p), n);
  }
  absl::string_view Blob(int c) const override {
    const void* p = sqlite3_column_blob(stmt_, c);
    int n = sqlite3_column_bytes(stmt_, c);
    return p == nullptr ? absl::string_view()
                        : absl::string_view(static_cast<const char*>(p), n);
  }

 private:
  sqlite3_stmt* stmt_;
};

}  // namespace

// One sqlite3 handle with its cache of prepared statements. Used by one
// thread at a time (the database hands it out under a lock).
class SqliteDatabase::Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  sqlite3* db() const { return db_; }

  absl::StatusOr<sqlite3_stmt*> Prepare(absl::string_view sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return SqliteError(db_, rc, absl::StrCat("preparing \"", sql, "\""));
    }
    statements_.emplace(std::string(sql), stmt);
    return stmt;
  }

  absl::Status ExecScript(absl::string_view sql) {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      absl::Status s = SqliteError(nullptr, rc, err != nullptr ? err : "exec");
      sqlite3_free(err);
      return s;
    }
    return absl::OkStatus();
  }

 private:
  sqlite3* db_;
  absl::flat_hash_map<std::string, sqlite3_stmt*> statements_;
};

namespace {

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(SqliteDatabase::Connection* conn) : conn_(conn) {}

  absl::Status Exec(absl::string_view sql,
                    absl::Span<const Param> params) override {
    return Run(sql, params, nullptr);
  }

  absl::Status Query(absl::string_view sql, absl::Span<const Param> params,
                     RowCallback on_row) override {
    return Run(sql, params, &on_row);
  }

  int64_t ChangedRows() const override { return changed_; }

  void OnCommit(std::function<void()> fn) override {
    on_commit_.push_back(std::move(fn));
  }

  std::vector<std::function<void()>> TakeOnCommit() {
    return std::move(on_commit_);
  }

 private:
  absl::Status Run(absl::string_view sql, absl::Span<const Param> params,
                   RowCallback* on_row) {
    ASSIGN_OR_RETURN(sqlite3_stmt * stmt, conn_->Prepare(sql));
    sqlite3* db = conn_->db();
    // Always leave the statement reset and unbound for its next use.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return absl::InternalError(absl::StrCat(
          "sqlite: \"", sql, "\" takes ", sqlite3_bind_parameter_count(stmt),
          " parameters, got ", params.size()));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const Param& p = params[i];
      int idx = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      switch (p.type()) {
        case Param::Type::kNull:
          rc = sqlite3_bind_null(stmt, idx);
          break;
        case Param::Type::kInt:
          rc = sqlite3_bind_int64(stmt, idx, p.int_value());
          break;
        case Param::Type::kDouble:
          rc = sqlite3_bind_double(stmt, idx, p.double_value());
          break;
        case Param::Type::kText:
          rc = sqlite3_bind_text(stmt, idx, p.text_value().data(),
                                 static_cast<int>(p.text_value().size()),
                                 SQLITE_STATIC);
          break;
        case Param::Type::kBlob:
          rc = sqlite3_bind_blob(stmt, idx, p.text_value().data(),
                                 static_cast<int>(p.text_value().size()),
                                 SQLITE_STATIC);
          break;
      }
      if (rc != SQLITE_OK) return SqliteError(db, rc, "binding");
    }
    SqliteRow row(stmt);
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        return SqliteError(db, sqlite3_extended_errcode(db),
                           absl::StrCat("running \"", sql, "\""));
      }
      if (on_row != nullptr) RETURN_IF_ERROR((*on_row)(row));
    }
    changed_ = sqlite3_changes64(db);
    return absl::OkStatus();
  }

  SqliteDatabase::Connection* conn_;
  int64_t changed_ = 0;
  std::vector<std::function<void()>> on_commit_;
};

}  // namespace

SqliteDatabase::SqliteDatabase(SqliteOptions options)
    : options_(std::move(options)) {}

SqliteDatabase::~SqliteDatabase() = default;

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(
    const SqliteOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("sqlite: no database path");
  }
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(options));
  ASSIGN_OR_RETURN(auto writer, db->OpenConnection(/*writer=*/true));
  absl::MutexLock lock(&db->write_mu_);
  db->writer_ = std::move(writer);
  return db;
}

absl::StatusOr<std::unique_ptr<SqliteDatabase::Connection>>
SqliteDatabase::OpenConnection(bool writer) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (writer ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
                      : SQLITE_OPEN_READONLY);
  // Before the first SQLite call (finding the VFS initialises SQLite).
  ConfigureSqlite();
  int rc = sqlite3_open_v2(options_.path.c_str(), &raw, flags, BatchedWalVfs());
  auto conn = std::make_unique<Connection>(raw);
  if (rc != SQLITE_OK) {
    return Annotate(SqliteError(raw, rc, "open"), options_.path);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(
      raw, static_cast<int>(absl::ToInt64Milliseconds(options_.busy_timeout)));
  std::string pragmas = absl::StrCat(
      "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-",
      options_.cache_kib, ";");
  if (writer) {
    absl::StrAppend(&pragmas, "PRAGMA journal_mode=WAL; PRAGMA synchronous=",
                    options_.synchronous_full ? "FULL" : "NORMAL", ";");
  }
  RETURN_IF_ERROR(Annotate(conn->ExecScript(pragmas), options_.path));
  return conn;
}

absl::StatusOr<std::unique_ptr<SqliteDatabase::Connection>>
SqliteDatabase::AcquireReader() {
  {
    absl::MutexLock lock(&read_mu_);
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(read_mu_) {
      return !idle_readers_.empty() || open_readers_ < options_.max_readers;
    };
    read_mu_.Await(absl::Condition(&available));
    if (!idle_readers_.empty()) {
      auto conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return conn;
    }
    ++open_readers_;
  }
  auto conn = OpenConnection(/*writer=*/false);
  if (!conn.ok()) {
    absl::MutexLock lock(&read_mu_);
    --open_readers_;
  }
  return conn;
}

void SqliteDatabase::ReleaseReader(std::unique_ptr<Connection> conn) {
  absl::MutexLock lock(&read_mu_);
  idle_readers_.push_back(std::move(conn));
}

absl::Status SqliteDatabase::Write(
    absl::FunctionRef<absl::Status(Transaction&)> fn) {
  std::vector<std::function<void()>> on_commit;
  {
    absl::MutexLock lock(&write_mu_);
    Connection* conn = writer_.get();
    RETURN_IF_ERROR(conn->ExecScript("BEGIN IMMEDIATE"));
    SqliteTransaction tx(conn);
    absl::Status status = fn(tx);
    if (status.ok()) status = conn->ExecScript("COMMIT");
    if (!status.ok()) {
      if (!sqlite3_get_autocommit(conn->db())) {
        conn->ExecScript("ROLLBACK").IgnoreError();
      }
      return status;
    }
    on_commit = tx.TakeOnCommit();
  }
  for (auto& f : on_commit) f();
  return absl::OkStatus();
}

absl::Status SqliteDatabase::Read(
    absl::FunctionRef<absl::Status(Transaction&)> fn) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, AcquireReader());
  absl::Status status = conn->ExecScript("BEGIN");
  if (status.ok()) {
    SqliteTransaction tx(conn.get());
    status = fn(tx);
    absl::Status end = conn->ExecScript(status.ok() ? "COMMIT" : "ROLLBACK");
    if (status.ok()) status = end;
  }
  if (!sqlite3_get_autocommit(conn->db())) {
    // Could not end the transaction: drop the connection rather than reuse
    // it with a stale snapshot.
    absl::MutexLock lock(&read_mu_);
    --open_readers_;
    return status;
  }
  ReleaseReader(std::move(conn));
  return status;
}

absl::Status SqliteDatabase::Migrate(absl::string_view component,
                                     absl::Span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return absl::InternalError(absl::StrCat(
          "migrations of ", component, " must be numbered 1, 2, 3, ...; #", i,
          " is ", migrations[i].version));
    }
  }
  RETURN_IF_ERROR(Write([](Transaction& tx) {
    return tx.Exec(
        "CREATE TABLE IF NOT EXISTS jalin_schema ("
        " component TEXT NOT NULL, version INTEGER NOT NULL,"
        " description TEXT NOT NULL, applied_at INTEGER NOT NULL,"
        " PRIMARY KEY (component, version))");
  }));
  int64_t current = 0;
  RETURN_IF_ERROR(Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(current,
                     QueryInt(tx,
                              "SELECT MAX(version) FROM jalin_schema WHERE "
                              "component = ?",
                              {Param(component)}));
    return absl::OkStatus();
  }));
  if (current > static_cast<int64_t>(migrations.size())) {
    return absl::FailedPreconditionError(absl::StrCat(
        options_.path, ": schema of ", component, " is at version ", current,
        " but this binary knows only ", migrations.size(),
        "; refusing to run an older binary on a newer store"));
  }
  // Upgrading a store that holds data can take minutes (an index built
  // over a large table), before the service opens its port: say what runs
  // and how long it took. A new store's migrations run on empty tables and
  // go unannounced.
  const bool upgrade = current > 0;
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    const absl::Time start = absl::Now();
    if (upgrade) {
      log::Info("applying schema migration",
                {{"store", options_.path},
                 {"component", std::string(component)},
                 {"version", m.version},
                 {"description", std::string(m.description)}});
    }
    absl::MutexLock lock(&write_mu_);
    Connection* conn = writer_.get();
    RETURN_IF_ERROR(conn->ExecScript("BEGIN IMMEDIATE"));
    absl::Status s = conn->ExecScript(m.sql);
    if (s.ok()) {
      SqliteTransaction tx(conn);
      s = tx.Exec(
          "INSERT INTO jalin_schema (component, version, description, "
          "applied_at) VALUES (?, ?, ?, ?)",
          {Param(component), Param(m.version), Param(m.description),
           Param(absl::ToUnixSeconds(absl::Now()))});
    }
    if (s.ok()) s = conn->ExecScript("COMMIT");
    if (!s.ok()) {
      if (!sqlite3_get_autocommit(conn->db())) {
        conn->ExecScript("ROLLBACK").IgnoreError();
      }
      return Annotate(s, absl::StrCat("migration ", component, " #", m.version,
                                      " (", m.description, ")"));
    }
    if (upgrade) {
      log::Info("applied schema migration",
                {{"component", std::string(component)},
                 {"version", m.version},
                 {"seconds", absl::ToDoubleSeconds(absl::Now() - start)}});
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Duration> SqliteDatabase::CheckpointBetweenWrites() {
  absl::MutexLock lock(&write_mu_);
  const absl::Time start = absl::Now();
  const int rc = sqlite3_wal_checkpoint_v2(
      writer_->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  // Busy: a checkpoint of another process is running; tried again later.
  if (rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY) {
    return absl::Now() - start;
  }
  return Annotate(SqliteError(writer_->db(), rc, "checkpoint"), options_.path);
}

void SqliteDatabase::SetWalCutoff(int frames) {
  absl::MutexLock lock(&write_mu_);
  wal_cutoff_ = frames;
  sqlite3_wal_hook(
      writer_->db(),
      [](void* self, sqlite3* db, const char* name, int log_frames) -> int {
        const int cutoff =
            static_cast<SqliteDatabase*>(self)->wal_cutoff_.load();
        if (cutoff <= 0 || log_frames <= cutoff) return SQLITE_OK;
        // Inside the commit, under write_mu_: no other commit of this
        // process lands while this copies. A checkpoint already running on
        // another connection makes it busy: wait for that one to end.
        for (int attempt = 0; attempt < 5000; ++attempt) {
          const int rc = sqlite3_wal_checkpoint_v2(
              db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
          if ((rc & 0xff) != SQLITE_BUSY) break;
          absl::SleepFor(absl::Milliseconds(1));
        }
        // The commit itself succeeded whatever happened here.
        return SQLITE_OK;
      },
      this);
}

absl::Status SqliteDatabase::Ping() {
  return Read(
      [](Transaction& tx) { return QueryInt(tx, "SELECT 1", {}).status(); });
}

}  // namespace jalin::storage
