// The WAL-gathering VFS on real files: commits are in the file before
// another connection (on SQLite's own VFS) can see them, a commit of many
// pages costs a few system calls, transactions larger than what the unix
// VFS writes at once or than the page cache read back intact, and a writer
// killed with SIGKILL loses no acknowledged commit.

#include "common/storage/batched_wal_vfs.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/storage/sqlite_database.h"
#include "common/testing/raw_sqlite.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"

namespace jalin::storage {
namespace {

using ::jalin::testing::RawSqlite;

constexpr Migration kSchema[] = {
    {1, "rows", "CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB);"},
};

// While alive, the unix VFS's pwrite fails with EIO for the writes `fail`
// picks. One at a time.
class FailingWrites {
 public:
  using Pick = bool (*)(const char* bytes, size_t n);

  explicit FailingWrites(Pick fail) {
    unix_ = sqlite3_vfs_find("unix");
    real_ = reinterpret_cast<Pwrite>(unix_->xGetSystemCall(unix_, "pwrite64"));
    installed_ = real_ != nullptr &&
                 unix_->xSetSystemCall(
                     unix_, "pwrite64",
                     reinterpret_cast<sqlite3_syscall_ptr>(&Fake)) == SQLITE_OK;
    fail_ = fail;
  }
  ~FailingWrites() {
    fail_ = nullptr;
    if (installed_) unix_->xSetSystemCall(unix_, "pwrite64", nullptr);
  }
  FailingWrites(const FailingWrites&) = delete;
  FailingWrites& operator=(const FailingWrites&) = delete;

  bool installed() const { return installed_; }
  static int failures() { return failures_; }

 private:
  using Pwrite = ssize_t (*)(int, const void*, size_t, off_t);

  static ssize_t Fake(int fd, const void* bytes, size_t n, off_t offset) {
    const Pick fail = fail_.load();
    if (fail != nullptr && fail(static_cast<const char*>(bytes), n)) {
      ++failures_;
      errno = EIO;
      return -1;
    }
    return real_(fd, bytes, n, offset);
  }

  sqlite3_vfs* unix_ = nullptr;
  bool installed_ = false;
  static inline Pwrite real_ = nullptr;
  static inline std::atomic<Pick> fail_{nullptr};
  static inline std::atomic<int> failures_{0};
};

// A WAL commit frame's header written on its own.
bool CommitHeader(const char* bytes, size_t n) {
  return n == 24 && (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
}

bool Everything(const char*, size_t) { return true; }

// Write system calls this process has made (write, pwrite, ...).
int64_t WriteCalls() {
  std::ifstream io("/proc/self/io");
  std::string key;
  int64_t value = 0;
  while (io >> key >> value) {
    if (key == "syscw:") return value;
  }
  return -1;
}

std::unique_ptr<SqliteDatabase> OpenStore(const std::string& path,
                                          bool synchronous_full,
                                          int cache_kib = 32 * 1024) {
  auto db = SqliteDatabase::Open({.path = path,
                                  .synchronous_full = synchronous_full,
                                  .cache_kib = cache_kib});
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return nullptr;
  EXPECT_TRUE((*db)->Migrate("test", kSchema).ok());
  return *std::move(db);
}

absl::Status Insert(SqliteDatabase& db, int64_t id, const std::string& body) {
  return db.Write([&](Transaction& tx) {
    return tx.Exec("INSERT INTO rows (id, body) VALUES (?, ?)",
                   {Param(id), Param::Blob(body)});
  });
}

// Inserts rows [from, to) with 3,000-byte bodies of `fill`, in `tx`.
absl::Status InsertRows(Transaction& tx, int from, int to, char fill) {
  for (int i = from; i < to; ++i) {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO rows (id, body) VALUES (?, ?)",
                            {Param(i), Param::Blob(std::string(3000, fill))}));
  }
  return absl::OkStatus();
}

TEST(BatchedWalVfsTest, IsRegisteredOnLinux) {
  ASSERT_NE(BatchedWalVfs(), nullptr);
  EXPECT_NE(sqlite3_vfs_find(BatchedWalVfs()), nullptr);
  // Not made the default: other code keeps SQLite's own VFS.
  EXPECT_STREQ(sqlite3_vfs_find(nullptr)->zName, "unix");
}

TEST(BatchedWalVfsTest, EachCommitIsInTheFileWhenWriteReturns) {
  jalin::testing::TempDir dir;
  const std::string path = dir.File("store.db");
  for (const bool full : {false, true}) {
    SCOPED_TRACE(full ? "synchronous=FULL" : "synchronous=NORMAL");
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    auto db = OpenStore(path, full);
    ASSERT_NE(db, nullptr);
    RawSqlite reader(path);
    for (int i = 1; i <= 60; ++i) {
      ASSERT_TRUE(Insert(*db, i, std::string(2000, 'a' + i % 26)).ok());
      ASSERT_EQ(reader.One("SELECT COUNT(*) FROM rows"), absl::StrCat(i));
    }
    EXPECT_EQ(reader.One("SELECT SUM(LENGTH(body)) FROM rows"), "120000");
  }
}

TEST(BatchedWalVfsTest, ACommitOfManyPagesTakesFewWriteCalls) {
  jalin::testing::TempDir dir;
  const std::string path = dir.File("store.db");
  auto db = OpenStore(path, /*synchronous_full=*/false);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(Insert(*db, 0, "warm").ok());
  const int64_t before = WriteCalls();
  ASSERT_GE(before, 0);
  // About 200 pages: two write calls each without gathering.
  ASSERT_TRUE(db->Write([&](Transaction& tx) -> absl::Status {
                  return InsertRows(tx, 1, 201, 'x');
                }).ok());
  const int64_t calls = WriteCalls() - before;
  // ~850 KiB in writes of at most 124 KiB, and a little bookkeeping.
  EXPECT_LE(calls, 20);
  RawSqlite reader(path);
  EXPECT_EQ(reader.One("SELECT COUNT(*) FROM rows"), "201");
}

TEST(BatchedWalVfsTest, LargeAndSpillingTransactionsReadBackIntact) {
  jalin::testing::TempDir dir;
  const std::string path = dir.File("store.db");
  // A 256 KiB page cache: a 3 MiB transaction spills pages into the WAL
  // before its commit, and SQLite rewrites some of those frames in place
  // when the same pages change again.
  auto db = OpenStore(path, /*synchronous_full=*/true, /*cache_kib=*/256);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Write([&](Transaction& tx) -> absl::Status {
                  RETURN_IF_ERROR(InsertRows(tx, 1, 1001, 'a'));
                  for (int i = 1; i <= 1000; i += 3) {
                    RETURN_IF_ERROR(tx.Exec(
                        "UPDATE rows SET body = ? WHERE id = ?",
                        {Param::Blob(std::string(3000, 'b')), Param(i)}));
                  }
                  return absl::OkStatus();
                }).ok());
  // And a rolled-back one after it leaves nothing behind.
  const absl::Status rolled_back = db->Write([&](Transaction& tx) {
    RETURN_IF_ERROR(InsertRows(tx, 2000, 2500, 'c'));
    return absl::AbortedError("rolled back");
  });
  EXPECT_EQ(rolled_back.code(), absl::StatusCode::kAborted);
  ASSERT_TRUE(Insert(*db, 5000, "after").ok());

  RawSqlite reader(path);
  EXPECT_EQ(reader.One("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(reader.One("SELECT COUNT(*) FROM rows"), "1001");
  EXPECT_EQ(reader.One("SELECT COUNT(*) FROM rows WHERE body = "
                       "CAST(replace(hex(zeroblob(3000)), '00', 'b') AS BLOB)"),
            "334");
  EXPECT_EQ(reader.One("SELECT COUNT(*) FROM rows WHERE body = "
                       "CAST(replace(hex(zeroblob(3000)), '00', 'a') AS BLOB)"),
            "666");
  EXPECT_EQ(reader.One("SELECT body FROM rows WHERE id = 5000"), "after");
}

// A store whose 256 KiB page cache a transaction of a few hundred rows
// overflows, holding row 1; for the cases where writes fail.
class FailingWritesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenStore(path_, /*synchronous_full=*/false, /*cache_kib=*/256);
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(Insert(*db_, 1, "before").ok());
  }

  // Commits row 2, then checks that the files hold rows 1 and 2 only.
  void ExpectOnlyTheRowsAround() {
    ASSERT_TRUE(Insert(*db_, 2, "after").ok());
    RawSqlite reader(path_);
    EXPECT_EQ(reader.One("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(reader.One("SELECT GROUP_CONCAT(id) FROM rows"), "1,2");
  }

  jalin::testing::TempDir dir_;
  const std::string path_ = dir_.File("store.db");
  std::unique_ptr<SqliteDatabase> db_;
};

// A transaction larger than the page cache spills pages into the WAL and
// changes some again; SQLite then rewrites those frames in place and, after
// the commit frame, rewrites checksums up to the commit frame's header.
// That last write failing must fail the commit, not be published later.
TEST_F(FailingWritesTest, AFailedChecksumRewriteFailsTheCommit) {
  absl::Status commit;
  {
    FailingWrites failing(&CommitHeader);
    ASSERT_TRUE(failing.installed());
    commit = db_->Write([&](Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(InsertRows(tx, 100, 400, 'a'));
      return tx.Exec(
          "UPDATE rows SET body = CAST('b' AS BLOB) WHERE id >= 100");
    });
    EXPECT_GE(FailingWrites::failures(), 1);
  }
  EXPECT_FALSE(commit.ok()) << "a commit whose header was not written";
  ExpectOnlyTheRowsAround();
  // And as recovery after a crash reads the files: a copy without the
  // shared memory rebuilds it from the WAL's frames and checksums.
  const std::string copy = dir_.File("copy.db");
  std::filesystem::copy_file(path_, copy);
  std::filesystem::copy_file(path_ + "-wal", copy + "-wal");
  RawSqlite recovered(copy);
  EXPECT_EQ(recovered.One("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(recovered.One("SELECT GROUP_CONCAT(id) FROM rows"), "1,2");
}

// A spilled transaction rolled back while writes fail leaves the WAL's
// write lock free for the next writer.
TEST_F(FailingWritesTest, ARollbackWhileWritesFailReleasesTheWriteLock) {
  {
    std::unique_ptr<FailingWrites> failing;
    const absl::Status s = db_->Write([&](Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(InsertRows(tx, 100, 250, 'a'));
      failing = std::make_unique<FailingWrites>(&Everything);
      return absl::AbortedError("rolled back");
    });
    EXPECT_FALSE(s.ok());
  }
  sqlite3* other = nullptr;
  ASSERT_EQ(
      sqlite3_open_v2(path_.c_str(), &other, SQLITE_OPEN_READWRITE, nullptr),
      SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(other);
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  ExpectOnlyTheRowsAround();
}

TEST(BatchedWalVfsTest, AWriterKilledMidStreamLosesNoAcknowledgedCommit) {
  jalin::testing::TempDir dir;
  const std::string path = dir.File("store.db");
  {
    auto db = OpenStore(path, /*synchronous_full=*/false);
    ASSERT_NE(db, nullptr);
  }
  int acks[2];
  ASSERT_EQ(pipe(acks), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Commits row after row, each acknowledged once Write returns, until
    // killed. Each commit spans several pages.
    close(acks[0]);
    auto db = SqliteDatabase::Open({.path = path, .synchronous_full = false});
    if (!db.ok()) _exit(2);
    for (int64_t i = 1;; ++i) {
      if (!Insert(**db, i, std::string(9000, 'k')).ok()) _exit(3);
      const std::string line = absl::StrCat(i, "\n");
      if (write(acks[1], line.data(), line.size()) < 0) _exit(4);
    }
  }
  // Whatever fails below, the writer does not outlive the test.
  struct Reaper {
    pid_t pid;
    ~Reaper() {
      if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
    }
  } reaper{child};
  close(acks[1]);
  FILE* in = fdopen(acks[0], "r");
  ASSERT_NE(in, nullptr);
  int64_t acknowledged = 0;
  char line[32];
  while (acknowledged < 300 && fgets(line, sizeof(line), in) != nullptr) {
    ASSERT_TRUE(
        absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &acknowledged));
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  reaper.pid = 0;
  // Acknowledgements written before the kill but not read yet.
  while (fgets(line, sizeof(line), in) != nullptr) {
    ASSERT_TRUE(
        absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &acknowledged));
  }
  fclose(in);
  ASSERT_TRUE(WIFSIGNALED(status))
      << "the writer stopped by itself: " << status;
  ASSERT_GE(acknowledged, 300);

  // Recovery runs on SQLite's own VFS, reading only what reached the file.
  RawSqlite reader(path);
  EXPECT_EQ(reader.One("PRAGMA integrity_check"), "ok");
  int64_t count = 0;
  ASSERT_TRUE(
      absl::SimpleAtoi(reader.One("SELECT COUNT(*) FROM rows"), &count));
  // Every acknowledged commit is there; at most the one in flight besides.
  EXPECT_GE(count, acknowledged);
  EXPECT_LE(count, acknowledged + 1);
  EXPECT_EQ(reader.One("SELECT MAX(id) FROM rows"), absl::StrCat(count));
}

}  // namespace
}  // namespace jalin::storage
