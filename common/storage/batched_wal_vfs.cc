#include "common/storage/batched_wal_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

namespace jalin::storage {
namespace {

constexpr char kName[] = "jalin-batched-wal";
// Gathered bytes written at once at most.
constexpr size_t kFlushBytes = 1 << 20;
// The largest write handed to the unix VFS at once: it writes at most
// 128 KiB - 1 bytes per call (it masks larger sizes).
constexpr size_t kMaxWrite = 124 * 1024;
// Size of SQLite's WAL frame header.
constexpr int kFrameHeaderBytes = 24;

sqlite3_vfs* g_real = nullptr;

// Gathered WAL appends: `bytes` belong at `offset` of the file.
struct Gather {
  std::vector<char> bytes;
  sqlite3_int64 offset = 0;
  // Where the last write to the file ended (gathered or not); -1 when
  // unknown. Only a write starting there is gathered.
  sqlite3_int64 end = -1;
  // The last gathered write was a commit frame's header: its page
  // completes the commit.
  bool commit_header = false;
};

// Laid out by SQLite in szOsFile bytes: this header, then the wrapped
// file.
struct File {
  sqlite3_file base;
  sqlite3_file* real;
  // A WAL file's gathered appends (owned); nullptr for other files.
  Gather* gather;
  // On a WAL file: its database's file when that was opened through this
  // VFS. On a database file: its open WAL file. Both belong to one
  // connection.
  File* peer;
};

File* AsFile(sqlite3_file* f) { return reinterpret_cast<File*>(f); }

// Writes and forgets what `f` gathered.
int Flush(File* f) {
  Gather* g = f->gather;
  if (g == nullptr || g->bytes.empty()) return SQLITE_OK;
  int rc = SQLITE_OK;
  for (size_t done = 0; done < g->bytes.size() && rc == SQLITE_OK;) {
    const size_t n = std::min(kMaxWrite, g->bytes.size() - done);
    rc = f->real->pMethods->xWrite(
        f->real, g->bytes.data() + done, static_cast<int>(n),
        g->offset + static_cast<sqlite3_int64>(done));
    done += n;
  }
  g->bytes.clear();
  g->commit_header = false;
  // After a failure SQLite rolls the transaction back; whatever it writes
  // next goes straight through.
  if (rc != SQLITE_OK) g->end = -1;
  return rc;
}

// Flushes the WAL file of database file `f`, if any.
int FlushPeerWal(File* f) {
  return f->gather == nullptr && f->peer != nullptr ? Flush(f->peer)
                                                    : SQLITE_OK;
}

// Writes what was gathered, then `data` at `offset` straight through, so
// that a failure of either is returned to SQLite.
int WriteThrough(File* f, const void* data, int amount, sqlite3_int64 offset) {
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  const int rc = f->real->pMethods->xWrite(f->real, data, amount, offset);
  f->gather->end = rc == SQLITE_OK ? offset + amount : -1;
  return rc;
}

int Close(sqlite3_file* file) {
  File* f = AsFile(file);
  int rc = Flush(f);
  if (f->peer != nullptr) f->peer->peer = nullptr;
  f->peer = nullptr;
  delete f->gather;
  f->gather = nullptr;
  const int close_rc = f->real->pMethods->xClose(f->real);
  return rc != SQLITE_OK ? rc : close_rc;
}

int Read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  File* f = AsFile(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xRead(f->real, out, amount, offset);
}

int Write(sqlite3_file* file, const void* data, int amount,
          sqlite3_int64 offset) {
  File* f = AsFile(file);
  Gather* g = f->gather;
  if (g == nullptr) {
    return f->real->pMethods->xWrite(f->real, data, amount, offset);
  }
  if (offset != g->end) {
    // Not an append: a frame or header rewritten in place (after a page
    // spilled and changed again SQLite rewrites checksums, the commit
    // frame's header last), or the WAL header when the WAL starts over.
    return WriteThrough(f, data, amount, offset);
  }
  if (g->bytes.empty()) g->offset = offset;
  const bool completes_commit = g->commit_header;
  const char* bytes = static_cast<const char*>(data);
  try {
    g->bytes.insert(g->bytes.end(), bytes, bytes + amount);
  } catch (const std::bad_alloc&) {
    return WriteThrough(f, data, amount, offset);
  }
  g->end = offset + amount;
  // A frame header's second field is the database size after a commit,
  // zero in other frames.
  g->commit_header = amount == kFrameHeaderBytes &&
                     (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
  if (completes_commit ||
      (!g->commit_header && g->bytes.size() >= kFlushBytes)) {
    return Flush(f);
  }
  return SQLITE_OK;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  File* f = AsFile(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xTruncate(f->real, size);
}

int Sync(sqlite3_file* file, int flags) {
  File* f = AsFile(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xSync(f->real, flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  File* f = AsFile(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileSize(f->real, size);
}

int Lock(sqlite3_file* file, int level) {
  File* f = AsFile(file);
  return f->real->pMethods->xLock(f->real, level);
}

int Unlock(sqlite3_file* file, int level) {
  File* f = AsFile(file);
  return f->real->pMethods->xUnlock(f->real, level);
}

int CheckReservedLock(sqlite3_file* file, int* out) {
  File* f = AsFile(file);
  return f->real->pMethods->xCheckReservedLock(f->real, out);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  File* f = AsFile(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileControl(f->real, op, arg);
}

int SectorSize(sqlite3_file* file) {
  File* f = AsFile(file);
  return f->real->pMethods->xSectorSize(f->real);
}

int DeviceCharacteristics(sqlite3_file* file) {
  File* f = AsFile(file);
  return f->real->pMethods->xDeviceCharacteristics(f->real);
}

int ShmMap(sqlite3_file* file, int region, int size, int extend,
           void volatile** out) {
  File* f = AsFile(file);
  return f->real->pMethods->xShmMap(f->real, region, size, extend, out);
}

int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  File* f = AsFile(file);
  const int rc = FlushPeerWal(f);
  // An unlock always goes through: SQLite ignores its result, and what was
  // gathered then belongs to a transaction being rolled back.
  if (rc != SQLITE_OK && (flags & SQLITE_SHM_UNLOCK) == 0) return rc;
  return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

void ShmBarrier(sqlite3_file* file) {
  File* f = AsFile(file);
  // A commit's frames were written when its commit frame was complete, and
  // writes in place go straight through, so nothing is gathered when SQLite
  // publishes a commit. Should something be, it must not be published
  // unwritten, and a barrier cannot return an error: stop the process
  // instead (SQLite recovers the WAL from what is in the file).
  if (FlushPeerWal(f) != SQLITE_OK) {
    std::fprintf(stderr,
                 "batched WAL: a write before publishing frames failed\n");
    std::abort();
  }
  f->real->pMethods->xShmBarrier(f->real);
}

int ShmUnmap(sqlite3_file* file, int delete_flag) {
  File* f = AsFile(file);
  FlushPeerWal(f);  // as for an unlock
  return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  File* f = AsFile(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFetch(f->real, offset, amount, out);
}

int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  File* f = AsFile(file);
  return f->real->pMethods->xUnfetch(f->real, offset, page);
}

const sqlite3_io_methods kMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

int Open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags,
         int* out_flags) {
  File* f = AsFile(file);
  f->base.pMethods = nullptr;
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->gather = nullptr;
  f->peer = nullptr;
  const int rc = g_real->xOpen(g_real, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    // SQLite calls xClose only when pMethods is set; close what the
    // wrapped VFS may have left open.
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    return rc;
  }
  if (f->real->pMethods->iVersion < 3) {
    // Not the unix VFS's files: nothing here can be forwarded safely.
    f->real->pMethods->xClose(f->real);
    return SQLITE_CANTOPEN;
  }
  if ((flags & SQLITE_OPEN_WAL) != 0 && name != nullptr) {
    sqlite3_file* db = sqlite3_database_file_object(name);
    // Gathered only with its database opened here, and without sector
    // padding: a database file without power-safe overwrite makes SQLite
    // pad each synced commit to a sector and split a frame around a sync.
    if (db != nullptr && db->pMethods == &kMethods &&
        (db->pMethods->xDeviceCharacteristics(db) &
         SQLITE_IOCAP_POWERSAFE_OVERWRITE) != 0) {
      f->gather = new (std::nothrow) Gather;
      if (f->gather != nullptr) {
        f->peer = AsFile(db);
        f->peer->peer = f;
      }
    }
  }
  f->base.pMethods = &kMethods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_real->xDelete(g_real, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_real->xAccess(g_real, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) {
  return g_real->xDlOpen(g_real, name);
}
void DlError(sqlite3_vfs*, int n, char* out) {
  g_real->xDlError(g_real, n, out);
}
void (*DlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return g_real->xDlSym(g_real, handle, symbol);
}
void DlClose(sqlite3_vfs*, void* handle) { g_real->xDlClose(g_real, handle); }
int Randomness(sqlite3_vfs*, int n, char* out) {
  return g_real->xRandomness(g_real, n, out);
}
int Sleep(sqlite3_vfs*, int micros) { return g_real->xSleep(g_real, micros); }
int CurrentTime(sqlite3_vfs*, double* out) {
  return g_real->xCurrentTime(g_real, out);
}
int GetLastError(sqlite3_vfs*, int n, char* out) {
  return g_real->xGetLastError(g_real, n, out);
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_real->xCurrentTimeInt64(g_real, out);
}

sqlite3_vfs g_vfs;

const char* Register() {
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  if (real == nullptr || std::strcmp(real->zName, "unix") != 0 ||
      real->iVersion < 2) {
    return nullptr;
  }
  g_real = real;
  g_vfs = sqlite3_vfs{};
  g_vfs.iVersion = 2;
  g_vfs.szOsFile = static_cast<int>(sizeof(File)) + real->szOsFile;
  g_vfs.mxPathname = real->mxPathname;
  g_vfs.zName = kName;
  g_vfs.xOpen = Open;
  g_vfs.xDelete = Delete;
  g_vfs.xAccess = Access;
  g_vfs.xFullPathname = FullPathname;
  g_vfs.xDlOpen = DlOpen;
  g_vfs.xDlError = DlError;
  g_vfs.xDlSym = DlSym;
  g_vfs.xDlClose = DlClose;
  g_vfs.xRandomness = Randomness;
  g_vfs.xSleep = Sleep;
  g_vfs.xCurrentTime = CurrentTime;
  g_vfs.xGetLastError = GetLastError;
  g_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  if (sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0) != SQLITE_OK) {
    return nullptr;
  }
  return kName;
}

}  // namespace

const char* BatchedWalVfs() {
  static const char* const name = Register();
  return name;
}

}  // namespace jalin::storage
