// jemalloc's options for the programs that link it (jalin_malloc in
// cmake/Dependencies.cmake). jemalloc reads this symbol once, at its first
// allocation; the MALLOC_CONF environment variable is read after it and
// can still override any option.
//
// lg_extent_max_active_fit:12 lets a freed (dirty) extent be reused for a
// request up to 4,096 times smaller than itself; jemalloc's default is 64.
// A channeling report frees some 20 MiB at once, which jemalloc merges into
// large dirty extents; with the default, the next report's small slabs did
// not fit into them, so it took fresh pages and the kernel zeroed about
// 2,800 of them per report while the old ones were purged. With 12, in the
// matching benchmark, page faults per report fell to about 900, the
// report's CPU time by an eighth, its p50 by a seventh, and peak RSS by
// 60 MiB.
//
// thp:always and metadata_thp:always ask the kernel for 2 MiB pages for
// jemalloc's extents and its own metadata (madvise; nothing changes where
// the host's transparent huge pages are "never"). A large index is read at
// random, and a report writes tens of MiB into fresh memory: with them, in
// the matching benchmark, page faults per report fell from 600-900 to
// about 70 and its CPU time by about 7%; report_p50 was 43.7 and 49.6 ms
// against 53.4 and 50.0 without, the full view 96-107 ms against
// 131-140 ms, for about 10% more resident memory per listing (256-260
// bytes against 234-236). The notification fanout and curation benchmarks
// showed no loss.

extern "C" {
// The library holds a weak definition of this pointer; this one replaces it.
const char* malloc_conf =
    "lg_extent_max_active_fit:12,thp:always,metadata_thp:always";
}
