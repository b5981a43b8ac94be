// SQLite's own page cache, with one costly no-op taken out of every commit.
//
// At the end of each write transaction SQLite asks its page cache to drop
// the pages past the database's size (xTruncate). The default cache walks
// only the hash slots of pages that may lie there, unless the highest page
// number it has held since a truncation last reached a page is far above
// the limit; then it walks every slot and every cached page. A B-tree split
// that reorders pages parks a page for a moment at the number of the
// locking page (page 262,145 with 4 KiB pages), so after any such split the
// next commit walks the whole cache: on a 32 MiB cache, up to 8,192 pages
// and their slots, one cache miss after another. Stores whose indexes take
// inserts in many places (an inbox keyed by recipient) split on most
// commits; the notification service spent 14% of its event consumer's time
// in that walk.
//
// The wrapper forwards every call to SQLite's page cache and keeps, per
// cache, a bound such that every cached page's number is at most the bound
// or is in a set of pages added above it since the last truncation
// (fetched or renumbered there, removed when renumbered away; past 64 the
// bound is raised over them instead). A truncation that no page can reach
// (the limit is above the bound and above every page in the set) drops
// nothing, so it is not forwarded; any other is. Pages the cache evicts on
// its own only make the set larger than needed, so the wrapper never skips
// a truncation that would have dropped a page. SQLite's cache keeps its
// high mark after a skipped truncation, so the truncations still forwarded
// (a rollback of new pages, a shrinking vacuum, a reader's reset after
// another connection wrote) walk the whole cache, as they did whenever a
// split came before them.
//
// Ownership: installed once for the whole process, never removed; it wraps
// every connection opened after it (the stores', the checkpointer's, any
// other). SQLite owns each cache from xCreate to xDestroy.
//
// Thread-safety: InstallPageCache() may be called from any thread, but its
// first call must come before any thread's first SQLite call (the services
// open their store on the main thread before anything else uses SQLite).
// Each cache belongs to one connection, which SQLite uses from one thread
// at a time. PageCacheTruncationCounts() is thread-safe.

#ifndef COMMON_STORAGE_PAGE_CACHE_H_
#define COMMON_STORAGE_PAGE_CACHE_H_

#include <cstdint>

namespace jalin::storage {

// Installs the wrapper on the first call; true when it is in place. SQLite
// takes a page cache only before it initialises, so this must run before
// the process's first SQLite call (SqliteDatabase does it before opening);
// false, with a warning logged once and SQLite's cache unwrapped, when that
// moment has passed.
bool InstallPageCache();

// What installed caches saw since the process started.
struct PageCacheTruncations {
  int64_t skipped = 0;      // truncations no cached page could reach
  int64_t forwarded = 0;    // truncations passed on to SQLite's cache
  int64_t moved_above = 0;  // pages renumbered past their cache's bound
};
PageCacheTruncations PageCacheTruncationCounts();

}  // namespace jalin::storage

#endif  // COMMON_STORAGE_PAGE_CACHE_H_
