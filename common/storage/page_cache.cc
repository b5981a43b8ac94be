#include "common/storage/page_cache.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <new>

#include "absl/container/flat_hash_set.h"
#include "common/log/log.h"

namespace jalin::storage {
namespace {

// SQLite's own page cache, which every wrapped call reaches.
sqlite3_pcache_methods2 g_base;

std::atomic<int64_t> g_skipped{0};
std::atomic<int64_t> g_forwarded{0};
std::atomic<int64_t> g_moved_above{0};

// One pager's cache (each database of a connection has its own; SQLite
// owns it from xCreate to xDestroy). Invariant: every page in `inner` has a
// number at most `bound` or in `above`.
struct Cache {
  // Past this many pages above the bound, the bound is raised instead: a
  // reader's cache is only ever cleared, so its set would otherwise gather
  // every page it reads.
  static constexpr size_t kMaxAbove = 64;

  sqlite3_pcache* inner = nullptr;
  unsigned bound = 0;
  absl::flat_hash_set<unsigned> above;

  void Added(unsigned key) noexcept {
    if (key <= bound) return;
    try {
      above.insert(key);
    } catch (const std::bad_alloc&) {
      // Out of memory: every truncation reaches until the next one.
      bound = std::numeric_limits<unsigned>::max();
    }
  }

  // Raises the bound over the set once it is large. Only where pages are
  // fetched: a split's page parked at the locking page's number is moved
  // away by the next renumbering, so it must stay in the set until then.
  void Fold() noexcept {
    if (above.size() <= kMaxAbove) return;
    for (const unsigned key : above) bound = std::max(bound, key);
    above.clear();
  }
};

Cache* Of(sqlite3_pcache* p) { return reinterpret_cast<Cache*>(p); }

// SQLite's callbacks are C: nothing below may throw through them.
int Init(void*) noexcept {
  return g_base.xInit != nullptr ? g_base.xInit(g_base.pArg) : SQLITE_OK;
}
void Shutdown(void*) noexcept {
  if (g_base.xShutdown != nullptr) g_base.xShutdown(g_base.pArg);
}

sqlite3_pcache* Create(int page_size, int extra, int purgeable) noexcept {
  auto* cache = new (std::nothrow) Cache;
  if (cache == nullptr) return nullptr;
  cache->inner = g_base.xCreate(page_size, extra, purgeable);
  if (cache->inner == nullptr) {
    delete cache;
    return nullptr;
  }
  return reinterpret_cast<sqlite3_pcache*>(cache);
}

void Cachesize(sqlite3_pcache* p, int pages) noexcept {
  g_base.xCachesize(Of(p)->inner, pages);
}

int Pagecount(sqlite3_pcache* p) noexcept {
  return g_base.xPagecount(Of(p)->inner);
}

sqlite3_pcache_page* Fetch(sqlite3_pcache* p, unsigned key,
                           int create) noexcept {
  Cache* cache = Of(p);
  sqlite3_pcache_page* page = g_base.xFetch(cache->inner, key, create);
  // Without create the page was cached already, so is accounted for.
  if (page != nullptr && create != 0) {
    cache->Added(key);
    cache->Fold();
  }
  return page;
}

void Unpin(sqlite3_pcache* p, sqlite3_pcache_page* page, int discard) noexcept {
  g_base.xUnpin(Of(p)->inner, page, discard);
}

void Rekey(sqlite3_pcache* p, sqlite3_pcache_page* page, unsigned old_key,
           unsigned new_key) noexcept {
  Cache* cache = Of(p);
  g_base.xRekey(cache->inner, page, old_key, new_key);
  cache->above.erase(old_key);
  if (new_key > cache->bound) {
    g_moved_above.fetch_add(1, std::memory_order_relaxed);
  }
  cache->Added(new_key);
}

// Drops the pages numbered `limit` and above.
void Truncate(sqlite3_pcache* p, unsigned limit) noexcept {
  Cache* cache = Of(p);
  bool reaches = limit <= cache->bound;
  for (auto it = cache->above.begin(); !reaches && it != cache->above.end();
       ++it) {
    reaches = *it >= limit;
  }
  if (reaches) {
    g_base.xTruncate(cache->inner, limit);
    g_forwarded.fetch_add(1, std::memory_order_relaxed);
  } else {
    g_skipped.fetch_add(1, std::memory_order_relaxed);
  }
  // Either way no cached page is numbered `limit` or above now.
  cache->bound = limit == 0 ? 0 : limit - 1;
  cache->above.clear();
}

void Destroy(sqlite3_pcache* p) noexcept {
  Cache* cache = Of(p);
  g_base.xDestroy(cache->inner);
  delete cache;
}

void Shrink(sqlite3_pcache* p) noexcept { g_base.xShrink(Of(p)->inner); }

bool Install() {
  if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &g_base) != SQLITE_OK ||
      g_base.iVersion < 1 || g_base.xCreate == nullptr) {
    return false;
  }
  static sqlite3_pcache_methods2 wrapper;
  wrapper = sqlite3_pcache_methods2{};
  wrapper.iVersion = 1;
  // Set even when SQLite's has none: a null xInit would make SQLite put
  // its default cache back when it initialises.
  wrapper.xInit = Init;
  wrapper.xShutdown = Shutdown;
  wrapper.xCreate = Create;
  wrapper.xCachesize = Cachesize;
  wrapper.xPagecount = Pagecount;
  wrapper.xFetch = Fetch;
  wrapper.xUnpin = Unpin;
  wrapper.xRekey = Rekey;
  wrapper.xTruncate = Truncate;
  wrapper.xDestroy = Destroy;
  wrapper.xShrink = Shrink;
  // Refused (SQLITE_MISUSE) once SQLite has initialised.
  return sqlite3_config(SQLITE_CONFIG_PCACHE2, &wrapper) == SQLITE_OK;
}

bool InstallOnce() {
  const bool installed = Install();
  if (!installed) {
    log::Warn(
        "SQLite had started before the stores opened: its page cache is "
        "not wrapped, and commits after index splits walk the whole cache");
  }
  return installed;
}

}  // namespace

bool InstallPageCache() {
  static const bool installed = InstallOnce();
  return installed;
}

PageCacheTruncations PageCacheTruncationCounts() {
  return {.skipped = g_skipped.load(std::memory_order_relaxed),
          .forwarded = g_forwarded.load(std::memory_order_relaxed),
          .moved_above = g_moved_above.load(std::memory_order_relaxed)};
}

}  // namespace jalin::storage
